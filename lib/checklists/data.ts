import { isUuid } from "@/lib/validation";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { can, type Actor } from "@/lib/policy";
import { getProjectForActor, type ProjectView } from "@/lib/projects/data";
import { effectiveStatus, isSatisfied, renewalDueAt, type EffectiveStatus } from "@/lib/checklists/rules";
import { countsForTarget, levelName, levelProgress, type LevelSetting } from "@/lib/checklists/levels";
import type { ChecklistFilter } from "@/lib/checklists/schema";
import type { Area, ExportChecklist, ExportItem, ItemStatus } from "@/lib/checklists/types";
import { dayIn, dueState, formatDateTime, type DueState } from "@/lib/time";

export type ItemView = {
  id: string;
  sectionId: string;
  parentId: string | null;
  title: string;
  details: string;
  area: Area;
  required: boolean;
  /** The item's maturity level (an index into the project's levels; 0 without levels). */
  level: number;
  /** Its level's name; null when the project has no levels. */
  levelName: string | null;
  /** Whether it counts for the gate, readiness and sign-offs: always without levels, else at or below the target level. */
  countsForTarget: boolean;
  status: ItemStatus;
  effectiveStatus: EffectiveStatus;
  statusReason: string | null;
  waiverRiskOwner: string | null;
  waiverControls: string | null;
  /** YYYY-MM-DD */
  waiverExpiresAt: string | null;
  /** Who requested the waiver. */
  waiverGrantedByName: string | null;
  /** The risk owner as a member (null: a name recorded before risk owners were members). */
  waiverRiskOwnerId: string | null;
  waiverAcceptedByName: string | null;
  /** ISO instant the waiver was accepted; null while it is a request. */
  waiverAcceptedAt: string | null;
  /** Whether the viewer may accept or decline this item's waiver request now. */
  canDecideWaiver: boolean;
  assigneeId: string | null;
  assigneeName: string | null;
  /** ISO instant the item becomes overdue. */
  dueAt: string | null;
  /** Open items only: past due, due within two days, or later. */
  dueState: DueState | null;
  version: number;
  evidenceCount: number;
  commentCount: number;
  updatedAt: string;
  canWork: boolean;
  canWaive: boolean;
  canComment: boolean;
  /** Titles of the enclosing items, outermost first (shown when a filter flattens the tree). */
  path: string[];
  children: ItemView[];
};

export type SectionView = { id: string; title: string; items: ItemView[]; total: number; satisfied: number };

export type StatusCounts = Record<EffectiveStatus, number>;

/** Where a checklist with levels stands: the target, the highest level reached, and what the next one lacks. */
export type LevelsView = {
  /** Lowest first. */
  names: string[];
  target: number;
  /** The highest level whose required items (and those of every level below) are all ready; null: not even the lowest. */
  reached: number | null;
  /** The level to reach next; null once the highest is reached. */
  next: number | null;
  /** How many required items of the next level are not ready. */
  missing: number;
};

export type ChecklistView = {
  project: ProjectView;
  sections: SectionView[];
  /** `required` and `requiredSatisfied` count the items up to the target level only (all of them without levels). */
  totals: { items: number; satisfied: number; required: number; requiredSatisfied: number; byStatus: StatusCounts };
  /** Null for a checklist without levels. */
  levels: LevelsView | null;
  canEdit: boolean;
  filtered: boolean;
  /** Every section, also those a filter hides (for the section filter). */
  allSections: { id: string; title: string }[];
};

const emptyCounts = (): StatusCounts => ({ TODO: 0, IN_PROGRESS: 0, BLOCKED: 0, DONE: 0, NOT_APPLICABLE: 0, WAIVED: 0, WAIVER_EXPIRED: 0, WAIVER_REQUESTED: 0 });

const isoDate = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);

/** What an item row shows, wherever items are listed (a checklist, My work). */
export const itemRowFields = {
  id: true,
  title: true,
  area: true,
  required: true,
  level: true,
  status: true,
  statusReason: true,
  waiverRiskOwner: true,
  waiverControls: true,
  waiverExpiresAt: true,
  waiverGrantedById: true,
  waiverGrantedByName: true,
  waiverRiskOwnerId: true,
  waiverAcceptedByName: true,
  waiverAcceptedAt: true,
  dueAt: true,
  version: true,
  assigneeId: true,
  assignee: { select: { name: true } },
  _count: { select: { evidence: true, comments: true } },
} as const;

async function loadItems(projectId: string) {
  return db.checklistItem.findMany({
    where: { projectId },
    orderBy: [{ position: "asc" }],
    select: {
      ...itemRowFields,
      sectionId: true,
      parentId: true,
      details: true,
      updatedAt: true,
    },
  });
}

/** The checklist of a project the actor may see, grouped by section, optionally filtered. */
export async function getChecklist(actor: Actor, slug: string, filter: ChecklistFilter = {}, now = new Date()): Promise<ChecklistView> {
  const project = await getProjectForActor(actor, slug);
  const [sections, rows, levels] = await Promise.all([
    db.checklistSection.findMany({ where: { projectId: project.id }, orderBy: { position: "asc" }, select: { id: true, title: true } }),
    loadItems(project.id),
    db.project.findUniqueOrThrow({ where: { id: project.id }, select: { levels: true, targetLevel: true } }),
  ]);
  const roles = project.myRoles;
  return buildChecklistView({
    project,
    levels,
    sections,
    rows: rows.map(({ assignee, _count, ...row }) => ({ ...row, assigneeName: assignee?.name ?? null, evidenceCount: _count.evidence, commentCount: _count.comments })),
    filter,
    now,
    permissions: (area) => {
      const resource = { kind: "item" as const, projectId: project.id, roles, area };
      return { work: can(actor, "item.work", resource), waive: can(actor, "item.waive", resource), comment: can(actor, "item.comment", resource) };
    },
    mayDecideWaiver: waiverDecider(actor, project),
    canEdit: can(actor, "checklist.edit", { kind: "project", projectId: project.id, roles }),
  });
}

/** One item as a checklist view is built from it: a row as stored now, or as rebuilt for a past moment. */
export type ChecklistRow = {
  id: string;
  sectionId: string;
  parentId: string | null;
  title: string;
  details: string;
  area: Area;
  required: boolean;
  level: number;
  status: ItemStatus;
  statusReason: string | null;
  waiverRiskOwner: string | null;
  waiverControls: string | null;
  waiverExpiresAt: Date | null;
  waiverGrantedById: string | null;
  waiverGrantedByName: string | null;
  waiverRiskOwnerId: string | null;
  waiverAcceptedByName: string | null;
  waiverAcceptedAt: Date | null;
  assigneeId: string | null;
  assigneeName: string | null;
  dueAt: Date | null;
  version: number;
  evidenceCount: number;
  commentCount: number;
  updatedAt: Date;
};

/**
 * Groups rows (ordered by position) into their sections' trees, filtered, with effective statuses,
 * due states and totals as of `now`. Pure: getChecklist and the checklist as of a past moment
 * (lib/audit/as-of.ts) both build their view with it.
 */
export function buildChecklistView(input: {
  project: ProjectView;
  /** The project's levels and target as of the view (no levels: every item counts). */
  levels: LevelSetting;
  /** In display order. */
  sections: { id: string; title: string }[];
  rows: readonly ChecklistRow[];
  filter: ChecklistFilter;
  now: Date;
  /** What the viewer may do to an item of this area. */
  permissions: (area: Area) => { work: boolean; waive: boolean; comment: boolean };
  /** Whether the viewer may decide a waiver request made by this person (absent: never). */
  mayDecideWaiver?: (requestedById: string | null) => boolean;
  canEdit: boolean;
}): ChecklistView {
  const { project, levels, sections, rows, filter, now } = input;
  const views = new Map<string, ItemView>();
  const satisfiedIds = new Set<string>();
  for (const row of rows) {
    if (isSatisfied(row, now)) satisfiedIds.add(row.id);
    const allowed = input.permissions(row.area);
    views.set(row.id, {
      id: row.id,
      sectionId: row.sectionId,
      parentId: row.parentId,
      title: row.title,
      details: row.details,
      area: row.area,
      required: row.required,
      level: row.level,
      levelName: levelName(levels, row.level),
      countsForTarget: countsForTarget(levels, row.level),
      status: row.status,
      effectiveStatus: effectiveStatus(row, now),
      statusReason: row.statusReason,
      waiverRiskOwner: row.waiverRiskOwner,
      waiverControls: row.waiverControls,
      waiverExpiresAt: isoDate(row.waiverExpiresAt),
      waiverGrantedByName: row.waiverGrantedByName,
      waiverRiskOwnerId: row.waiverRiskOwnerId,
      waiverAcceptedByName: row.waiverAcceptedByName,
      waiverAcceptedAt: row.waiverAcceptedAt?.toISOString() ?? null,
      canDecideWaiver: row.status === "WAIVED" && !row.waiverAcceptedAt && (input.mayDecideWaiver?.(row.waiverGrantedById) ?? false),
      assigneeId: row.assigneeId,
      assigneeName: row.assigneeName,
      dueAt: row.dueAt?.toISOString() ?? null,
      dueState: row.dueAt && !isSatisfied(row, now) ? dueState(row.dueAt, now) : null,
      version: row.version,
      evidenceCount: row.evidenceCount,
      commentCount: row.commentCount,
      updatedAt: row.updatedAt.toISOString(),
      canWork: allowed.work,
      canWaive: allowed.waive,
      canComment: allowed.comment,
      path: [],
      children: [],
    });
  }
  const roots = new Map<string, ItemView[]>(sections.map((section) => [section.id, []]));
  for (const view of views.values()) {
    const parent = view.parentId ? views.get(view.parentId) : undefined;
    if (parent) parent.children.push(view);
    else roots.get(view.sectionId)?.push(view);
  }
  const setPaths = (items: ItemView[], path: string[]) => {
    for (const item of items) {
      item.path = path;
      setPaths(item.children, [...path, item.title]);
    }
  };
  roots.forEach((items) => setPaths(items, []));

  const matches = (item: ItemView) =>
    (!filter.area || item.area === filter.area) &&
    (!filter.section || item.sectionId === filter.section) &&
    (filter.level === undefined || item.level === filter.level) &&
    (!filter.assignee || (filter.assignee === "none" ? item.assigneeId === null : item.assigneeId === filter.assignee)) &&
    (!filter.due || (filter.due === "none" ? item.dueAt === null : filter.due === "overdue" ? item.dueState === "overdue" : item.dueState === "soon")) &&
    (!filter.status ||
      (filter.status === "OPEN" ? !satisfiedIds.has(item.id) : item.effectiveStatus === filter.status));
  const filtered = Boolean(filter.area || filter.status || filter.assignee || filter.due || filter.section || filter.level !== undefined);
  const byStatus = emptyCounts();
  let satisfiedTotal = 0;
  let required = 0;
  let requiredSatisfied = 0;
  for (const view of views.values()) {
    byStatus[view.effectiveStatus]++;
    const satisfied = satisfiedIds.has(view.id);
    if (satisfied) satisfiedTotal++;
    if (view.required && view.countsForTarget) {
      required++;
      if (satisfied) requiredSatisfied++;
    }
  }

  const flatten = (items: ItemView[]): ItemView[] => items.flatMap((item) => [item, ...flatten(item.children)]);
  const sectionViews = sections.map((section) => {
    const tree = roots.get(section.id) ?? [];
    const all = flatten(tree);
    const items = filtered ? all.filter(matches).map((item) => ({ ...item, children: [] })) : tree;
    return {
      id: section.id,
      title: section.title,
      items,
      total: all.length,
      satisfied: all.filter((item) => satisfiedIds.has(item.id)).length,
    };
  });
  const progress = levelProgress(
    levels.levels.length,
    [...views.values()].map((view) => ({ level: view.level, required: view.required, ready: satisfiedIds.has(view.id) })),
  );
  return {
    project,
    sections: filtered ? sectionViews.filter((section) => section.items.length > 0) : sectionViews,
    totals: { items: views.size, satisfied: satisfiedTotal, required, requiredSatisfied, byStatus },
    levels: progress && { names: [...levels.levels], target: levels.targetLevel, reached: progress.reached, next: progress.next, missing: progress.missing.length },
    canEdit: input.canEdit,
    filtered,
    allSections: sections,
  };
}

/** What the checklist page sends per item: only what the row shows; details load on opening. */
export type ItemRowData = {
  id: string;
  title: string;
  area: Area;
  required: boolean;
  status: ItemStatus;
  effectiveStatus: EffectiveStatus;
  version: number;
  evidenceCount: number;
  commentCount: number;
  /** The item's level and its name, on a checklist with levels. */
  level?: number;
  levelName?: string;
  /** Set when the item is above the project's target level: it shows, but holds nothing up. */
  aboveTarget?: boolean;
  statusReason?: string;
  waiver?: WaiverRowData;
  assigneeId?: string;
  assigneeName?: string;
  dueAt?: string;
  /** The due date as a calendar day in the viewer's zone (what a date field shows). */
  dueDay?: string;
  /** The due time in the viewer's zone, e.g. "5 Dec 2026, 23:59". */
  dueLabel?: string;
  dueState?: DueState;
  /** The project, on pages that list items of several projects. */
  project?: { slug: string; name: string };
  path?: string[];
  children: ItemRowData[];
};

/** A waiver as an item row shows it: a request until `acceptedByName` is set. */
export type WaiverRowData = {
  riskOwner: string | null;
  /** Null: the risk owner is a name recorded before risk owners were members. */
  riskOwnerId: string | null;
  controls: string | null;
  expiresAt: string | null;
  /** Who requested it. */
  grantedByName: string | null;
  acceptedByName: string | null;
  acceptedAt: string | null;
  /** Whether the viewer may accept or decline it (someone else's request, and they hold the right). */
  canDecide: boolean;
};

/** Whether the actor may decide waiver requests of this project made by a given person (lib/policy.ts, "waiver.decide"). */
export function waiverDecider(actor: Actor, project: ProjectView): (requestedById: string | null) => boolean {
  const selfGrantedRoles = project.members.find((member) => member.userId === actor.id)?.selfGrantedRoles ?? [];
  return (requestedById) => can(actor, "waiver.decide", { kind: "waiver", projectId: project.id, roles: project.myRoles, selfGrantedRoles, requestedById });
}

/** What the viewer may do to items, per area (the same for every item of an area). */
export type AreaPermissions = Record<Area, { work: boolean; waive: boolean; comment: boolean }>;

export function toRowData(item: ItemView, withPath: boolean, timeZone: string): ItemRowData {
  return {
    id: item.id,
    title: item.title,
    area: item.area,
    required: item.required,
    status: item.status,
    effectiveStatus: item.effectiveStatus,
    version: item.version,
    evidenceCount: item.evidenceCount,
    commentCount: item.commentCount,
    ...(item.levelName !== null ? { level: item.level, levelName: item.levelName, ...(item.countsForTarget ? {} : { aboveTarget: true }) } : {}),
    ...(item.statusReason ? { statusReason: item.statusReason } : {}),
    ...(item.status === "WAIVED"
      ? {
          waiver: {
            riskOwner: item.waiverRiskOwner,
            riskOwnerId: item.waiverRiskOwnerId,
            controls: item.waiverControls,
            expiresAt: item.waiverExpiresAt,
            grantedByName: item.waiverGrantedByName,
            acceptedByName: item.waiverAcceptedByName,
            acceptedAt: item.waiverAcceptedAt,
            canDecide: item.canDecideWaiver,
          },
        }
      : {}),
    ...(item.assigneeName ? { assigneeName: item.assigneeName } : {}),
    ...(item.assigneeId ? { assigneeId: item.assigneeId } : {}),
    ...(item.dueAt ? { dueAt: item.dueAt, dueDay: dayIn(new Date(item.dueAt), timeZone), dueLabel: formatDateTime(new Date(item.dueAt), timeZone) } : {}),
    ...(item.dueState ? { dueState: item.dueState } : {}),
    ...(withPath && item.path.length > 0 ? { path: item.path } : {}),
    children: item.children.map((child) => toRowData(child, false, timeZone)),
  };
}

export function areaPermissions(actor: Actor, project: ProjectView): AreaPermissions {
  const entry = (area: Area) => {
    const resource = { kind: "item" as const, projectId: project.id, roles: project.myRoles, area };
    return { work: can(actor, "item.work", resource), waive: can(actor, "item.waive", resource), comment: can(actor, "item.comment", resource) };
  };
  return { DEVOPS: entry("DEVOPS"), DBA: entry("DBA"), SECURITY: entry("SECURITY"), GENERAL: entry("GENERAL") };
}

export type ItemDetail = {
  details: string;
  /** `createdLabel`: when, in the viewer's zone, as every page writes times. */
  evidence: { id: string; kind: "LINK" | "NOTE"; url: string | null; note: string; addedByName: string; createdAt: string; createdLabel: string }[];
  comments: { id: string; authorName: string; body: string; createdAt: string; createdLabel: string }[];
  /** Re-attestation: how often a done item's evidence must be renewed, and by when (done items only). */
  renewal: { everyDays: number | null; dueAt: string | null; dueLabel: string | null };
  /** Whether the viewer may change what the item requires (its title, required flag, renewal). */
  canEditRequirements: boolean;
  /** The latest results, newest first (at most ITEM_DETAIL_RESULTS). */
  results: { id: string; outcome: "PASS" | "FAIL"; counted: boolean; summary: string; url: string | null; facts: Record<string, unknown>; actorName: string; recordedAt: string; recordedLabel: string }[];
};

/** How many of an item's results its detail shows. */
export const ITEM_DETAIL_RESULTS = 20;

/** Evidence and comments of one item, loaded when someone opens it. */
export async function getItemDetail(actor: Actor, itemId: string, zone = "UTC"): Promise<ItemDetail> {
  if (!isUuid(itemId)) throw new AppError("NOT_FOUND", "Item not found.");
  const item = await db.checklistItem.findUnique({
    where: { id: itemId },
    select: {
      details: true,
      status: true,
      renewEveryDays: true,
      attestedAt: true,
      updatedAt: true,
      project: { select: { slug: true } },
      evidence: { orderBy: { createdAt: "asc" }, select: { id: true, kind: true, url: true, note: true, addedByName: true, createdAt: true } },
      comments: { orderBy: { createdAt: "asc" }, select: { id: true, authorName: true, body: true, createdAt: true } },
      results: { orderBy: [{ recordedAt: "desc" }, { id: "desc" }], take: ITEM_DETAIL_RESULTS, select: { id: true, outcome: true, counted: true, summary: true, url: true, facts: true, actorName: true, recordedAt: true } },
    },
  });
  if (!item) throw new AppError("NOT_FOUND", "Item not found.");
  const project = await getProjectForActor(actor, item.project.slug); // NOT_FOUND unless the actor may see the project
  const renewalDue = item.renewEveryDays && item.status === "DONE" ? renewalDueAt(item.attestedAt ?? item.updatedAt, item.renewEveryDays) : null;
  return {
    details: item.details,
    renewal: { everyDays: item.renewEveryDays, dueAt: renewalDue?.toISOString() ?? null, dueLabel: renewalDue ? formatDateTime(renewalDue, zone) : null },
    canEditRequirements: can(actor, "checklist.edit", { kind: "project", projectId: project.id, roles: project.myRoles }),
    evidence: item.evidence.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString(), createdLabel: formatDateTime(entry.createdAt, zone) })),
    comments: item.comments.map((comment) => ({ ...comment, createdAt: comment.createdAt.toISOString(), createdLabel: formatDateTime(comment.createdAt, zone) })),
    results: item.results.map((result) => ({
      ...result,
      facts: result.facts && typeof result.facts === "object" && !Array.isArray(result.facts) ? (result.facts as Record<string, unknown>) : {},
      recordedAt: result.recordedAt.toISOString(),
      recordedLabel: formatDateTime(result.recordedAt, zone),
    })),
  };
}

/** A project's checklist in the exporter's shape, people by email so another project can find them. */
export async function getChecklistForExport(actor: Actor, slug: string): Promise<ExportChecklist> {
  const view = await getChecklist(actor, slug);
  // The view has names and days; an export keeps emails and exact instants.
  const rows = await db.checklistItem.findMany({
    where: { projectId: view.project.id },
    select: { id: true, waiverExpiresAt: true, waiverRiskOwnerId: true, assignee: { select: { email: true } } },
  });
  const ownerIds = [...new Set(rows.flatMap((row) => (row.waiverRiskOwnerId ? [row.waiverRiskOwnerId] : [])))];
  const owners = ownerIds.length > 0 ? await db.user.findMany({ where: { id: { in: ownerIds } }, select: { id: true, email: true } }) : [];
  const ownerEmails = new Map(owners.map((owner) => [owner.id, owner.email]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const toExport = (item: ItemView): ExportItem => {
    const row = byId.get(item.id);
    return {
      title: item.title,
      details: item.details,
      area: item.area,
      required: item.required,
      level: item.level,
      status: item.status,
      assignee: item.assigneeName,
      assigneeEmail: row?.assignee?.email ?? null,
      statusReason: item.statusReason,
      waiver:
        item.status === "WAIVED"
          ? {
              riskOwner: item.waiverRiskOwner,
              riskOwnerEmail: (item.waiverRiskOwnerId && ownerEmails.get(item.waiverRiskOwnerId)) || null,
              controls: item.waiverControls,
              expiresAt: row?.waiverExpiresAt?.toISOString() ?? null,
            }
          : null,
      dueAt: item.dueAt,
      evidenceCount: item.evidenceCount,
      children: item.children.map(toExport),
    };
  };
  return {
    project: { slug: view.project.slug, name: view.project.name },
    ...(view.levels ? { levels: view.levels.names, targetLevel: view.levels.target } : {}),
    exportedAt: new Date().toISOString(),
    sections: view.sections.map((section) => ({ title: section.title, items: section.items.map(toExport) })),
  };
}

/** A project's levels and target level, and whether the viewer may change them (lib/policy.ts, "project.configureLevels"; not once it is live). */
export async function getLevelSettings(actor: Actor, project: ProjectView): Promise<{ levels: string[]; targetLevel: number; canConfigure: boolean }> {
  const row = await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { levels: true, targetLevel: true, liveAt: true } });
  return { levels: row.levels, targetLevel: row.targetLevel, canConfigure: !row.liveAt && can(actor, "project.configureLevels", { kind: "project", projectId: project.id, roles: project.myRoles }) };
}
