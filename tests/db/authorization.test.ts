import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import type { ErrorCode } from "@/lib/errors";
import type { Actor } from "@/lib/policy";
import { getProjectForActor, listProjectsForActor } from "@/lib/projects/data";
import { addMember, createProject, removeMember, setMemberRoles } from "@/lib/projects/mutations";
import { addTeamMember, createTeam, removeTeamMember, setProjectTeam, setTeamMemberRoles } from "@/lib/teams/mutations";
import { listUsers } from "@/lib/users/data";
import { createUser, setUserDisabled } from "@/lib/users/mutations";
import { actorFor, ctx, eventsOf, expectAppError, makeActor, makeProject, makeUser, memberUpdatedAt, membersOf, type TestProject, type TestUser } from "./factories";

// The authorization matrix on the services. Each refusal asserts the error code AND that
// nothing changed: the memberships are as before and no audit event was written.

/** A project with one member per role (plus a plain VIEWER to act upon), and a second project. */
async function world() {
  const roles: ProjectRole[] = ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"];
  const holders = await Promise.all(roles.map(() => makeUser()));
  const byRole = Object.fromEntries(roles.map((role, index) => [role, holders[index]])) as Record<ProjectRole, TestUser>;
  const [target, outsider, newcomer, otherLead] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
  const project = await makeProject([...roles.map((role) => ({ user: byRole[role], roles: [role] })), { user: target, roles: ["VIEWER"] }]);
  const other = await makeProject([{ user: otherLead, roles: ["LEAD"] }]);
  // A team every project member leads, so that only the project side of setProjectTeam decides.
  const team = await db.team.create({
    data: { slug: `team-${randomUUID()}`, name: "Matrix Team", members: { create: [...holders, otherLead].map((user) => ({ userId: user.id, roles: ["LEAD" as const] })) } },
    select: { id: true },
  });
  return { byRole, project, other, target, outsider, newcomer, otherLead, team };
}

type World = Awaited<ReturnType<typeof world>>;

/** The three membership changes, each aimed at `w.target` (or adding `w.newcomer`) on `project`. */
const memberChanges = {
  addMember: (actor: Actor, w: World, project: TestProject, requestId: string) =>
    addMember({ actor, requestId }, { projectId: project.id, userId: w.newcomer.id, roles: ["APPROVER"] }),
  setMemberRoles: async (actor: Actor, w: World, project: TestProject, requestId: string) =>
    setMemberRoles(
      { actor, requestId },
      {
        projectId: project.id,
        userId: project.id === w.project.id ? w.target.id : w.otherLead.id,
        roles: ["APPROVER", "LEAD"],
        expectedUpdatedAt: await memberUpdatedAt(project.id, project.id === w.project.id ? w.target.id : w.otherLead.id),
      },
    ),
  removeMember: (actor: Actor, w: World, project: TestProject, requestId: string) =>
    removeMember({ actor, requestId }, { projectId: project.id, userId: project.id === w.project.id ? w.target.id : w.otherLead.id }),
  setProjectTeam: (actor: Actor, w: World, project: TestProject, requestId: string) => setProjectTeam({ actor, requestId }, { projectId: project.id, teamId: w.team.id, expectedTeamId: "" }),
};
const changeNames = Object.keys(memberChanges) as (keyof typeof memberChanges)[];

/** Runs the change and asserts it was refused with `code` and changed nothing. */
async function expectRefused(change: keyof typeof memberChanges, actor: Actor, w: World, project: TestProject, code: ErrorCode) {
  const before = await membersOf(project.id);
  const c = ctx(actor);
  const teamBefore = (await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { teamId: true } })).teamId;
  await expectAppError(memberChanges[change](actor, w, project, c.requestId), code);
  expect(await membersOf(project.id)).toEqual(before);
  expect((await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { teamId: true } })).teamId).toBe(teamBefore);
  expect(await eventsOf(c.requestId)).toEqual([]);
}

describe("a non-member", () => {
  it("gets NOT_FOUND for the project", async () => {
    const w = await world();
    const actor = await actorFor(w.outsider);
    await expectAppError(getProjectForActor(actor, w.project.slug), "NOT_FOUND");
    expect(await listProjectsForActor(actor)).toEqual([]);
  });

  it.each(changeNames)("gets NOT_FOUND from %s, and nothing changes", async (change) => {
    const w = await world();
    await expectRefused(change, await actorFor(w.outsider), w, w.project, "NOT_FOUND");
  });

  it("gets the same NOT_FOUND for a project that does not exist", async () => {
    const w = await world();
    const actor = await actorFor(w.outsider);
    const missing = await expectAppError(getProjectForActor(actor, `missing-${randomUUID()}`), "NOT_FOUND");
    const hidden = await expectAppError(getProjectForActor(actor, w.project.slug), "NOT_FOUND");
    expect(hidden.message).toBe(missing.message);
  });
});

describe("a member below LEAD", () => {
  const lowerRoles: ProjectRole[] = ["VIEWER", "DEVOPS", "DBA", "SECURITY", "APPROVER"];
  const cases = lowerRoles.flatMap((role) => changeNames.map((change) => [role, change] as const));

  it.each(lowerRoles)("%s sees the project and their own roles", async (role) => {
    const w = await world();
    const view = await getProjectForActor(await actorFor(w.byRole[role]), w.project.slug);
    expect(view.id).toBe(w.project.id);
    expect(view.myRoles).toEqual([role]);
    expect(view.members).toHaveLength(7);
  });

  it.each(cases)("%s gets FORBIDDEN from %s, and nothing changes", async (role, change) => {
    const w = await world();
    await expectRefused(change, await actorFor(w.byRole[role]), w, w.project, "FORBIDDEN");
  });

  it.each(lowerRoles)("%s may not start a project, list or manage users", async (role) => {
    const w = await world();
    const actor = await actorFor(w.byRole[role]);
    expect(actor.leadsAProject).toBe(false);
    const slug = `nope-${randomUUID()}`;
    await expectAppError(createProject(ctx(actor), { name: "Not Allowed", slug }), "FORBIDDEN");
    expect(await db.project.count({ where: { slug } })).toBe(0);
    await expectAppError(listUsers(ctx(actor)), "FORBIDDEN");
    await expectAppError(setUserDisabled(ctx(actor), { userId: w.target.id, disabled: true }), "FORBIDDEN");
    expect((await db.user.findUniqueOrThrow({ where: { id: w.target.id } })).disabledAt).toBeNull();
  });
});

describe("a LEAD", () => {
  it("may add, change and remove members of their project", async () => {
    const w = await world();
    const actor = await actorFor(w.byRole.LEAD);

    await addMember(ctx(actor), { projectId: w.project.id, userId: w.newcomer.id, roles: ["DBA"] });
    await setMemberRoles(ctx(actor), { projectId: w.project.id, userId: w.target.id, roles: ["SECURITY"], expectedUpdatedAt: await memberUpdatedAt(w.project.id, w.target.id) });
    await removeMember(ctx(actor), { projectId: w.project.id, userId: w.byRole.DEVOPS.id });

    const members = await membersOf(w.project.id);
    expect(members.find((m) => m.userId === w.newcomer.id)?.roles).toEqual(["DBA"]);
    expect(members.find((m) => m.userId === w.target.id)?.roles).toEqual(["SECURITY"]);
    expect(members.some((m) => m.userId === w.byRole.DEVOPS.id)).toBe(false);
  });

  it.each(changeNames)("gets NOT_FOUND from %s on another project, and nothing changes", async (change) => {
    const w = await world();
    await expectRefused(change, await actorFor(w.byRole.LEAD), w, w.other, "NOT_FOUND");
  });

  it("gets NOT_FOUND for another project and for one that does not exist", async () => {
    const w = await world();
    const actor = await actorFor(w.byRole.LEAD);
    await expectAppError(getProjectForActor(actor, w.other.slug), "NOT_FOUND");
    const c = ctx(actor);
    await expectAppError(addMember(c, { projectId: randomUUID(), userId: w.newcomer.id, roles: ["VIEWER"] }), "NOT_FOUND");
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("may start a project (and leads it) and list users, but not manage users", async () => {
    const w = await world();
    const actor = await actorFor(w.byRole.LEAD);
    expect(actor.leadsAProject).toBe(true);

    const created = await createProject(ctx(actor), { name: "Lead's Second Project", slug: `second-${randomUUID()}` });
    expect(await membersOf(created.id)).toEqual([expect.objectContaining({ userId: w.byRole.LEAD.id, roles: ["LEAD"] })]);
    expect((await listUsers(ctx(actor))).some((user) => user.id === w.outsider.id)).toBe(true);

    const email = `nope-${randomUUID()}@shipshape.test`;
    await expectAppError(createUser(ctx(actor), { email, name: "Not Allowed", password: "a long enough password" }), "FORBIDDEN");
    expect(await db.user.count({ where: { email } })).toBe(0);
  });
});

describe("an AUDITOR", () => {
  it("sees every project without being a member", async () => {
    const w = await world();
    const { actor } = await makeActor(["AUDITOR"]);
    const listed = await listProjectsForActor(actor);
    const ids = listed.map((project) => project.id);
    expect(ids).toEqual(expect.arrayContaining([w.project.id, w.other.id]));
    expect(listed.find((project) => project.id === w.project.id)?.myRoles).toEqual([]);
    expect((await getProjectForActor(actor, w.other.slug)).id).toBe(w.other.id);
  });

  it.each(changeNames)("gets FORBIDDEN from %s, and nothing changes", async (change) => {
    const w = await world();
    const { actor } = await makeActor(["AUDITOR"]);
    await expectRefused(change, actor, w, w.project, "FORBIDDEN");
  });

  it.each(changeNames)("gets FORBIDDEN from %s even as LEAD of the project, and nothing changes", async (change) => {
    const w = await world();
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    await db.projectMember.create({ data: { projectId: w.project.id, userId: auditor.id, roles: ["LEAD"] } });
    const actor = await actorFor(auditor);
    expect(actor.leadsAProject).toBe(true);
    await expectRefused(change, actor, w, w.project, "FORBIDDEN");
  });

  it("gets FORBIDDEN from createProject, createUser and setUserDisabled, even as a LEAD, and nothing is written", async () => {
    const w = await world();
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    await db.projectMember.create({ data: { projectId: w.project.id, userId: auditor.id, roles: ["LEAD"] } });
    const c = ctx(await actorFor(auditor));

    const slug = `audited-${randomUUID()}`;
    await expectAppError(createProject(c, { name: "Auditor's Project", slug }), "FORBIDDEN");
    const email = `audited-${randomUUID()}@shipshape.test`;
    await expectAppError(createUser(c, { email, name: "Auditor's Friend", password: "a long enough password" }), "FORBIDDEN");
    await expectAppError(setUserDisabled(c, { userId: w.target.id, disabled: true }), "FORBIDDEN");

    expect(await db.project.count({ where: { slug } })).toBe(0);
    expect(await db.user.count({ where: { email } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: w.target.id } })).disabledAt).toBeNull();
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});

describe("an ADMIN", () => {
  it("sees every project and manages members of one they are not in", async () => {
    const w = await world();
    const { actor } = await makeActor(["ADMIN"]);
    expect((await listProjectsForActor(actor)).map((project) => project.id)).toEqual(expect.arrayContaining([w.project.id, w.other.id]));
    expect((await getProjectForActor(actor, w.project.slug)).myRoles).toEqual([]);

    await addMember(ctx(actor), { projectId: w.project.id, userId: w.newcomer.id, roles: ["LEAD"] });
    await setMemberRoles(ctx(actor), { projectId: w.project.id, userId: w.target.id, roles: ["DBA"], expectedUpdatedAt: await memberUpdatedAt(w.project.id, w.target.id) });
    await removeMember(ctx(actor), { projectId: w.project.id, userId: w.byRole.LEAD.id });

    const members = await membersOf(w.project.id);
    expect(members.find((m) => m.userId === w.newcomer.id)?.roles).toEqual(["LEAD"]);
    expect(members.find((m) => m.userId === w.target.id)?.roles).toEqual(["DBA"]);
    expect(members.some((m) => m.userId === w.byRole.LEAD.id)).toBe(false);
  });

  it("creates projects led by someone else, creates users and disables them", async () => {
    const w = await world();
    const { actor } = await makeActor(["ADMIN"]);

    const project = await createProject(ctx(actor), { name: "Admin-made", slug: `admin-${randomUUID()}`, leadUserId: w.outsider.id });
    expect(await membersOf(project.id)).toEqual([expect.objectContaining({ userId: w.outsider.id, roles: ["LEAD"] })]);

    const created = await createUser(ctx(actor), { email: `made-${randomUUID()}@shipshape.test`, name: "Made By Admin", password: "a long enough password" });
    await setUserDisabled(ctx(actor), { userId: created.id, disabled: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: created.id } })).disabledAt).not.toBeNull();
    expect((await listUsers(ctx(actor))).find((user) => user.id === created.id)?.disabled).toBe(true);
  });

  it("gets NOT_FOUND for a project that does not exist", async () => {
    const w = await world();
    const { actor } = await makeActor(["ADMIN"]);
    await expectAppError(removeMember(ctx(actor), { projectId: randomUUID(), userId: w.target.id }), "NOT_FOUND");
  });
});

describe("teams", () => {
  /** Each team change, aimed at `w.team` (whose members are the project's people). */
  const teamChanges = {
    createTeam: (actor: Actor, _w: World, requestId: string) => createTeam({ actor, requestId }, { name: "Not Allowed" }),
    addTeamMember: (actor: Actor, w: World, requestId: string) => addTeamMember({ actor, requestId }, { teamId: w.team.id, email: w.newcomer.email, roles: ["APPROVER"] }),
    setTeamMemberRoles: async (actor: Actor, w: World, requestId: string) => {
      const member = await db.teamMember.findUniqueOrThrow({ where: { teamId_userId: { teamId: w.team.id, userId: w.otherLead.id } } });
      return setTeamMemberRoles({ actor, requestId }, { teamId: w.team.id, userId: w.otherLead.id, roles: ["APPROVER"], expectedUpdatedAt: member.updatedAt.toISOString() });
    },
    removeTeamMember: (actor: Actor, w: World, requestId: string) => removeTeamMember({ actor, requestId }, { teamId: w.team.id, userId: w.otherLead.id }),
  };
  const teamChangeNames = Object.keys(teamChanges) as (keyof typeof teamChanges)[];
  const membersOfTeam = (teamId: string) => db.teamMember.findMany({ where: { teamId }, orderBy: { userId: "asc" }, select: { userId: true, roles: true, grantedById: true, updatedAt: true } });
  const everyRole: ProjectRole[] = ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"];
  const cases = [...everyRole, "AUDITOR" as const].flatMap((who) => teamChangeNames.map((change) => [who, change] as const));

  it.each(cases)("%s (also a LEAD of the team) gets FORBIDDEN from %s, and nothing changes", async (who, change) => {
    const w = await world();
    const actor = who === "AUDITOR" ? (await makeActor(["AUDITOR"])).actor : await actorFor(w.byRole[who]);
    const before = await membersOfTeam(w.team.id);
    const c = ctx(actor);
    await expectAppError(teamChanges[change](actor, w, c.requestId), "FORBIDDEN");
    expect(await membersOfTeam(w.team.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it.each(teamChangeNames)("an ADMIN may %s", async (change) => {
    const w = await world();
    const { actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    await teamChanges[change](actor, w, c.requestId);
    expect(await eventsOf(c.requestId)).toHaveLength(1);
  });

  it("a LEAD gives their project to a team they lead", async () => {
    const w = await world();
    await setProjectTeam(ctx(await actorFor(w.byRole.LEAD)), { projectId: w.project.id, teamId: w.team.id, expectedTeamId: "" });
    expect((await db.project.findUniqueOrThrow({ where: { id: w.project.id } })).teamId).toBe(w.team.id);
  });
});

describe("project lists", () => {
  it("lists for a user exactly the projects they are a member of, with their roles", async () => {
    const user = await makeUser();
    const someoneElse = await makeUser();
    const first = await makeProject([{ user, roles: ["VIEWER"] }, { user: someoneElse, roles: ["LEAD"] }]);
    const second = await makeProject([{ user, roles: ["LEAD", "DBA"] }]);
    await makeProject([{ user: someoneElse, roles: ["LEAD"] }]);

    const listed = await listProjectsForActor(await actorFor(user));

    expect(listed.map((project) => [project.id, project.myRoles]).sort()).toEqual(
      [
        [first.id, ["VIEWER"]],
        [second.id, ["LEAD", "DBA"]],
      ].sort(),
    );
  });
});

describe("invalid input is refused before anything is written", () => {
  it("a bad project uuid: INVALID_INPUT naming projectId", async () => {
    const w = await world();
    const before = await membersOf(w.project.id);
    const c = ctx(await actorFor(w.byRole.LEAD));
    const error = await expectAppError(addMember(c, { projectId: "not-a-uuid", userId: w.newcomer.id, roles: ["VIEWER"] }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["projectId"]);
    expect(error.message).toContain("projectId");
    expect(await membersOf(w.project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("empty roles: INVALID_INPUT naming roles", async () => {
    const w = await world();
    const before = await membersOf(w.project.id);
    const c = ctx(await actorFor(w.byRole.LEAD));
    const added = await expectAppError(addMember(c, { projectId: w.project.id, userId: w.newcomer.id, roles: [] }), "INVALID_INPUT");
    expect(added.fieldErrors?.roles).toEqual(["Choose at least one role."]);
    const changed = await expectAppError(
      setMemberRoles(c, { projectId: w.project.id, userId: w.target.id, roles: [], expectedUpdatedAt: await memberUpdatedAt(w.project.id, w.target.id) }),
      "INVALID_INPUT",
    );
    expect(Object.keys(changed.fieldErrors ?? {})).toEqual(["roles"]);
    expect(await membersOf(w.project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("a bad user uuid and an unknown role: INVALID_INPUT naming both", async () => {
    const w = await world();
    const before = await membersOf(w.project.id);
    const c = ctx(await actorFor(w.byRole.LEAD));
    const error = await expectAppError(removeMember(c, { projectId: w.project.id, userId: "42" }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["userId"]);
    const roles = await expectAppError(addMember(c, { projectId: w.project.id, userId: w.newcomer.id, roles: ["OWNER"] }), "INVALID_INPUT");
    expect(Object.keys(roles.fieldErrors ?? {})).toEqual(["roles.0"]);
    expect(await membersOf(w.project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("adding a disabled user: INVALID_INPUT naming userId", async () => {
    const w = await world();
    await db.user.update({ where: { id: w.newcomer.id }, data: { disabledAt: new Date() } });
    const before = await membersOf(w.project.id);
    const c = ctx(await actorFor(w.byRole.LEAD));
    const error = await expectAppError(addMember(c, { projectId: w.project.id, userId: w.newcomer.id, roles: ["VIEWER"] }), "INVALID_INPUT");
    expect(error.fieldErrors?.userId).toEqual(["Choose an active user."]);
    expect(await membersOf(w.project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("createUser and createProject with bad fields: INVALID_INPUT naming them, nothing created", async () => {
    const { actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    const name = `Nobody ${randomUUID()}`;
    const user = await expectAppError(createUser(c, { email: "nobody-at-all", name, password: "short" }), "INVALID_INPUT");
    expect(Object.keys(user.fieldErrors ?? {}).sort()).toEqual(["email", "password"]);
    expect(await db.user.count({ where: { name } })).toBe(0);

    const project = await expectAppError(createProject(c, { name, slug: "Not A Slug", leadUserId: "someone" }), "INVALID_INPUT");
    expect(Object.keys(project.fieldErrors ?? {}).sort()).toEqual(["leadUserId", "slug"]);
    expect(await db.project.count({ where: { name } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("disabling a user who does not exist: NOT_FOUND, nothing written", async () => {
    const { actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    await expectAppError(setUserDisabled(c, { userId: randomUUID(), disabled: true }), "NOT_FOUND");
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("an admin disabling themselves: INVALID_INPUT naming userId, still enabled", async () => {
    const { user, actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    const error = await expectAppError(setUserDisabled(c, { userId: user.id, disabled: true }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["userId"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).disabledAt).toBeNull();
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});
