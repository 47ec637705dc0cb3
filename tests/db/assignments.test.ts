import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { assignFilteredItems, assignItems, selectionDigest } from "@/lib/checklists/assignments";
import { addComment, addEvidence, removeEvidence } from "@/lib/checklists/mutations";
import { ctx, eventsOf, expectAppError, makeItem, makeSection, makeTeam, makeUser, actorFor, type TestItem } from "./factories";

// Assignment and due times against a real database: who may be given an item, all-or-nothing
// bulk changes, due times across zones, and the notifications each change leaves.

const selection = (items: TestItem[]) => items.map((item) => `${item.id}:${item.version}`);

async function itemsState(ids: string[]) {
  return db.checklistItem.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, select: { id: true, assigneeId: true, dueAt: true, version: true } });
}

async function notificationsOf(userId: string) {
  return db.notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
}

describe("assignItems: who may be assigned", () => {
  it("assigns an item to a member holding its area role, bumps its version, audits and notifies", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const item = await makeItem(team.project, { area: "DBA", title: "Backups tested" });
    const c = ctx(await team.as("LEAD"));
    await assignItems(c, { projectId: team.project.id, items: selection([item]), assigneeId: team.users.DBA.id, dueDate: "2027-03-01", timeZone: "Europe/Berlin" });

    const [state] = await itemsState([item.id]);
    expect(state).toMatchObject({ assigneeId: team.users.DBA.id, version: item.version + 1 });
    expect(state?.dueAt?.toISOString()).toBe("2027-03-01T22:59:59.999Z");
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.ITEM_ASSIGNED]);
    expect(events[0]?.before).toMatchObject({ assigneeId: null, dueAt: null });
    expect(events[0]?.after).toMatchObject({ assigneeId: team.users.DBA.id, assigneeName: team.users.DBA.name, dueAt: "2027-03-01T22:59:59.999Z" });

    const [notification, ...more] = await notificationsOf(team.users.DBA.id);
    expect(more).toHaveLength(0);
    expect(notification).toMatchObject({ kind: "ASSIGNED", itemId: item.id, projectId: team.project.id, actorName: team.users.LEAD.name, readAt: null });
    expect(notification?.title).toContain("Backups tested");
    expect(notification?.link).toBe(`/projects/${team.project.slug}#item-${item.id}`);
  });

  it("refuses a member without the item's area role, and a non-member, changing nothing", async () => {
    const team = await makeTeam(["LEAD", "DBA", "DEVOPS", "APPROVER"]);
    const outsider = await makeUser();
    const item = await makeItem(team.project, { area: "DBA" });
    const c = ctx(await team.as("LEAD"));
    for (const assigneeId of [team.users.DEVOPS.id, team.users.APPROVER.id, outsider.id]) {
      const error = await expectAppError(assignItems(c, { projectId: team.project.id, items: selection([item]), assigneeId }), "INVALID_INPUT");
      expect(Object.keys(error.fieldErrors ?? {})).toEqual(["assigneeId"]);
    }
    expect(await itemsState([item.id])).toEqual([{ id: item.id, assigneeId: null, dueAt: null, version: item.version }]);
    expect(await eventsOf(c.requestId)).toHaveLength(0);
    expect(await db.notification.count({ where: { userId: { in: [team.users.DEVOPS.id, team.users.APPROVER.id, outsider.id] } } })).toBe(0);
  });

  it("lets a lead take any item, and GENERAL items go to any area owner but not to an approver", async () => {
    const team = await makeTeam(["LEAD", "SECURITY", "APPROVER"]);
    const general = await makeItem(team.project, { area: "GENERAL" });
    const dba = await makeItem(team.project, { area: "DBA" });
    const c = ctx(await team.as("LEAD"));
    await assignItems(c, { projectId: team.project.id, items: selection([dba]), assigneeId: team.users.LEAD.id });
    await assignItems(c, { projectId: team.project.id, items: selection([general]), assigneeId: team.users.SECURITY.id });
    const fresh = await itemsState([general.id]);
    await expectAppError(assignItems(c, { projectId: team.project.id, items: [`${general.id}:${fresh[0]?.version}`], assigneeId: team.users.APPROVER.id }), "INVALID_INPUT");
    // Assigning oneself notifies nobody.
    expect(await notificationsOf(team.users.LEAD.id)).toHaveLength(0);
  });

  it("is refused to area owners, approvers, viewers and auditors", async () => {
    const team = await makeTeam(["LEAD", "DBA", "APPROVER", "VIEWER"]);
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    const item = await makeItem(team.project, { area: "DBA" });
    for (const actor of [await team.as("DBA"), await team.as("APPROVER"), await team.as("VIEWER")]) {
      await expectAppError(assignItems(ctx(actor), { projectId: team.project.id, items: selection([item]), assigneeId: team.users.DBA.id }), "FORBIDDEN");
    }
    await expectAppError(assignItems(ctx(await actorFor(auditor)), { projectId: team.project.id, items: selection([item]), assigneeId: team.users.DBA.id }), "FORBIDDEN");
    const stranger = await makeTeam(["LEAD"]);
    await expectAppError(assignItems(ctx(await stranger.as("LEAD")), { projectId: team.project.id, items: selection([item]), assigneeId: team.users.DBA.id }), "NOT_FOUND");
    expect(await itemsState([item.id])).toEqual([{ id: item.id, assigneeId: null, dueAt: null, version: item.version }]);
  });

  it("names the field when the input is bad", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const item = await makeItem(team.project, { area: "DBA" });
    const c = ctx(await team.as("LEAD"));
    const nothing = await expectAppError(assignItems(c, { projectId: team.project.id, items: selection([item]) }), "INVALID_INPUT");
    expect(nothing.fieldErrors).toHaveProperty("assigneeId");
    const badDate = await expectAppError(assignItems(c, { projectId: team.project.id, items: selection([item]), dueDate: "next friday" }), "INVALID_INPUT");
    expect(badDate.fieldErrors).toHaveProperty("dueDate");
    const badZone = await expectAppError(assignItems(c, { projectId: team.project.id, items: selection([item]), dueDate: "2027-01-01", timeZone: "Mars/Base" }), "INVALID_INPUT");
    expect(badZone.fieldErrors).toHaveProperty("timeZone");
    const none = await expectAppError(assignItems(c, { projectId: team.project.id, items: [], assigneeId: team.users.DBA.id }), "INVALID_INPUT");
    expect(none.fieldErrors).toHaveProperty("items");
  });
});

describe("assignItems: bulk changes are all or nothing", () => {
  it("assigns every unassigned DBA item of a section in one go, with one notification for the lot", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const section = await makeSection(team.project, "Database");
    const items = await Promise.all([1, 2, 3, 4].map((n) => makeItem(team.project, { sectionId: section.id, area: "DBA", title: `Check ${n}` })));
    const c = ctx(await team.as("LEAD"));
    const result = await assignItems(c, { projectId: team.project.id, items: selection(items), assigneeId: team.users.DBA.id, dueDate: "2027-01-15", timeZone: "UTC" });
    expect(result.changed).toBe(4);
    const states = await itemsState(items.map((item) => item.id));
    expect(states.every((state) => state.assigneeId === team.users.DBA.id && state.dueAt?.toISOString() === "2027-01-15T23:59:59.999Z")).toBe(true);
    expect((await eventsOf(c.requestId)).filter((event) => event.action === auditActions.ITEM_ASSIGNED)).toHaveLength(4);
    const notifications = await notificationsOf(team.users.DBA.id);
    expect(notifications).toHaveLength(1);
    expect(notifications[0]?.title).toContain("4 items");
  });

  it("changes nothing when one item of the selection cannot go to that person", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const ok = await Promise.all([1, 2].map(() => makeItem(team.project, { area: "DBA" })));
    const security = await makeItem(team.project, { area: "SECURITY", title: "TLS everywhere" });
    const all = [...ok, security];
    const before = await itemsState(all.map((item) => item.id));
    const c = ctx(await team.as("LEAD"));
    const error = await expectAppError(assignItems(c, { projectId: team.project.id, items: selection(all), assigneeId: team.users.DBA.id, dueDate: "2027-01-15" }), "INVALID_INPUT");
    expect(error.message).toContain("TLS everywhere");
    expect(error.message).toContain("Security");
    expect(await itemsState(all.map((item) => item.id))).toEqual(before);
    expect(await eventsOf(c.requestId)).toHaveLength(0);
    expect(await notificationsOf(team.users.DBA.id)).toHaveLength(0);
  });

  it("changes nothing when one item changed since the page was loaded (409)", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const items = await Promise.all([1, 2, 3].map((n) => makeItem(team.project, { area: "DBA", title: `Check ${n}` })));
    const stale = selection(items);
    await assignItems(ctx(await team.as("LEAD")), { projectId: team.project.id, items: [stale[1]!], dueDate: "2027-02-01" });
    const before = await itemsState(items.map((item) => item.id));
    const c = ctx(await team.as("LEAD"));
    const error = await expectAppError(assignItems(c, { projectId: team.project.id, items: stale, assigneeId: team.users.DBA.id }), "CONFLICT");
    expect(error.message).toContain("Check 2");
    expect(await itemsState(items.map((item) => item.id))).toEqual(before);
    expect(await eventsOf(c.requestId)).toHaveLength(0);
  });

  it("refuses items of another project in the selection", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const other = await makeTeam(["LEAD"]);
    const mine = await makeItem(team.project, { area: "DBA" });
    const theirs = await makeItem(other.project, { area: "DBA" });
    const c = ctx(await team.as("LEAD"));
    await expectAppError(assignItems(c, { projectId: team.project.id, items: selection([mine, theirs]), assigneeId: team.users.DBA.id }), "CONFLICT");
    expect(await itemsState([mine.id, theirs.id])).toEqual(expect.arrayContaining([expect.objectContaining({ assigneeId: null })]));
    expect((await itemsState([mine.id, theirs.id])).every((state) => state.assigneeId === null)).toBe(true);
  });

  it("unassigns and clears due times, keeping what was not asked to change", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const item = await makeItem(team.project, { area: "DBA" });
    const lead = await team.as("LEAD");
    await assignItems(ctx(lead), { projectId: team.project.id, items: selection([item]), assigneeId: team.users.DBA.id, dueDate: "2027-01-15" });
    let [state] = await itemsState([item.id]);
    await assignItems(ctx(lead), { projectId: team.project.id, items: [`${item.id}:${state?.version}`], dueDate: "none" });
    [state] = await itemsState([item.id]);
    expect(state).toMatchObject({ assigneeId: team.users.DBA.id, dueAt: null });
    await assignItems(ctx(lead), { projectId: team.project.id, items: [`${item.id}:${state?.version}`], assigneeId: "none" });
    [state] = await itemsState([item.id]);
    expect(state).toMatchObject({ assigneeId: null, dueAt: null, version: item.version + 3 });
  });
});

describe("assignFilteredItems: every item a filtered view showed", () => {
  it("assigns what the filter selects when it still selects exactly what the page showed", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const section = await makeSection(team.project, "Database");
    const shown = await Promise.all([1, 2, 3].map((n) => makeItem(team.project, { sectionId: section.id, area: "DBA", title: `Shown ${n}` })));
    await makeItem(team.project, { sectionId: section.id, area: "SECURITY", title: "Not shown" });
    const c = ctx(await team.as("LEAD"));
    const filter = { area: "DBA", assignee: "none", section: section.id };
    const result = await assignFilteredItems(c, { slug: team.project.slug, filter, selection: selectionDigest(shown), assigneeId: team.users.DBA.id, dueDate: "2027-01-15" });
    expect(result.changed).toBe(3);
    expect((await itemsState(shown.map((item) => item.id))).every((state) => state.assigneeId === team.users.DBA.id)).toBe(true);
    expect(await db.checklistItem.count({ where: { projectId: team.project.id, assigneeId: null } })).toBe(1);
  });

  it("changes nothing (409) when an item was added to the view, or one shown changed, since the page was loaded", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const shown = await Promise.all([1, 2].map((n) => makeItem(team.project, { area: "DBA", title: `Shown ${n}` })));
    const digest = selectionDigest(shown);
    const lead = await team.as("LEAD");
    const late = await makeItem(team.project, { area: "DBA", title: "Arrived later" });
    await expectAppError(assignFilteredItems(ctx(lead), { slug: team.project.slug, filter: { area: "DBA" }, selection: digest, assigneeId: team.users.DBA.id }), "CONFLICT");
    await db.checklistItem.delete({ where: { id: late.id } });
    await assignItems(ctx(lead), { projectId: team.project.id, items: selection([shown[0]!]), dueDate: "2027-02-01" });
    await expectAppError(assignFilteredItems(ctx(lead), { slug: team.project.slug, filter: { area: "DBA" }, selection: digest, assigneeId: team.users.DBA.id }), "CONFLICT");
    expect(await db.checklistItem.count({ where: { projectId: team.project.id, assigneeId: { not: null } } })).toBe(0);
    // Someone who may not assign is told so, whatever the selection.
    await expectAppError(assignFilteredItems(ctx(await team.as("DBA")), { slug: team.project.slug, filter: { area: "DBA" }, selection: digest, assigneeId: team.users.DBA.id }), "FORBIDDEN");
  });
});

describe("notifications of work on an assigned item", () => {
  it("tells the assignee about comments and evidence by others, not about their own", async () => {
    const team = await makeTeam(["LEAD", "DBA", "APPROVER"]);
    const item = await makeItem(team.project, { area: "DBA", title: "Replica lag alert" });
    const lead = await team.as("LEAD");
    await assignItems(ctx(lead), { projectId: team.project.id, items: selection([item]), assigneeId: team.users.DBA.id });
    await db.notification.deleteMany({ where: { userId: team.users.DBA.id } });

    await addComment(ctx(await team.as("APPROVER")), { itemId: item.id, body: "Which dashboard shows it?" });
    await addComment(ctx(await team.as("DBA")), { itemId: item.id, body: "The DB overview." });
    let version = (await itemsState([item.id]))[0]!.version;
    const { evidenceId } = await addEvidence(ctx(lead), { itemId: item.id, expectedVersion: version, kind: "LINK", url: "https://grafana.example.com/d/db" });
    version = (await itemsState([item.id]))[0]!.version;
    await removeEvidence(ctx(lead), { itemId: item.id, expectedVersion: version, evidenceId });

    const kinds = (await notificationsOf(team.users.DBA.id)).map((notification) => [notification.kind, notification.actorName]);
    expect(kinds).toEqual([
      ["COMMENTED", team.users.APPROVER.name],
      ["EVIDENCE_CHANGED", team.users.LEAD.name],
      ["EVIDENCE_CHANGED", team.users.LEAD.name],
    ]);
  });

  it("a refused change leaves no notification behind", async () => {
    const team = await makeTeam(["LEAD", "DBA", "VIEWER"]);
    const item = await makeItem(team.project, { area: "DBA" });
    await assignItems(ctx(await team.as("LEAD")), { projectId: team.project.id, items: selection([item]), assigneeId: team.users.DBA.id });
    const before = await db.notification.count({ where: { userId: team.users.DBA.id } });
    await expectAppError(addComment(ctx(await team.as("VIEWER")), { itemId: item.id, body: "Hello" }), "FORBIDDEN");
    await expectAppError(addEvidence(ctx(await team.as("LEAD")), { itemId: item.id, expectedVersion: 1, kind: "NOTE", note: "late" }), "CONFLICT");
    expect(await db.notification.count({ where: { userId: team.users.DBA.id } })).toBe(before);
  });
});
