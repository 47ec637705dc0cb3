import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getChecklistAsOf } from "@/lib/audit/as-of";
import { getChecklistForExport } from "@/lib/checklists/data";
import { importChecklist, updateItem } from "@/lib/checklists/mutations";
import { toMarkdown } from "@/lib/export/checklist";
import { actorFor, ctx, makeItem, makeProject, makeSection, makeUser, type TestUser } from "./factories";

// A checklist exported as Markdown and imported into another project comes back the same: every
// status with its reason, waivers (as requests), areas, required flags, nesting, assignees and
// due dates; the import's audit event replays to the same rows.

// The shared files sit beside the checkout (or beside the folder of worktrees).
const shared = ["../shared", "../../shared"].map((dir) => path.resolve(process.cwd(), dir)).find((dir) => existsSync(dir)) ?? path.resolve(process.cwd(), "../shared");

/** A project's checklist as comparable data: no ids or timestamps, items by section and position, people by user. */
async function projection(projectId: string) {
  const sections = await db.checklistSection.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { id: true, title: true } });
  const items = await db.checklistItem.findMany({
    where: { projectId },
    orderBy: { position: "asc" },
    select: {
      id: true,
      sectionId: true,
      parentId: true,
      title: true,
      details: true,
      area: true,
      required: true,
      status: true,
      statusReason: true,
      waiverRiskOwner: true,
      waiverRiskOwnerId: true,
      waiverControls: true,
      waiverExpiresAt: true,
      assigneeId: true,
      dueAt: true,
    },
  });
  type Row = (typeof items)[number];
  const tree = (parentId: string | null, sectionId: string): unknown[] =>
    items
      .filter((item) => item.parentId === parentId && item.sectionId === sectionId)
      .map(({ id, sectionId: _section, parentId: _parent, waiverExpiresAt, dueAt, ...item }: Row) => ({
        ...item,
        waiverExpiresAt: waiverExpiresAt?.toISOString() ?? null,
        dueAt: dueAt?.toISOString() ?? null,
        children: tree(id, sectionId),
      }));
  return sections.map((section) => ({ title: section.title, items: tree(null, section.id) }));
}

async function people() {
  const [lead, dba, security, devops] = await Promise.all([makeUser({ name: "Lee Lead" }), makeUser({ name: "Dana DBA" }), makeUser({ name: "Sam Security" }), makeUser({ name: "Dev Ops" })]);
  const members = (extra: { user: TestUser; roles: ("LEAD" | "DBA" | "SECURITY" | "DEVOPS")[] }[] = []) => [
    { user: lead, roles: ["LEAD" as const] },
    { user: dba, roles: ["DBA" as const] },
    { user: security, roles: ["SECURITY" as const] },
    { user: devops, roles: ["DEVOPS" as const] },
    ...extra,
  ];
  return { lead, dba, security, devops, members };
}

describe("Markdown export and import", () => {
  it("gives back the same checklist in another project, a waiver as a request, and replays it from the audit trail", async () => {
    const { lead, dba, security, members } = await people();
    const outsider = await makeUser({ name: "Out Sider" });
    const source = await makeProject([...members(), { user: outsider, roles: ["DBA"] }]);
    const database = await makeSection(source, "Database");
    const release = await makeSection(source, "Release");
    const expires = new Date("2027-06-30T23:59:59.999Z");
    const due = new Date("2026-12-18T22:59:59.999Z");
    // Titles the area guesser would put elsewhere: the file must decide.
    const done = await makeItem(source, { sectionId: database.id, title: "TLS certificates renewed", area: "DBA", status: "DONE" });
    await db.evidence.create({ data: { itemId: done.id, kind: "NOTE", note: "Renewed.", addedByName: lead.name } });
    const waived = await makeItem(source, { sectionId: database.id, title: "Deploy pipeline green", area: "DBA", status: "WAIVED", statusReason: "Pipeline moves next quarter", waiverRiskOwner: dba.name, waiverExpiresAt: expires });
    await db.checklistItem.update({ where: { id: waived.id }, data: { waiverRiskOwnerId: dba.id, waiverControls: "Manual deploy checklist", assigneeId: dba.id, dueAt: due } });
    const parent = await makeItem(source, { sectionId: database.id, title: "Secrets rotated", area: "SECURITY", status: "IN_PROGRESS", required: false });
    await db.checklistItem.update({ where: { id: parent.id }, data: { assigneeId: security.id } });
    await makeItem(source, { parentId: parent.id, title: "Database replicas", area: "SECURITY", status: "BLOCKED", statusReason: "Waiting on the vendor." });
    const na = await makeItem(source, { parentId: parent.id, title: "Backups encrypted", area: "DEVOPS", status: "NOT_APPLICABLE", statusReason: "No backups on this tier.", required: false });
    await db.checklistItem.update({ where: { id: na.id }, data: { dueAt: due } });
    const todo = await makeItem(source, { sectionId: release.id, title: "Index review **done** - twice", details: "Line one.\n\n* a bullet", area: "GENERAL" });
    // Assigned to someone who is not a member of the target project: dropped and counted.
    await db.checklistItem.update({ where: { id: todo.id }, data: { assigneeId: outsider.id } });

    const markdown = toMarkdown(await getChecklistForExport(await actorFor(lead), source.slug));
    expect(markdown).toContain("<!-- shipshape-checklist v1 -->");
    expect(markdown).toContain("- [x] TLS certificates renewed\n");

    const target = await makeProject(members());
    const leadActor = await actorFor(lead);
    const c = ctx(leadActor);
    const summary = await importChecklist(c, { projectId: target.id, markdown, source: "export.md" });
    expect(summary).toEqual({ sections: 2, items: 6, checked: 1, maxDepth: 2, droppedAssignees: 1, droppedRiskOwners: 0 });

    const expected = JSON.parse(JSON.stringify(await projection(source.id))) as { items: { title: string; assigneeId: string | null }[] }[];
    expected[1]!.items[0]!.assigneeId = null;
    expect(await projection(target.id)).toEqual(expected);

    // The waiver is a request by the importer, not an acceptance.
    const imported = await db.checklistItem.findFirstOrThrow({ where: { projectId: target.id, title: "Deploy pipeline green" } });
    expect(imported).toMatchObject({ waiverGrantedById: lead.id, waiverGrantedByName: lead.name, waiverAcceptedAt: null, waiverAcceptedById: null, version: 1 });
    const evidence = await db.evidence.findMany({ where: { item: { projectId: target.id } }, select: { note: true } });
    expect(evidence).toEqual([{ note: "Imported as checked from export.md." }]);

    // The audit event says what was written, and the rebuild from it matches the rows.
    const [event] = await db.auditEvent.findMany({ where: { projectId: target.id, action: auditActions.CHECKLIST_IMPORTED } });
    expect((event?.after as { items: { status: string }[] }).items.map((item) => item.status).sort()).toEqual(["BLOCKED", "DONE", "IN_PROGRESS", "NOT_APPLICABLE", "TODO", "WAIVED"]);
    const asOf = await getChecklistAsOf(leadActor, target.slug, new Date());
    expect(asOf.state.gaps).toEqual([]);
    const rows = await db.checklistItem.findMany({ where: { projectId: target.id } });
    for (const row of rows) {
      const rebuilt = asOf.state.items.find((item) => item.id === row.id);
      expect(rebuilt).toMatchObject({
        status: row.status,
        statusReason: row.statusReason,
        waiverRiskOwner: row.waiverRiskOwner,
        waiverRiskOwnerId: row.waiverRiskOwnerId,
        waiverControls: row.waiverControls,
        waiverExpiresAt: row.waiverExpiresAt?.toISOString() ?? null,
        waiverGrantedById: row.waiverGrantedById,
        waiverAcceptedAt: null,
        assigneeId: row.assigneeId,
        dueAt: row.dueAt?.toISOString() ?? null,
        area: row.area,
        required: row.required,
      });
    }
  });

  it("round-trips a seed checklist with some work done on it", async () => {
    const { lead, devops, members } = await people();
    const source = await makeProject(members());
    const leadActor = await actorFor(lead);
    const file = "seeds/000_dafddfabcb8469d7.txt";
    const first = await importChecklist(ctx(leadActor), { projectId: source.id, markdown: readFileSync(path.join(shared, file)), source: file });
    const items = await db.checklistItem.findMany({ where: { projectId: source.id }, orderBy: { position: "asc" }, take: 3 });
    const [a, b, c] = items;
    await updateItem(ctx(leadActor), { itemId: a!.id, expectedVersion: a!.version, status: "NOT_APPLICABLE", statusReason: "Not on this service." });
    await updateItem(ctx(leadActor), { itemId: b!.id, expectedVersion: b!.version, status: "BLOCKED", statusReason: "Needs a vendor fix." });
    await db.checklistItem.update({ where: { id: c!.id }, data: { area: "DEVOPS", assigneeId: devops.id, dueAt: new Date("2027-01-15T22:59:59.999Z") } });

    const markdown = toMarkdown(await getChecklistForExport(leadActor, source.slug));
    const target = await makeProject(members());
    const second = await importChecklist(ctx(leadActor), { projectId: target.id, markdown, source: "seed-export.md" });
    expect(first).toEqual({ sections: first.sections, items: 57, checked: first.checked, maxDepth: first.maxDepth });
    expect(second).toEqual({ ...first, droppedAssignees: 0, droppedRiskOwners: 0 });
    expect(await projection(target.id)).toEqual(await projection(source.id));
  });
});
