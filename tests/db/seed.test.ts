import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { DEMO_PASSWORD, demoEmail, demoProjects, demoUsers, seedDemoData } from "@/lib/demo/seed";
import { getProjectForActor, listProjectsForActor } from "@/lib/projects/data";
import { verifyPassword } from "@/lib/users/password";
import { mayBeAssigned } from "@/lib/policy";
import { getChecklistAsOf } from "@/lib/audit/as-of";
import { liveProjection, rebuiltProjection } from "./checklist-projection";
import { actorFor } from "./factories";

// The only file that loads the demo data: its fixed emails (@example.com) and slugs are used
// nowhere else in the tests. Everything here is filtered by those emails and slugs.

const emails = demoUsers.map((user) => demoEmail(user.key));
const slugs = demoProjects.map((project) => project.slug);

async function demoState() {
  const users = await db.user.findMany({ where: { email: { in: emails } }, orderBy: { email: "asc" }, select: { id: true, email: true, name: true, globalRoles: true, passwordHash: true } });
  const projects = await db.project.findMany({ where: { slug: { in: slugs } }, orderBy: { slug: "asc" }, select: { id: true, slug: true, members: { select: { userId: true, roles: true } } } });
  const events = await db.auditEvent.findMany({ where: { requestId: "demo-data" }, orderBy: { id: "asc" } });
  return { users, projects, events };
}

describe("seedDemoData", () => {
  it("loads 7 users and 3 projects with audit events the first time, and nothing the second time", async () => {
    expect((await demoState()).users).toEqual([]);

    expect(await seedDemoData(db)).toBe(true);

    const loaded = await demoState();
    expect(loaded.users).toHaveLength(7);
    expect(loaded.projects).toHaveLength(3);
    const memberships = demoProjects.reduce((sum, project) => sum + Object.keys(project.members).length, 0);
    expect(loaded.projects.reduce((sum, project) => sum + project.members.length, 0)).toBe(memberships);

    // One event per user, project and membership, written with the data.
    const count = (action: string) => loaded.events.filter((event) => event.action === action).length;
    expect(count(auditActions.USER_CREATED)).toBe(7);
    expect(count(auditActions.PROJECT_CREATED)).toBe(3);
    expect(count(auditActions.MEMBER_ADDED)).toBe(memberships);
    // Each demo project's checklist comes from its built-in template, recorded as one import.
    expect(count(auditActions.CHECKLIST_IMPORTED)).toBe(3);
    const loadEvents = loaded.events.filter((event) => event.action !== auditActions.ITEM_ASSIGNED && event.action !== auditActions.ITEM_UPDATED && event.action !== auditActions.WAIVER_ACCEPTED);
    expect(loadEvents).toHaveLength(7 + 3 + memberships + 3);
    expect(loadEvents.every((event) => event.actorId === null)).toBe(true);
    // The review under way is recorded as its people did it: leads assign, owners work.
    const userIds = new Set(loaded.users.map((user) => user.id));
    expect(count(auditActions.ITEM_ASSIGNED)).toBeGreaterThan(30);
    expect(loaded.events.filter((event) => event.action === auditActions.ITEM_ASSIGNED || event.action === auditActions.ITEM_UPDATED).every((event) => event.actorId !== null && userIds.has(event.actorId))).toBe(true);
    expect(loaded.events.filter((event) => event.action === auditActions.USER_CREATED).map((event) => event.entityId).sort()).toEqual(loaded.users.map((user) => user.id).sort());

    expect(await seedDemoData(db)).toBe(false);
    expect(await demoState()).toEqual(loaded);
  });

  it("completes a load that was cut short: a missing project is loaded again, nothing else twice", async () => {
    await seedDemoData(db);
    const before = await demoState();
    const [first, ...others] = before.projects;
    // As if the run had stopped before the first project's transaction committed.
    await db.project.delete({ where: { id: first!.id } });

    expect(await seedDemoData(db)).toBe(true);

    const after = await demoState();
    expect(after.users).toEqual(before.users);
    expect(after.projects.map((project) => project.slug)).toEqual(before.projects.map((project) => project.slug));
    expect(after.projects.filter((project) => project.slug !== first!.slug)).toEqual(others);
    expect(after.projects.find((project) => project.slug === first!.slug)?.members.length).toBe(first!.members.length);
  });

  it("shows a review under way: owners hold their own area's items, some overdue, a third done with evidence, one blocked per project", async () => {
    await seedDemoData(db);
    const { projects } = await demoState();
    const now = new Date();
    for (const project of projects) {
      const items = await db.checklistItem.findMany({
        where: { projectId: project.id },
        select: { area: true, status: true, statusReason: true, required: true, assigneeId: true, dueAt: true, _count: { select: { evidence: true } } },
      });
      const assigned = items.filter((item) => item.assigneeId !== null);
      expect(assigned.length).toBeGreaterThan(0);
      for (const item of assigned) {
        const roles = project.members.find((member) => member.userId === item.assigneeId)?.roles ?? [];
        expect(mayBeAssigned(item.area, roles)).toBe(true);
        expect(item.dueAt).not.toBeNull();
      }
      expect(assigned.some((item) => item.dueAt! < now && item.status !== "DONE")).toBe(true);
      const done = items.filter((item) => item.status === "DONE");
      expect(done.length).toBeGreaterThan(0);
      expect(done.every((item) => item._count.evidence > 0)).toBe(true);
      const blocked = items.filter((item) => item.status === "BLOCKED");
      expect(blocked).toHaveLength(1);
      expect(blocked[0]?.statusReason).toBeTruthy();
    }
  });

  it("has waivers accepted by someone other than their requester, with a member as risk owner, and one request still awaiting acceptance", async () => {
    await seedDemoData(db);
    const { projects } = await demoState();
    const waivers = await db.checklistItem.findMany({
      where: { projectId: { in: projects.map((project) => project.id) }, status: "WAIVED" },
      select: { projectId: true, waiverGrantedById: true, waiverAcceptedById: true, waiverAcceptedAt: true, waiverRiskOwnerId: true },
    });
    const accepted = waivers.filter((waiver) => waiver.waiverAcceptedAt !== null);
    expect(accepted.length).toBeGreaterThan(0);
    for (const waiver of accepted) {
      expect(waiver.waiverAcceptedById).not.toBeNull();
      expect(waiver.waiverAcceptedById).not.toBe(waiver.waiverGrantedById);
    }
    for (const waiver of waivers) {
      const members = projects.find((project) => project.id === waiver.projectId)?.members.map((member) => member.userId) ?? [];
      expect(members).toContain(waiver.waiverRiskOwnerId);
    }
    expect(waivers.filter((waiver) => waiver.waiverAcceptedAt === null)).toHaveLength(1);
  });

  it("gives each demo account its role and the demo password", async () => {
    await seedDemoData(db);
    const { users, projects } = await demoState();
    const byEmail = new Map(users.map((user) => [user.email, user]));

    expect(byEmail.get(demoEmail("admin"))?.globalRoles).toEqual(["ADMIN"]);
    expect(byEmail.get(demoEmail("auditor"))?.globalRoles).toEqual(["AUDITOR"]);
    expect(byEmail.get(demoEmail("lead"))?.globalRoles).toEqual([]);
    const hash = byEmail.get(demoEmail("lead"))?.passwordHash ?? "";
    expect(await verifyPassword(hash, DEMO_PASSWORD)).toBe(true);

    const civic = projects.find((project) => project.slug === "civiclens-api");
    const devopsId = byEmail.get(demoEmail("devops"))?.id;
    expect(civic?.members.find((member) => member.userId === devopsId)?.roles).toEqual(["LEAD", "DEVOPS"]);
  });

  it("the demo lead sees exactly their projects, the auditor sees them all", async () => {
    await seedDemoData(db);
    const { users } = await demoState();
    const user = (key: (typeof demoUsers)[number]["key"]) => {
      const found = users.find((candidate) => candidate.email === demoEmail(key));
      if (!found) throw new Error(`demo user ${key} missing`);
      return found;
    };

    const lead = await actorFor(user("lead"));
    expect(lead.leadsAProject).toBe(true);
    expect((await listProjectsForActor(lead)).map((project) => project.slug).sort()).toEqual([...slugs].sort());
    expect((await getProjectForActor(lead, "civiclens-api")).myRoles).toEqual(["VIEWER"]);

    const security = await actorFor(user("security"));
    expect((await listProjectsForActor(security)).map((project) => project.slug).sort()).toEqual(["civiclens-api", "railway-reservation"]);

    const auditor = await actorFor(user("auditor"));
    expect((await listProjectsForActor(auditor)).map((project) => project.slug)).toEqual(expect.arrayContaining(slugs));
  });

  it("writes events from which each demo checklist rebuilds to exactly what the tables hold", async () => {
    await seedDemoData(db);
    const { users, projects } = await demoState();
    const auditorUser = users.find((candidate) => candidate.email === demoEmail("auditor"));
    if (!auditorUser) throw new Error("demo auditor missing");
    const auditor = await actorFor(auditorUser);
    for (const project of projects) {
      const rebuilt = await getChecklistAsOf(auditor, project.slug, new Date());
      expect(rebuilt.state.gaps, project.slug).toEqual([]);
      expect(rebuiltProjection(rebuilt.state), project.slug).toEqual(await liveProjection(project.id));
    }
  });
});
