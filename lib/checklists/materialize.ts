import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db";
import type { ChecklistData, ChecklistItemData } from "@/lib/checklists/types";

/** An item that may carry its template key (items made from a template do). */
export type KeyedItem = Omit<ChecklistItemData, "children"> & { key?: string; children: KeyedItem[] };
export type KeyedChecklist = { title: string | null; sections: { title: string; items: KeyedItem[] }[] };

export type MaterializedItem = {
  id: string;
  sectionId: string;
  parentId: string | null;
  position: number;
  templateKey: string | null;
  title: string;
  details: string;
  area: ChecklistItemData["area"];
  required: boolean;
  status: ChecklistItemData["status"];
};

export type Materialized = {
  sections: { id: string; title: string; position: number }[];
  items: MaterializedItem[];
};

/**
 * Turns plain checklist data into rows with their ids chosen here, so that a whole checklist
 * (parents before children) is written with two bulk inserts in one transaction.
 */
export function materialize(checklist: KeyedChecklist | ChecklistData, firstSectionPosition: number): Materialized {
  const sections: Materialized["sections"] = [];
  const items: MaterializedItem[] = [];
  const walk = (list: KeyedItem[] | ChecklistItemData[], sectionId: string, parentId: string | null) => {
    list.forEach((item, position) => {
      const id = randomUUID();
      items.push({
        id,
        sectionId,
        parentId,
        position,
        templateKey: "key" in item && typeof item.key === "string" ? item.key : null,
        title: item.title,
        details: item.details,
        area: item.area,
        required: item.required,
        status: item.status,
      });
      walk(item.children, sectionId, id);
    });
  };
  checklist.sections.forEach((section, index) => {
    const id = randomUUID();
    sections.push({ id, title: section.title, position: firstSectionPosition + index });
    walk(section.items, id, null);
  });
  return { sections, items };
}

/** The evidence an import writes for an item checked in its source, as written (ids chosen here). */
export type CheckedEvidence = { id: string; itemId: string; note: string; addedByName: string; createdAt: Date };

/**
 * Writes materialized rows for a project inside the caller's transaction, and returns the
 * evidence written for checked items, so the audit event can name each one.
 */
export async function insertMaterialized(tx: Tx, projectId: string, rows: Materialized, checkedNote: string, actor: { id: string; name: string } | null): Promise<CheckedEvidence[]> {
  await tx.checklistSection.createMany({ data: rows.sections.map((section) => ({ ...section, projectId })) });
  // One statement over parallel arrays: for thousands of items this is several times faster
  // than createMany's multi-row VALUES (measured: 5,000 items in about a tenth of the time).
  // The foreign key on parent_id is checked at the end of the statement, so order does not matter.
  const column = <K extends keyof MaterializedItem>(key: K) => rows.items.map((item) => item[key]);
  await tx.$executeRaw`
    INSERT INTO checklist_items (id, project_id, section_id, parent_id, position, template_key, title, details, area, required, status, updated_at)
    SELECT id, ${projectId}::uuid, section_id, parent_id, position, template_key, title, details, area, required, status, now()
    FROM unnest(
      ${column("id")}::uuid[], ${column("sectionId")}::uuid[], ${column("parentId")}::uuid[], ${column("position")}::int[],
      ${column("templateKey")}::text[], ${column("title")}::text[], ${column("details")}::text[], ${column("area")}::"Area"[],
      ${column("required")}::boolean[], ${column("status")}::"ItemStatus"[]
    ) AS rows(id, section_id, parent_id, position, template_key, title, details, area, required, status)`;
  const createdAt = new Date();
  const checked: CheckedEvidence[] = rows.items
    .filter((item) => item.status === "DONE")
    .map((item) => ({ id: randomUUID(), itemId: item.id, note: checkedNote, addedByName: actor?.name ?? "Shipshape", createdAt }));
  if (checked.length > 0) {
    await tx.evidence.createMany({ data: checked.map((evidence) => ({ ...evidence, kind: "NOTE" as const, addedById: actor?.id ?? null })) });
  }
  return checked;
}

/** The audit snapshot of what an import added: enough to rebuild the checklist later (lib/audit/as-of.ts). */
export function importSnapshot(rows: Materialized, checkedEvidence: readonly CheckedEvidence[]) {
  return {
    sections: rows.sections,
    items: rows.items.map((item) => ({ ...item })),
    checkedEvidence: checkedEvidence.map((evidence) => ({ ...evidence, createdAt: evidence.createdAt.toISOString() })),
  };
}
