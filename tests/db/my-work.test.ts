import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assignItems } from "@/lib/checklists/assignments";
import { getChecklist } from "@/lib/checklists/data";
import { getMyWork } from "@/lib/checklists/my-work";
import { actorFor, ctx, makeItem, makeProject, makeUser } from "./factories";

// The owner views against a real database: "My area" shows an owner their area's open items
// in exactly the projects where they own it; "Assigned to me" what they hold; and due times are
// judged as instants, whatever zone they were set or are read in.

async function ownerWithProjects() {
  const owner = await makeUser({ name: "Dana Owner" });
  const lead = await makeUser({ name: "Lee Lead" });
  const both = await makeProject([
    { user: owner, roles: ["DBA", "SECURITY"] },
    { user: lead, roles: ["LEAD"] },
  ]);
  const dbaOnly = await makeProject([
    { user: owner, roles: ["DBA"] },
    { user: lead, roles: ["LEAD"] },
  ]);
  const viewerOnly = await makeProject([
    { user: owner, roles: ["VIEWER"] },
    { user: lead, roles: ["LEAD"] },
  ]);
  const foreign = await makeProject([{ user: lead, roles: ["LEAD"] }]);
  return { owner, lead, both, dbaOnly, viewerOnly, foreign };
}

describe("My area", () => {
  it("lists the open items of the chosen area in the projects where the person owns it, and nothing else", async () => {
    const { owner, both, dbaOnly, viewerOnly, foreign } = await ownerWithProjects();
    await makeItem(both, { area: "DBA", title: "Backups tested" });
    const open2 = await makeItem(dbaOnly, { area: "DBA", title: "Replica lag alert", status: "BLOCKED", statusReason: "No metrics yet" });
    const expired = await makeItem(dbaOnly, { area: "DBA", title: "Old waiver", status: "WAIVED", waiverRiskOwner: "CTO", waiverExpiresAt: new Date(Date.now() - 86_400_000) });
    await makeItem(both, { area: "DBA", status: "DONE", title: "Done already" });
    await makeItem(dbaOnly, { area: "DBA", status: "WAIVED", waiverRiskOwner: "CTO", waiverExpiresAt: new Date(Date.now() + 86_400_000), title: "Valid waiver" });
    await makeItem(both, { area: "SECURITY", title: "TLS everywhere" });
    await makeItem(viewerOnly, { area: "DBA", title: "Not my project role" });
    await makeItem(foreign, { area: "DBA", title: "Not my project" });

    const actor = await actorFor(owner);
    const work = await getMyWork(actor, { view: "area", group: "project" }, "UTC");
    expect(work.ownedAreas).toEqual(["DBA", "SECURITY"]);
    expect(work.area).toBe("DBA");
    const titles = work.groups.flatMap((group) => group.items.map((item) => item.title)).sort();
    expect(titles).toEqual(["Backups tested", "Old waiver", "Replica lag alert"]);
    expect(work.groups.map((group) => group.title).sort()).toEqual([both.name, dbaOnly.name].sort());
    expect(work.total).toBe(3);
    const blocked = work.groups.flatMap((group) => group.items).find((item) => item.id === open2.id);
    expect(blocked).toMatchObject({ effectiveStatus: "BLOCKED", statusReason: "No metrics yet" });
    expect(work.groups.flatMap((group) => group.items).find((item) => item.id === expired.id)?.effectiveStatus).toBe("WAIVER_EXPIRED");
    // The owner may work these items where they are listed.
    for (const project of work.projects) expect(project.permissions.DBA.work).toBe(true);

    const security = await getMyWork(actor, { view: "area", area: "SECURITY", group: "project" }, "UTC");
    expect(security.groups.flatMap((group) => group.items.map((item) => item.title))).toEqual(["TLS everywhere"]);
    // An area the person does not own falls back to one they do.
    const devops = await getMyWork(actor, { view: "area", area: "DEVOPS", group: "project" }, "UTC");
    expect(devops.area).toBe("DBA");
  });

  it("groups by due date: overdue first, then due soon, later, and no date", async () => {
    const { owner, both } = await ownerWithProjects();
    const now = new Date();
    const day = 86_400_000;
    const items = await Promise.all(["late", "soon", "later", "undated"].map((title) => makeItem(both, { area: "DBA", title })));
    const dueAts = [new Date(now.getTime() - day), new Date(now.getTime() + day), new Date(now.getTime() + 10 * day), null];
    await Promise.all(items.map((item, index) => db.checklistItem.update({ where: { id: item.id }, data: { dueAt: dueAts[index] ?? null, assigneeId: owner.id } })));
    const work = await getMyWork(await actorFor(owner), { view: "area", group: "due" }, "UTC", now);
    expect(work.groups.map((group) => [group.title, group.items.map((item) => item.title)])).toEqual([
      ["Overdue", ["late"]],
      ["Due within two days", ["soon"]],
      ["Due later", ["later"]],
      ["No due date", ["undated"]],
    ]);
    expect(work.groups[0]?.items[0]?.project).toEqual({ slug: both.slug, name: both.name });
  });
});

describe("Assigned to me", () => {
  it("lists what the person holds in any role, open items only", async () => {
    const { owner, lead, both } = await ownerWithProjects();
    const mine = await makeItem(both, { area: "SECURITY", title: "Mine" });
    const done = await makeItem(both, { area: "SECURITY", title: "Mine but done", status: "DONE" });
    await makeItem(both, { area: "SECURITY", title: "Not mine" });
    const leadActor = await actorFor(lead);
    await assignItems(ctx(leadActor), { projectId: both.id, items: [`${mine.id}:${mine.version}`, `${done.id}:${done.version}`], assigneeId: owner.id });
    const work = await getMyWork(await actorFor(owner), { view: "assigned", group: "project" }, "UTC");
    expect(work.groups.flatMap((group) => group.items.map((item) => item.title))).toEqual(["Mine"]);
    expect(work.groups[0]?.items[0]).toMatchObject({ assigneeName: owner.name });
  });
});

describe("due times across time zones", () => {
  it("stores the end of the due day in the setter's zone, shows it in the viewer's, and is overdue at the same instant for everyone", async () => {
    const { owner, lead, both } = await ownerWithProjects();
    const item = await makeItem(both, { area: "DBA", title: "Failover drill" });
    await assignItems(ctx(await actorFor(lead)), { projectId: both.id, items: [`${item.id}:${item.version}`], assigneeId: owner.id, dueDate: "2026-12-05", timeZone: "Europe/Berlin" });
    const stored = await db.checklistItem.findUniqueOrThrow({ where: { id: item.id }, select: { dueAt: true } });
    expect(stored.dueAt?.toISOString()).toBe("2026-12-05T22:59:59.999Z");

    const actor = await actorFor(owner);
    const justBefore = new Date("2026-12-05T22:59:59.000Z");
    const justAfter = new Date("2026-12-05T23:00:00.000Z");
    for (const zone of ["Europe/Berlin", "America/New_York", "Asia/Tokyo"]) {
      const before = await getMyWork(actor, { view: "assigned", group: "due" }, zone, justBefore);
      const after = await getMyWork(actor, { view: "assigned", group: "due" }, zone, justAfter);
      expect(before.groups.map((group) => group.title)).toEqual(["Due within two days"]);
      expect(after.groups.map((group) => group.title)).toEqual(["Overdue"]);
    }
    const labels = await Promise.all(
      ["Europe/Berlin", "America/New_York", "Asia/Tokyo"].map(async (zone) => (await getMyWork(actor, { view: "assigned", group: "project" }, zone, justBefore)).groups[0]?.items[0]?.dueLabel),
    );
    expect(labels).toEqual(["5 Dec 2026, 23:59", "5 Dec 2026, 17:59", "6 Dec 2026, 07:59"]);

    // The project checklist agrees: its overdue filter turns at the same instant.
    const overdueBefore = await getChecklist(actor, both.slug, { due: "overdue" }, justBefore);
    const overdueAfter = await getChecklist(actor, both.slug, { due: "overdue" }, justAfter);
    expect(overdueBefore.sections).toHaveLength(0);
    expect(overdueAfter.sections.flatMap((section) => section.items.map((entry) => entry.title))).toEqual(["Failover drill"]);
  });
});
