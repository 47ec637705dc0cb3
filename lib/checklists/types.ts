// Plain-data shapes shared by the importer, the exporter, templates and the checklist services.

export const areas = ["DEVOPS", "DBA", "SECURITY", "GENERAL"] as const;
export type Area = (typeof areas)[number];
export const areaLabels: Record<Area, string> = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GENERAL: "General" };

export const itemStatuses = ["TODO", "IN_PROGRESS", "BLOCKED", "DONE", "NOT_APPLICABLE", "WAIVED"] as const;
export type ItemStatus = (typeof itemStatuses)[number];

/** One checklist item as plain data, with its nested items. */
export type ChecklistItemData = {
  title: string;
  /** Markdown. */
  details: string;
  area: Area;
  required: boolean;
  /** The item's maturity level, an index into its checklist's `levels` (absent: the lowest). */
  level?: number;
  /** The importer gives DONE for `[x]`/`[X]` and TODO otherwise. */
  status: ItemStatus;
  /** The work on the item, when the file is a Shipshape export that records it (lib/import/markdown.ts). */
  work?: ImportedWork;
  children: ChecklistItemData[];
};

/** What a Shipshape export records of an item beyond its checkbox; people by email, instants as ISO strings. */
export type ImportedWork = {
  statusReason: string | null;
  waiver: ExportWaiver | null;
  assigneeEmail: string | null;
  dueAt: string | null;
};

export type ExportWaiver = { riskOwner: string | null; riskOwnerEmail: string | null; controls: string | null; expiresAt: string | null };

export type ChecklistSectionData = { title: string; items: ChecklistItemData[] };

/** A whole checklist: what the importer produces and templates store. `levels`: its maturity levels, lowest first (absent or empty: none). */
export type ChecklistData = { title: string | null; levels?: string[]; sections: ChecklistSectionData[] };

/** What the exporter needs beyond the plain data: the state of work on each item. */
export type ExportItem = Omit<ChecklistItemData, "children" | "work"> & {
  /** The assignee's name. */
  assignee: string | null;
  /** How an import into another project finds the assignee. */
  assigneeEmail: string | null;
  /** Why the item does not apply, what blocks it, or the risk its waiver accepts. */
  statusReason: string | null;
  waiver: ExportWaiver | null;
  /** ISO instant (UTC) the item becomes overdue, or null. */
  dueAt: string | null;
  evidenceCount: number;
  children: ExportItem[];
};

export type ExportChecklist = {
  project: { slug: string; name: string };
  /** The maturity levels, lowest first, and the target (an index into them); absent or empty: none. */
  levels?: string[];
  targetLevel?: number;
  exportedAt: string;
  sections: { title: string; items: ExportItem[] }[];
};
