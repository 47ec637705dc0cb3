import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import type { Actor } from "@/lib/policy";
import { assignItems } from "@/lib/checklists/assignments";
import { updateItem } from "@/lib/checklists/mutations";
import { getMyWork } from "@/lib/checklists/my-work";
import { getPortfolio } from "@/lib/portfolio/data";
import { getProjectForActor, listProjectsForActor } from "@/lib/projects/data";
import { listSignoffsAwaiting } from "@/lib/signoffs/data";
import { getTeam, listTeams, teamsActorMayAssign } from "@/lib/teams/data";
import { addTeamMember, createTeam, removeTeamMember, setProjectTeam, setTeamMemberRoles, updateTeam } from "@/lib/teams/mutations";
import { resolveSsoAccount } from "@/lib/users/sso";
import { loadActorBySession } from "@/lib/users/data";
import { GET as listProjectsRoute } from "@/app/api/v1/projects/route";
import { countQueries } from "../support/query-count";
import { actorFor, ctx, eventsOf, expectAppError, makeActor, makeItem, makeProject, makeUser, setRequiredSlots, sign, signIn, type TestProject, type TestUser } from "./factories";

// Teams against a real database: a team's members hold their team roles on the projects it owns,
// read afresh on every request (the policy, the portfolio, My area, assignment, sign-offs and the
// REST listing all see them), together with their own roles; admins alone keep teams; every
// change is audited in its own transaction; single sign-on groups add and remove members.

// The REST route authenticates through lib/auth.ts: here the session cookie is stood in for by
// `session.id`, and the actor behind it is loaded from the database on each request, as for real.
const session = vi.hoisted(() => ({ id: "" }));
vi.mock("@/lib/auth", async () => {
  const { AppError } = await import("@/lib/errors");
  const users = await import("@/lib/users/data");
  return {
    requireContext: async () => {
      const actor = await users.loadActorBySession(session.id);
      if (!actor) throw new AppError("UNAUTHORIZED", "Please sign in again.");
      return { actor, requestId: null };
    },
  };
});

type TestTeamRow = { id: string; slug: string; name: string };

/** A team written directly, with these members (granted by `grantedBy`, default: nobody recorded). */
async function makeTeamRow(members: { user: TestUser; roles: ProjectRole[]; grantedBy?: TestUser | null }[] = [], options: { oidcGroup?: string; oidcRoles?: ProjectRole[] } = {}): Promise<TestTeamRow> {
  const suffix = randomUUID().slice(0, 8);
  return db.team.create({
    data: {
      slug: `team-${randomUUID()}`,
      name: `Team ${suffix}`,
      oidcGroup: options.oidcGroup ?? null,
      oidcRoles: options.oidcRoles ?? ["VIEWER"],
      members: { create: members.map(({ user, roles, grantedBy }) => ({ userId: user.id, roles, grantedById: grantedBy?.id ?? null })) },
    },
    select: { id: true, slug: true, name: true },
  });
}

/** A project with its own lead, owned by the team. */
async function teamProject(team: TestTeamRow, members: { user: TestUser; roles: ProjectRole[] }[] = []): Promise<{ project: TestProject; lead: TestUser }> {
  const lead = await makeUser();
  const project = await makeProject([{ user: lead, roles: ["LEAD"] }, ...members]);
  await db.project.update({ where: { id: project.id }, data: { teamId: team.id } });
  return { project, lead };
}

async function teamMemberUpdatedAt(teamId: string, userId: string): Promise<string> {
  return (await db.teamMember.findUniqueOrThrow({ where: { teamId_userId: { teamId, userId } }, select: { updatedAt: true } })).updatedAt.toISOString();
}

/** The PostgreSQL transaction that last wrote a row (see factories' writerTransaction). */
async function writerOf(table: "team_members" | "teams" | "projects" | "audit_events", where: string, ...values: unknown[]): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ xmin: string }[]>(`SELECT xmin::text AS xmin FROM ${table} WHERE ${where}`, ...values);
  expect(rows).toHaveLength(1);
  return rows[0]?.xmin ?? "";
}

/** The slugs GET /api/v1/projects lists for the person signed in on `sessionId`. */
async function restListing(sessionId: string): Promise<string[]> {
  session.id = sessionId;
  const response = await listProjectsRoute(new Request("http://localhost/api/v1/projects"), { params: Promise.resolve({}) });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { projects: { slug: string; myRoles: string[] }[] };
  return body.projects.map((project) => project.slug);
}

/** The same person on their next request: the actor loaded again from their session. */
async function nextRequest(sessionId: string): Promise<Actor> {
  const actor = await loadActorBySession(sessionId);
  if (!actor) throw new Error("the session did not load");
  return actor;
}

describe("team roles on the team's projects", () => {
  it("count from the member's next request and stop counting when they are removed", async () => {
    const dba = await makeUser();
    const { actor: admin } = await makeActor(["ADMIN"]);
    const team = await makeTeamRow();
    const { project } = await teamProject(team);
    const item = await makeItem(project, { area: "DBA" });
    const { sessionId } = await signIn(dba);

    // Not yet in the team: the project does not exist for them.
    await expectAppError(updateItem(ctx(await nextRequest(sessionId)), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" }), "NOT_FOUND");
    expect((await getPortfolio(await nextRequest(sessionId))).rows).toEqual([]);
    expect(await restListing(sessionId)).toEqual([]);

    await addTeamMember(ctx(admin), { teamId: team.id, email: dba.email, roles: ["DBA"] });

    const actor = await nextRequest(sessionId);
    await updateItem(ctx(actor), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" });
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("IN_PROGRESS");
    expect((await getPortfolio(actor)).rows.map((row) => [row.id, row.myRoles])).toEqual([[project.id, ["DBA"]]]);
    expect(await restListing(sessionId)).toEqual([project.slug]);
    const area = await getMyWork(actor, { view: "area", group: "project" }, "UTC");
    expect(area.ownedAreas).toEqual(["DBA"]);
    expect(area.groups.flatMap((group) => group.items.map((entry) => entry.id))).toEqual([item.id]);

    await removeTeamMember(ctx(admin), { teamId: team.id, userId: dba.id });

    const after = await nextRequest(sessionId);
    await expectAppError(updateItem(ctx(after), { itemId: item.id, expectedVersion: 2, status: "DONE", note: "Restored." }), "NOT_FOUND");
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("IN_PROGRESS");
    expect((await getPortfolio(after)).rows).toEqual([]);
    expect(await restListing(sessionId)).toEqual([]);
    expect((await getMyWork(after, { view: "area", group: "project" }, "UTC")).ownedAreas).toEqual([]);
  });

  it("follow the project when it changes teams, and only the owning team's roles count", async () => {
    const member = await makeUser();
    const first = await makeTeamRow([{ user: member, roles: ["SECURITY"] }]);
    const second = await makeTeamRow();
    const { project, lead } = await teamProject(first);
    const { sessionId } = await signIn(member);
    expect((await getProjectForActor(await nextRequest(sessionId), project.slug)).myRoles).toEqual(["SECURITY"]);

    await setProjectTeam(ctx(await makeActor(["ADMIN"]).then((made) => made.actor)), { projectId: project.id, teamId: second.id, expectedTeamId: first.id });

    await expectAppError(getProjectForActor(await nextRequest(sessionId), project.slug), "NOT_FOUND");
    const view = await getProjectForActor(await actorFor(lead), project.slug);
    expect(view.team).toEqual({ id: second.id, slug: second.slug, name: second.name });
    expect(view.members.map((entry) => entry.userId)).toEqual([lead.id]);
  });

  it("add up with a person's own roles on the project", async () => {
    const person = await makeUser({ name: "Una Union" });
    const team = await makeTeamRow([{ user: person, roles: ["DBA", "APPROVER"] }]);
    const { project, lead } = await teamProject(team, [{ user: person, roles: ["VIEWER", "DBA"] }]);
    const actor = await actorFor(person);

    expect((await getProjectForActor(actor, project.slug)).myRoles).toEqual(["DBA", "APPROVER", "VIEWER"]);
    expect((await listProjectsForActor(actor)).map((entry) => entry.myRoles)).toEqual([["DBA", "APPROVER", "VIEWER"]]);
    const row = (await getProjectForActor(await actorFor(lead), project.slug)).members.find((entry) => entry.userId === person.id);
    expect(row).toMatchObject({ roles: ["DBA", "APPROVER", "VIEWER"], memberRoles: ["DBA", "VIEWER"], teamRoles: ["DBA", "APPROVER"] });
    expect((await listSignoffsAwaiting(actor)).map((entry) => entry.slug)).toEqual([project.slug]);
  });

  it("make someone assignable for their area, and no longer once they leave the team", async () => {
    const owner = await makeUser();
    const { actor: admin } = await makeActor(["ADMIN"]);
    const team = await makeTeamRow([{ user: owner, roles: ["DBA"] }]);
    const { project, lead } = await teamProject(team);
    const leadActor = await actorFor(lead);
    const dbaItem = await makeItem(project, { area: "DBA" });
    const securityItem = await makeItem(project, { area: "SECURITY" });

    await assignItems(ctx(leadActor), { projectId: project.id, items: [`${dbaItem.id}:1`], assigneeId: owner.id, dueDate: "keep", timeZone: "UTC" });
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: dbaItem.id } })).assigneeId).toBe(owner.id);
    const refused = await expectAppError(assignItems(ctx(leadActor), { projectId: project.id, items: [`${securityItem.id}:1`], assigneeId: owner.id, dueDate: "keep", timeZone: "UTC" }), "INVALID_INPUT");
    expect(Object.keys(refused.fieldErrors ?? {})).toEqual(["assigneeId"]);

    await removeTeamMember(ctx(admin), { teamId: team.id, userId: owner.id });
    const gone = await expectAppError(assignItems(ctx(leadActor), { projectId: project.id, items: [`${securityItem.id}:1`], assigneeId: owner.id, dueDate: "keep", timeZone: "UTC" }), "INVALID_INPUT");
    expect(gone.fieldErrors?.assigneeId).toEqual(["Choose an active member of this project."]);
  });

  it("make a team LEAD a lead of the team's projects, who may start projects too", async () => {
    const teamLead = await makeUser();
    const team = await makeTeamRow([{ user: teamLead, roles: ["LEAD"] }]);
    expect((await actorFor(teamLead)).leadsAProject).toBe(false);
    await teamProject(team);
    expect((await actorFor(teamLead)).leadsAProject).toBe(true);
  });

  it("are read in a fixed number of queries on the portfolio, however many projects the team owns", async () => {
    const member = await makeUser();
    const team = await makeTeamRow([{ user: member, roles: ["VIEWER"] }]);
    await teamProject(team);
    const actor = await actorFor(member);
    const one = await countQueries(() => getPortfolio(actor));
    for (let index = 0; index < 4; index++) await makeItem((await teamProject(team)).project, { status: "DONE" });
    const five = await countQueries(() => getPortfolio(actor));
    expect(five.result.rows).toHaveLength(5);
    expect(five.result.rows.every((row) => row.myRoles.join() === "VIEWER")).toBe(true);
    expect(five.queries).toBe(one.queries);
  });
});

describe("signing with a role held through a team", () => {
  it("is refused to whoever granted it to themselves, and allowed once someone else grants it", async () => {
    const self = await makeUser({ globalRoles: ["ADMIN"] });
    const other = await makeUser({ globalRoles: ["ADMIN"] });
    const team = await makeTeamRow();
    const { project } = await teamProject(team);
    await setRequiredSlots(project, ["DBA", "GO_LIVE"]);
    await makeItem(project, { area: "DBA", status: "DONE" });
    const selfActor = await actorFor(self);

    await addTeamMember(ctx(selfActor), { teamId: team.id, email: self.email, roles: ["APPROVER"] });
    const before = await db.signoff.count({ where: { projectId: project.id } });
    const refused = await expectAppError(sign(await actorFor(self), project.id, "DBA"), "FORBIDDEN");
    expect(refused.message).toContain("You granted yourself the approver role");
    expect(await db.signoff.count({ where: { projectId: project.id } })).toBe(before);
    const row = (await getProjectForActor(selfActor, project.slug)).members.find((entry) => entry.userId === self.id);
    expect(row?.selfGrantedRoles).toEqual(["APPROVER"]);

    // Another admin setting the roles (adding a signing role) vouches for them.
    await setTeamMemberRoles(ctx(await actorFor(other)), { teamId: team.id, userId: self.id, roles: ["DBA", "APPROVER"], expectedUpdatedAt: await teamMemberUpdatedAt(team.id, self.id) });
    await sign(await actorFor(self), project.id, "DBA");
    expect(await db.signoff.count({ where: { projectId: project.id, slot: "DBA", approverId: self.id } })).toBe(1);
  });

  it("is not laundered by someone else's change that adds no signing role", async () => {
    const self = await makeUser({ globalRoles: ["ADMIN"] });
    const { actor: other } = await makeActor(["ADMIN"]);
    const team = await makeTeamRow();
    const { project } = await teamProject(team);
    await setRequiredSlots(project, ["DBA", "GO_LIVE"]);
    await addTeamMember(ctx(await actorFor(self)), { teamId: team.id, email: self.email, roles: ["APPROVER"] });
    await setTeamMemberRoles(ctx(other), { teamId: team.id, userId: self.id, roles: ["APPROVER", "VIEWER"], expectedUpdatedAt: await teamMemberUpdatedAt(team.id, self.id) });
    await expectAppError(sign(await actorFor(self), project.id, "DBA"), "FORBIDDEN");
  });

  it("by someone the admin added to the team is theirs to sign with", async () => {
    const approver = await makeUser();
    const { actor: admin } = await makeActor(["ADMIN"]);
    const team = await makeTeamRow();
    const { project } = await teamProject(team);
    await setRequiredSlots(project, ["DBA", "GO_LIVE"]);
    await addTeamMember(ctx(admin), { teamId: team.id, email: approver.email, roles: ["APPROVER"] });
    await sign(await actorFor(approver), project.id, "DBA");
    expect(await db.signoff.count({ where: { projectId: project.id, approverId: approver.id } })).toBe(1);
  });
});

describe("keeping teams", () => {
  it("is for admins only: a lead, an auditor and a team's own LEAD are refused and nothing is written", async () => {
    const leadUser = await makeUser();
    await makeProject([{ user: leadUser, roles: ["LEAD"] }]);
    const teamLead = await makeUser();
    const team = await makeTeamRow([{ user: teamLead, roles: ["LEAD"] }]);
    const target = await makeUser();
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    for (const actor of [await actorFor(leadUser), auditor, await actorFor(teamLead)]) {
      const c = ctx(actor);
      const slug = `refused-${randomUUID()}`;
      await expectAppError(createTeam(c, { name: "Refused", slug }), "FORBIDDEN");
      await expectAppError(addTeamMember(c, { teamId: team.id, email: target.email, roles: ["VIEWER"] }), "FORBIDDEN");
      await expectAppError(setTeamMemberRoles(c, { teamId: team.id, userId: teamLead.id, roles: ["VIEWER"], expectedUpdatedAt: await teamMemberUpdatedAt(team.id, teamLead.id) }), "FORBIDDEN");
      await expectAppError(removeTeamMember(c, { teamId: team.id, userId: teamLead.id }), "FORBIDDEN");
      await expectAppError(listTeams(actor), "FORBIDDEN");
      expect(await db.team.count({ where: { slug } })).toBe(0);
      expect(await eventsOf(c.requestId)).toEqual([]);
    }
    expect(await db.teamMember.findMany({ where: { teamId: team.id }, select: { userId: true, roles: true } })).toEqual([{ userId: teamLead.id, roles: ["LEAD"] }]);
  });

  it("names the field of each invalid input, and writes nothing", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const c = ctx(admin);
    const name = `Nameless ${randomUUID()}`;
    const badSlug = await expectAppError(createTeam(c, { name, slug: "Not A Slug" }), "INVALID_INPUT");
    expect(Object.keys(badSlug.fieldErrors ?? {})).toEqual(["slug"]);
    const groupRoles = await expectAppError(createTeam(c, { name, oidcGroup: "platform-team", oidcRoles: [] }), "INVALID_INPUT");
    expect(groupRoles.fieldErrors).toEqual({ oidcRoles: ["Choose the roles the group's members get."] });
    const short = await expectAppError(createTeam(c, { name: "x" }), "INVALID_INPUT");
    expect(Object.keys(short.fieldErrors ?? {})).toEqual(["name"]);
    expect(await db.team.count({ where: { name } })).toBe(0);

    const team = await makeTeamRow();
    const nobody = await expectAppError(addTeamMember(c, { teamId: team.id, email: `nobody-${randomUUID()}@shipshape.test`, roles: ["VIEWER"] }), "INVALID_INPUT");
    expect(Object.keys(nobody.fieldErrors ?? {})).toEqual(["email"]);
    const user = await makeUser();
    const noRoles = await expectAppError(addTeamMember(c, { teamId: team.id, email: user.email, roles: [] }), "INVALID_INPUT");
    expect(noRoles.fieldErrors?.roles).toEqual(["Choose at least one role."]);
    const badEmail = await expectAppError(addTeamMember(c, { teamId: "nope", email: "not-an-email", roles: ["VIEWER"] }), "INVALID_INPUT");
    expect(Object.keys(badEmail.fieldErrors ?? {}).sort()).toEqual(["email", "teamId"]);
    expect(await db.teamMember.count({ where: { teamId: team.id } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("refuses a slug or group another team has (CONFLICT on the field), and a stale edit", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const group = `group-${randomUUID()}`;
    const taken = await makeTeamRow([], { oidcGroup: group });
    const slug = await expectAppError(createTeam(ctx(admin), { name: "Same Slug", slug: taken.slug }), "CONFLICT");
    expect(Object.keys(slug.fieldErrors ?? {})).toEqual(["slug"]);
    const sameGroup = await expectAppError(createTeam(ctx(admin), { name: "Same Group", oidcGroup: group, oidcRoles: ["VIEWER"] }), "CONFLICT");
    expect(Object.keys(sameGroup.fieldErrors ?? {})).toEqual(["oidcGroup"]);

    const member = await makeUser();
    await addTeamMember(ctx(admin), { teamId: taken.id, email: member.email, roles: ["VIEWER"] });
    const seen = await teamMemberUpdatedAt(taken.id, member.id);
    await setTeamMemberRoles(ctx(admin), { teamId: taken.id, userId: member.id, roles: ["DBA"], expectedUpdatedAt: seen });
    const c = ctx(admin);
    await expectAppError(setTeamMemberRoles(c, { teamId: taken.id, userId: member.id, roles: ["SECURITY"], expectedUpdatedAt: seen }), "CONFLICT");
    const teamSeen = (await db.team.findUniqueOrThrow({ where: { id: taken.id } })).updatedAt.toISOString();
    await updateTeam(ctx(admin), { teamId: taken.id, name: "Renamed", description: "", expectedUpdatedAt: teamSeen });
    await expectAppError(updateTeam(c, { teamId: taken.id, name: "Renamed again", description: "", expectedUpdatedAt: teamSeen }), "CONFLICT");
    expect((await db.teamMember.findUniqueOrThrow({ where: { teamId_userId: { teamId: taken.id, userId: member.id } } })).roles).toEqual(["DBA"]);
    expect(await eventsOf(c.requestId)).toEqual([]);
    // Without a group, the team stops taking members from one.
    expect(await db.team.findUniqueOrThrow({ where: { id: taken.id }, select: { name: true, oidcGroup: true } })).toEqual({ name: "Renamed", oidcGroup: null });
  });

  it("writes each change's audit event in the change's own transaction", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const member = await makeUser();

    const created = ctx(admin);
    const team = await createTeam(created, { name: `Platform ${randomUUID().slice(0, 6)}`, description: "Runs the platform.", oidcGroup: `platform-${randomUUID()}`, oidcRoles: ["DEVOPS", "VIEWER"] });
    const [createdEvent] = await eventsOf(created.requestId);
    expect(createdEvent).toMatchObject({ action: auditActions.TEAM_CREATED, actorId: admin.id, entityType: "team", entityId: team.id, after: { slug: team.slug, oidcRoles: ["DEVOPS", "VIEWER"] } });
    expect(await writerOf("audit_events", "id = $1", createdEvent?.id)).toBe(await writerOf("teams", "id = $1::uuid", team.id));

    const added = ctx(admin);
    await addTeamMember(added, { teamId: team.id, email: member.email.toUpperCase(), roles: ["DBA"] });
    const [addedEvent] = await eventsOf(added.requestId);
    expect(addedEvent).toMatchObject({ action: auditActions.TEAM_MEMBER_ADDED, entityId: team.id, after: { userId: member.id, roles: ["DBA"], grantedById: admin.id } });
    expect(await writerOf("audit_events", "id = $1", addedEvent?.id)).toBe(await writerOf("team_members", "team_id = $1::uuid AND user_id = $2::uuid", team.id, member.id));

    const changed = ctx(admin);
    await setTeamMemberRoles(changed, { teamId: team.id, userId: member.id, roles: ["LEAD", "DBA"], expectedUpdatedAt: await teamMemberUpdatedAt(team.id, member.id) });
    const [changedEvent] = await eventsOf(changed.requestId);
    expect(changedEvent).toMatchObject({ action: auditActions.TEAM_MEMBER_ROLES_CHANGED, before: { roles: ["DBA"] }, after: { roles: ["LEAD", "DBA"] } });
    expect(await writerOf("audit_events", "id = $1", changedEvent?.id)).toBe(await writerOf("team_members", "team_id = $1::uuid AND user_id = $2::uuid", team.id, member.id));

    const { project } = await teamProject(await makeTeamRow());
    const moved = ctx(admin);
    expect(await setProjectTeam(moved, { projectId: project.id, teamId: team.id, expectedTeamId: (await db.project.findUniqueOrThrow({ where: { id: project.id } })).teamId ?? "" })).toEqual({ changed: true });
    const [movedEvent] = await eventsOf(moved.requestId);
    expect(movedEvent).toMatchObject({ action: auditActions.PROJECT_TEAM_CHANGED, projectId: project.id, after: { teamId: team.id } });
    expect(await writerOf("audit_events", "id = $1", movedEvent?.id)).toBe(await writerOf("projects", "id = $1::uuid", project.id));

    const removed = ctx(admin);
    await removeTeamMember(removed, { teamId: team.id, userId: member.id });
    expect((await eventsOf(removed.requestId)).map((event) => [event.action, (event.before as { userId?: string } | null)?.userId])).toEqual([[auditActions.TEAM_MEMBER_REMOVED, member.id]]);
    expect(await db.teamMember.count({ where: { teamId: team.id } })).toBe(0);

    const view = await getTeam(admin, team.slug);
    expect(view.projects.map((entry) => entry.id)).toEqual([project.id]);
  });
});

describe("the owning team of a project", () => {
  it("is set by the project's lead to a team they lead, or none; an admin sets any; others are refused", async () => {
    const leadUser = await makeUser();
    const viewer = await makeUser();
    const project = await makeProject([{ user: leadUser, roles: ["LEAD"] }, { user: viewer, roles: ["VIEWER"] }]);
    const led = await makeTeamRow([{ user: leadUser, roles: ["LEAD"] }]);
    const joined = await makeTeamRow([{ user: leadUser, roles: ["DBA"] }]);
    const lead = await actorFor(leadUser);
    expect((await teamsActorMayAssign(lead)).map((team) => team.id)).toEqual([led.id]);

    const notLed = await expectAppError(setProjectTeam(ctx(lead), { projectId: project.id, teamId: joined.id, expectedTeamId: "" }), "FORBIDDEN");
    expect(Object.keys(notLed.fieldErrors ?? {})).toEqual(["teamId"]);
    await expectAppError(setProjectTeam(ctx(await actorFor(viewer)), { projectId: project.id, teamId: "", expectedTeamId: "" }), "FORBIDDEN");
    await expectAppError(setProjectTeam(ctx(await makeActor().then((made) => made.actor)), { projectId: project.id, teamId: led.id, expectedTeamId: "" }), "NOT_FOUND");
    const unknown = await expectAppError(setProjectTeam(ctx(lead), { projectId: project.id, teamId: randomUUID(), expectedTeamId: "" }), "INVALID_INPUT");
    expect(Object.keys(unknown.fieldErrors ?? {})).toEqual(["teamId"]);
    const malformed = await expectAppError(setProjectTeam(ctx(lead), { projectId: project.id, teamId: "platform", expectedTeamId: "" }), "INVALID_INPUT");
    expect(Object.keys(malformed.fieldErrors ?? {})).toEqual(["teamId"]);
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).teamId).toBeNull();

    await setProjectTeam(ctx(lead), { projectId: project.id, teamId: led.id, expectedTeamId: "" });
    // The form was out of date: someone had set the team meanwhile.
    await expectAppError(setProjectTeam(ctx(lead), { projectId: project.id, teamId: "", expectedTeamId: "" }), "CONFLICT");
    await setProjectTeam(ctx(lead), { projectId: project.id, teamId: "", expectedTeamId: led.id });
    const { actor: admin } = await makeActor(["ADMIN"]);
    await setProjectTeam(ctx(admin), { projectId: project.id, teamId: joined.id, expectedTeamId: "" });
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).teamId).toBe(joined.id);
  });
});

describe("single sign-on groups", () => {
  const ISSUER = "https://id.groups.example.test";
  const claimsFor = (user: TestUser, groups?: string[]) => ({ issuer: ISSUER, subject: `s-${user.id}`, email: user.email, emailVerified: true, ...(groups ? { groups } : {}) });
  const noJit = { jitDomains: [] };

  it("add the person to each team of a listed group with its roles, and remove them when the group is no longer listed", async () => {
    const user = await makeUser();
    const group = `platform-${randomUUID()}`;
    const mapped = await makeTeamRow([], { oidcGroup: group, oidcRoles: ["DEVOPS", "VIEWER"] });
    const other = await makeTeamRow([], { oidcGroup: `other-${randomUUID()}` });
    const byHand = await makeTeamRow([{ user, roles: ["SECURITY"] }]);
    const { project } = await teamProject(mapped);

    const first = `sso-${randomUUID()}`;
    expect(await resolveSsoAccount(claimsFor(user, [group, "unmapped-group"]), noJit, first)).toMatchObject({ id: user.id });
    expect(await db.teamMember.findMany({ where: { userId: user.id }, select: { teamId: true, roles: true, grantedById: true } })).toEqual(
      expect.arrayContaining([
        { teamId: mapped.id, roles: ["DEVOPS", "VIEWER"], grantedById: null },
        { teamId: byHand.id, roles: ["SECURITY"], grantedById: null },
      ]),
    );
    expect(await db.teamMember.count({ where: { userId: user.id, teamId: other.id } })).toBe(0);
    const added = (await eventsOf(first)).find((event) => event.action === auditActions.TEAM_MEMBER_ADDED);
    expect(added).toMatchObject({ actorId: null, entityId: mapped.id, after: { userId: user.id, roles: ["DEVOPS", "VIEWER"], via: "single sign-on", group } });
    expect((await getProjectForActor(await actorFor(user), project.slug)).myRoles).toEqual(["DEVOPS", "VIEWER"]);

    // A token without the claim says nothing about groups: nothing changes.
    await resolveSsoAccount(claimsFor(user), noJit, `sso-${randomUUID()}`);
    expect(await db.teamMember.count({ where: { userId: user.id, teamId: mapped.id } })).toBe(1);

    const later = `sso-${randomUUID()}`;
    await resolveSsoAccount(claimsFor(user, []), noJit, later);
    expect(await db.teamMember.findMany({ where: { userId: user.id }, select: { teamId: true } })).toEqual([{ teamId: byHand.id }]);
    expect((await eventsOf(later)).map((event) => [event.action, event.actorId, event.entityId])).toEqual([[auditActions.TEAM_MEMBER_REMOVED, null, mapped.id]]);
    await expectAppError(getProjectForActor(await actorFor(user), project.slug), "NOT_FOUND");
  });

  it("keep roles an admin set by hand, and follow the team's group roles otherwise", async () => {
    const byAdmin = await makeUser();
    const bySignOn = await makeUser();
    const { actor: admin } = await makeActor(["ADMIN"]);
    const group = `dba-${randomUUID()}`;
    const team = await makeTeamRow([], { oidcGroup: group, oidcRoles: ["VIEWER"] });
    await addTeamMember(ctx(admin), { teamId: team.id, email: byAdmin.email, roles: ["LEAD"] });
    await resolveSsoAccount(claimsFor(bySignOn, [group]), noJit, `sso-${randomUUID()}`);
    await db.team.update({ where: { id: team.id }, data: { oidcRoles: ["DBA"] } });

    await resolveSsoAccount(claimsFor(byAdmin, [group]), noJit, `sso-${randomUUID()}`);
    const changed = `sso-${randomUUID()}`;
    await resolveSsoAccount(claimsFor(bySignOn, [group]), noJit, changed);

    const roles = async (user: TestUser) => (await db.teamMember.findUniqueOrThrow({ where: { teamId_userId: { teamId: team.id, userId: user.id } } })).roles;
    expect(await roles(byAdmin)).toEqual(["LEAD"]);
    expect(await roles(bySignOn)).toEqual(["DBA"]);
    expect((await eventsOf(changed)).map((event) => event.action)).toEqual([auditActions.TEAM_MEMBER_ROLES_CHANGED]);
  });
});
