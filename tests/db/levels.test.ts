import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getChecklistAsOf } from "@/lib/audit/as-of";
import { getChecklist, getChecklistForExport } from "@/lib/checklists/data";
import { importChecklist, updateItem } from "@/lib/checklists/mutations";
import { toMarkdown } from "@/lib/export/checklist";
import { getPortfolio, readinessAt } from "@/lib/portfolio/data";
import { configureLevels } from "@/lib/projects/configure-levels";
import { createProject } from "@/lib/projects/mutations";
import { getGateForProject } from "@/lib/signoffs/data";
import { templateToMarkdown, fromStoredContent } from "@/lib/templates/content";
import { createTemplate, createTemplateVersion } from "@/lib/templates/mutations";
import {
  actorFor,
  checklistWriterTransaction,
  ctx,
  eventsOf,
  expectAppError,
  makeActor,
  makeEvidence,
  makeItem,
  makeSection,
  makeTeam,
  makeUser,
  sign,
  signoffOf,
  writerTransaction,
  type TestTeam,
} from "./factories";
import { liveProjection, rebuiltProjection } from "./checklist-projection";

// Maturity levels against a real database: an item above the target level does not hold up the
// gate (and does once the target reaches it), a change of target makes stale exactly the
// sign-offs whose scope it changes, in its own transaction with its audit event, and levels
// come through the Markdown round trip and templates.

const LEVELS = ["Beta", "GA"];

/** Sets the levels as a lead would, on what the project holds now. */
async function setLevels(team: TestTeam, levels: string[], targetLevel?: number) {
  const now = await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { levels: true, targetLevel: true } });
  const c = ctx(await team.as("LEAD"));
  const result = await configureLevels(c, { projectId: team.project.id, levels, ...(targetLevel === undefined ? {} : { targetLevel }), expectedLevels: now.levels, expectedTargetLevel: now.targetLevel });
  return { ...result, requestId: c.requestId };
}

async function itemAt(team: TestTeam, area: "DBA" | "SECURITY", level: number, done: boolean, sectionId?: string) {
  const item = await makeItem(team.project, { area, status: done ? "DONE" : "TODO", title: `${area} at ${level} ${randomUUID().slice(0, 4)}`, ...(sectionId ? { sectionId } : {}) });
  await db.checklistItem.update({ where: { id: item.id }, data: { level } });
  if (done) await makeEvidence(item, team.users.LEAD);
  return item;
}

const openItemIds = async (projectId: string) => (await getGateForProject(projectId)).reasons.flatMap((reason) => (reason.code === "ITEM_OPEN" ? [reason.itemId] : []));

describe("the gate with levels", () => {
  it("an item above the target level does not block the gate, readiness or the portfolio; it blocks once the target is raised", async () => {
    const team = await makeTeam(["LEAD", "APPROVER"]);
    await itemAt(team, "DBA", 0, true);
    const ga = await itemAt(team, "DBA", 1, false);
    expect(await openItemIds(team.project.id)).toEqual([ga.id]);

    await setLevels(team, LEVELS, 0);
    expect(await openItemIds(team.project.id)).toEqual([]);
    const lead = await team.as("LEAD");
    const checklist = await getChecklist(lead, team.project.slug);
    expect(checklist.levels).toEqual({ names: LEVELS, target: 0, reached: 0, next: 1, missing: 1 });
    expect(checklist.totals).toMatchObject({ items: 2, required: 1, requiredSatisfied: 1 });
    const row = (await getPortfolio(lead)).rows.find((entry) => entry.id === team.project.id);
    expect(row).toMatchObject({ total: 1, ready: 1, percent: 100, gate: { openRequired: 0 } });

    await setLevels(team, LEVELS, 1);
    expect(await openItemIds(team.project.id)).toEqual([ga.id]);
    const raised = (await getPortfolio(lead)).rows.find((entry) => entry.id === team.project.id);
    expect(raised).toMatchObject({ total: 2, ready: 1, gate: { openRequired: 1 } });
    // The rebuild from the events knows the levels and the target (these items were written directly, without events).
    expect((await getChecklistAsOf(lead, team.project.slug, new Date())).levels).toMatchObject({ names: LEVELS, target: 1 });
  });
});

describe("readiness over time with levels", () => {
  it("leaves out the items above the target level now at every instant, and takes them in once the target reaches them", async () => {
    const team = await makeTeam(["LEAD"]);
    await setLevels(team, LEVELS, 0);
    const markdown = [
      "# Levels",
      "",
      "<!-- shipshape-checklist v1 -->",
      "",
      '<!-- shipshape-levels {"levels":["Beta","GA"]} -->',
      "",
      "## Release",
      "",
      "- [x] Beta done",
      '  <!-- shipshape-item {"area":"GENERAL","required":true,"status":"DONE","level":"Beta"} -->',
      "- [ ] GA open",
      '  <!-- shipshape-item {"area":"GENERAL","required":true,"status":"TODO","level":"GA"} -->',
      "- [x] GA done",
      '  <!-- shipshape-item {"area":"GENERAL","required":true,"status":"DONE","level":"GA"} -->',
      "",
    ].join("\n");
    const before = new Date(Date.now() - 1_000);
    const lead = await team.as("LEAD");
    await importChecklist(ctx(lead), { projectId: team.project.id, markdown, source: "levels.md" });
    const open = await db.checklistItem.findFirstOrThrow({ where: { projectId: team.project.id, title: "GA open" }, select: { id: true, version: true } });
    await updateItem(ctx(lead), { itemId: open.id, expectedVersion: open.version, status: "DONE", note: "Done." });
    const history = async () => (await readinessAt([team.project.id], [before, new Date()])).get(team.project.id);
    expect(await history()).toEqual({ total: [0, 1], ready: [0, 1] });

    await setLevels(team, LEVELS, 1);
    expect(await history()).toEqual({ total: [0, 3], ready: [0, 3] });
  });
});

describe("configureLevels and sign-offs", () => {
  it("raising or lowering the target makes stale only the sign-offs whose scope it changes, with its event in the same transaction", async () => {
    const team = await makeTeam(["LEAD", "APPROVER"]);
    await setLevels(team, LEVELS, 0);
    await itemAt(team, "DBA", 0, true);
    await itemAt(team, "SECURITY", 0, true);
    await itemAt(team, "DBA", 1, false);
    const approver = await team.as("APPROVER");
    for (const slot of ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"] as const) await sign(approver, team.project.id, slot);

    const raised = await setLevels(team, LEVELS, 1);
    expect(raised).toMatchObject({ changed: true, stale: ["DBA", "GO_LIVE"] });
    expect((await signoffOf(team.project.id, "SECURITY", 1)).state).toBe("CURRENT");
    expect((await signoffOf(team.project.id, "DEVOPS", 1)).state).toBe("CURRENT");
    expect(await signoffOf(team.project.id, "DBA", 1)).toMatchObject({ state: "STALE", staleCause: { action: auditActions.LEVELS_CHANGED, itemId: null, title: "target from Beta to GA" } });
    const events = await eventsOf(raised.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.LEVELS_CHANGED, auditActions.SIGNOFF_STALE, auditActions.SIGNOFF_STALE]);
    expect(events[0]).toMatchObject({ before: { levels: LEVELS, targetLevel: 0 }, after: { levels: LEVELS, targetLevel: 1 } });
    const changeTx = await writerTransaction("audit_events", "request_id = $1 AND action = $2", raised.requestId, auditActions.LEVELS_CHANGED);
    expect(await writerTransaction("projects", "id = $1::uuid", team.project.id)).toBe(changeTx);
    expect(await checklistWriterTransaction("signoffs", "project_id = $1::uuid AND slot = 'DBA' AND round = 1", team.project.id)).toBe(changeTx);

    // Renaming a level moves nothing in or out of a scope: nothing goes stale.
    await sign(approver, team.project.id, "DBA");
    await sign(approver, team.project.id, "GO_LIVE");
    const renamed = await setLevels(team, ["Beta", "General availability"]);
    expect(renamed).toMatchObject({ changed: true, stale: [] });
    expect(await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { targetLevel: true } })).toEqual({ targetLevel: 1 });

    const lowered = await setLevels(team, ["Beta", "General availability"], 0);
    expect(lowered.stale).toEqual(["DBA", "GO_LIVE"]);
    expect((await signoffOf(team.project.id, "SECURITY", 1)).state).toBe("CURRENT");
    expect(await setLevels(team, ["Beta", "General availability"], 0)).toEqual({ changed: false, stale: [], requestId: expect.any(String) });
  });

  it("keeps items with their level by name, moves those of a removed level to the level now at its place, and bumps the version of each item that moved", async () => {
    const team = await makeTeam(["LEAD"]);
    await setLevels(team, ["Experiment", "Beta", "GA"], 2);
    const beta = await itemAt(team, "DBA", 1, false);
    const ga = await itemAt(team, "DBA", 2, false);
    const { requestId } = await setLevels(team, ["Experiment", "GA"]);
    // Beta is gone: its item takes the level now in its place (GA, index 1, as before); GA moves down an index.
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: beta.id }, select: { level: true, version: true } })).toEqual({ level: 1, version: beta.version });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: ga.id }, select: { level: true, version: true } })).toEqual({ level: 1, version: ga.version + 1 });
    expect((await eventsOf(requestId))[0]).toMatchObject({ after: { levels: ["Experiment", "GA"], targetLevel: 1, remap: [0, 1, 1], movedItems: 1 } });

    await setLevels(team, []);
    expect(await db.checklistItem.findMany({ where: { projectId: team.project.id }, select: { level: true } })).toEqual([{ level: 0 }, { level: 0 }]);
    expect(await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { levels: true, targetLevel: true } })).toEqual({ levels: [], targetLevel: 0 });
  });

  it("is a lead's or an admin's, on the levels they saw, validated by field; refusals change nothing", async () => {
    const team = await makeTeam(["LEAD", "DBA", "APPROVER"]);
    const projectId = team.project.id;
    const input = { projectId, levels: LEVELS, targetLevel: 0, expectedLevels: [], expectedTargetLevel: 0 };
    const untouched = async () => expect(await db.project.findUniqueOrThrow({ where: { id: projectId }, select: { levels: true, targetLevel: true } })).toEqual({ levels: [], targetLevel: 0 });

    await expectAppError(configureLevels(ctx(await team.as("DBA")), input), "FORBIDDEN");
    await expectAppError(configureLevels(ctx(await team.as("APPROVER")), input), "FORBIDDEN");
    await expectAppError(configureLevels(ctx(await actorFor(await makeUser())), input), "NOT_FOUND");
    await expectAppError(configureLevels(ctx((await makeActor(["AUDITOR"])).actor), input), "FORBIDDEN");
    const lead = ctx(await team.as("LEAD"));
    expect((await expectAppError(configureLevels(lead, { ...input, levels: ["Only"] }), "INVALID_INPUT")).fieldErrors).toHaveProperty("levels");
    expect((await expectAppError(configureLevels(lead, { ...input, levels: "Beta\nbeta" }), "INVALID_INPUT")).fieldErrors).toHaveProperty("levels");
    expect((await expectAppError(configureLevels(lead, { ...input, levels: ["Beta", "x".repeat(41)] }), "INVALID_INPUT")).fieldErrors).toHaveProperty(["levels.1"]);
    expect((await expectAppError(configureLevels(lead, { ...input, targetLevel: 2 }), "INVALID_INPUT")).fieldErrors).toHaveProperty("targetLevel");
    await expectAppError(configureLevels(lead, { ...input, expectedLevels: ["Someone", "Else"] }), "CONFLICT");
    await untouched();
    expect(await eventsOf(lead.requestId)).toEqual([]);

    // Forms send the names one per line; an admin may set them without being a member.
    expect((await configureLevels(ctx((await makeActor(["ADMIN"])).actor), { ...input, levels: "Beta\n\nGA\n" })).changed).toBe(true);
    await db.project.update({ where: { id: projectId }, data: { liveAt: new Date() } });
    await expectAppError(configureLevels(lead, { ...input, expectedLevels: LEVELS, targetLevel: 1 }), "CONFLICT");
  });
});

describe("an item's level through updateItem", () => {
  it("whoever works the item changes its level; the event records exactly that field, and a covering sign-off whose scope it leaves goes stale", async () => {
    const team = await makeTeam(["LEAD", "DBA", "APPROVER"]);
    await setLevels(team, LEVELS, 0);
    const item = await itemAt(team, "DBA", 0, true);
    await sign(await team.as("APPROVER"), team.project.id, "DBA");
    const c = ctx(await team.as("DBA"));
    await updateItem(c, { itemId: item.id, expectedVersion: item.version, level: "1", area: "DBA" });
    const [changed, stale] = await eventsOf(c.requestId);
    expect(changed).toMatchObject({ action: auditActions.ITEM_UPDATED, before: { level: 0, version: item.version }, after: { level: 1, version: item.version + 1 } });
    expect(Object.keys(changed?.after as object).sort()).toEqual(["level", "title", "version"]);
    expect(stale).toMatchObject({ action: auditActions.SIGNOFF_STALE });

    const error = await expectAppError(updateItem(c, { itemId: item.id, expectedVersion: item.version + 1, level: "2" }), "INVALID_INPUT");
    expect(error.fieldErrors).toHaveProperty("level");
  });
});

describe("levels in the Markdown round trip and in templates", () => {
  it("a project created from an export gets its levels and each item's level; an import maps levels by name and refuses others", async () => {
    const team = await makeTeam(["LEAD"]);
    await setLevels(team, ["Experiment", "Beta", "GA"], 1);
    const section = await makeSection(team.project, "Release");
    await itemAt(team, "DBA", 0, false, section.id);
    await itemAt(team, "SECURITY", 2, false, section.id);
    const lead = await team.as("LEAD");
    const markdown = toMarkdown(await getChecklistForExport(lead, team.project.slug));

    const created = await createProject(ctx(lead), { name: "From the export", slug: `levels-${randomUUID()}` }, { markdown, source: "export.md" });
    expect(await db.project.findUniqueOrThrow({ where: { id: created.id }, select: { levels: true, targetLevel: true } })).toEqual({ levels: ["Experiment", "Beta", "GA"], targetLevel: 0 });
    const levelsOf = async (projectId: string) => (await db.checklistItem.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { level: true } })).map((row) => row.level);
    expect(await levelsOf(created.id)).toEqual([0, 2]);
    const again = toMarkdown(await getChecklistForExport(lead, created.slug));
    expect(again.replace(/^# .*$/m, "")).toBe(markdown.replace(/^# .*$/m, ""));
    // Levels reordered and the target raised: the rebuild from the events is the checklist as it is.
    await configureLevels(ctx(lead), { projectId: created.id, levels: ["Experiment", "GA", "Beta"], targetLevel: 2, expectedLevels: ["Experiment", "Beta", "GA"], expectedTargetLevel: 0 });
    expect(await levelsOf(created.id)).toEqual([0, 1]);
    const rebuilt = await getChecklistAsOf(lead, created.slug, new Date());
    expect(rebuilt.state.gaps).toEqual([]);
    expect(rebuiltProjection(rebuilt.state)).toEqual(await liveProjection(created.id));
    expect(rebuilt.gate).toEqual(await getGateForProject(created.id));

    // Into a project whose levels have the same names (letter case aside), in another order.
    const other = await makeTeam(["LEAD"]);
    await setLevels(other, ["ga", "beta", "experiment"], 0);
    await importChecklist(ctx(await other.as("LEAD")), { projectId: other.project.id, markdown, source: "export.md" });
    expect(await levelsOf(other.project.id)).toEqual([2, 0]);

    const foreign = await makeTeam(["LEAD"]);
    await setLevels(foreign, ["Bronze", "Silver"], 0);
    const refused = await expectAppError(importChecklist(ctx(await foreign.as("LEAD")), { projectId: foreign.project.id, markdown, source: "export.md" }), "INVALID_INPUT");
    expect(refused.message).toMatch(/“Experiment”, “Beta”, “GA” are not levels of this project/);
    expect(await db.checklistItem.count({ where: { projectId: foreign.project.id } })).toBe(0);
  });

  it("a template's levels reach the projects made from it (target: the lowest) and survive editing it as Markdown", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const markdown = [
      "# Service",
      "",
      "<!-- shipshape-checklist v1 -->",
      "",
      '<!-- shipshape-levels {"levels":["Bronze","Silver","Gold"]} -->',
      "",
      "## Operations",
      "",
      "- [ ] Health check",
      '  <!-- shipshape-item {"area":"DEVOPS","required":true,"status":"TODO","level":"Bronze"} -->',
      "- [ ] Multi-region",
      '  <!-- shipshape-item {"area":"DEVOPS","required":true,"status":"TODO","level":"Gold"} -->',
      "",
    ].join("\n");
    const template = await createTemplate(ctx(admin), { name: `Levels ${randomUUID().slice(0, 8)}`, markdown });
    const v1 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 1 } });
    expect(fromStoredContent(v1.content).levels).toEqual(["Bronze", "Silver", "Gold"]);
    const project = await createProject(ctx(admin), { name: "On the template", slug: `tpl-levels-${randomUUID()}`, templateVersionId: v1.id });
    expect(await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { levels: true, targetLevel: true } })).toEqual({ levels: ["Bronze", "Silver", "Gold"], targetLevel: 0 });
    expect((await db.checklistItem.findMany({ where: { projectId: project.id }, orderBy: { position: "asc" }, select: { title: true, level: true } }))).toEqual([
      { title: "Health check", level: 0 },
      { title: "Multi-region", level: 2 },
    ]);
    const events = await db.auditEvent.findMany({ where: { projectId: project.id, action: { in: [auditActions.LEVELS_CHANGED, auditActions.CHECKLIST_IMPORTED] } }, orderBy: { seq: "asc" }, select: { action: true } });
    expect(events.map((event) => event.action)).toEqual([auditActions.LEVELS_CHANGED, auditActions.CHECKLIST_IMPORTED]);

    const edited = templateToMarkdown({ slug: template.slug, name: "Service" }, fromStoredContent(v1.content));
    await createTemplateVersion(ctx(admin), { templateId: template.id, expectedVersion: 1, markdown: edited });
    const v2 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 2 } });
    expect(fromStoredContent(v2.content)).toEqual(fromStoredContent(v1.content));
  });
});
