import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { addMember, createProject, removeMember, setMemberRoles } from "@/lib/projects/mutations";
import { actorFor, ctx, eventsOf, expectAppError, makeActor, makeProject, makeUser, memberUpdatedAt, membersOf } from "./factories";

// Races that only a real database can settle. Membership changes lock the project row, so
// concurrent changes to one project run one after the other and each re-checks under the lock.

const ROUNDS = 5;

function codesOf(results: PromiseSettledResult<unknown>[]): string[] {
  return results
    .map((result) => {
      if (result.status === "fulfilled") return "OK";
      return result.reason instanceof AppError ? result.reason.code : `unexpected: ${String(result.reason)}`;
    })
    .sort();
}

async function eventsOfAll(requestIds: string[]) {
  return (await Promise.all(requestIds.map((requestId) => eventsOf(requestId)))).flat();
}

describe("concurrent membership changes", () => {
  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    "two LEADs removing each other at once: exactly one succeeds and one LEAD remains (round %i)",
    async () => {
      const first = await makeUser();
      const second = await makeUser();
      const project = await makeProject([
        { user: first, roles: ["LEAD"] },
        { user: second, roles: ["LEAD"] },
      ]);
      const [firstCtx, secondCtx] = [ctx(await actorFor(first)), ctx(await actorFor(second))];

      const results = await Promise.allSettled([
        removeMember(firstCtx, { projectId: project.id, userId: second.id }),
        removeMember(secondCtx, { projectId: project.id, userId: first.id }),
      ]);

      // The loser is no longer a member when it gets the lock, so it cannot even see the project.
      expect(codesOf(results)).toEqual(["NOT_FOUND", "OK"]);
      const members = await membersOf(project.id);
      expect(members).toHaveLength(1);
      expect(members[0]?.roles).toEqual(["LEAD"]);
      const events = await eventsOfAll([firstCtx.requestId, secondCtx.requestId]);
      expect(events.map((event) => event.action)).toEqual([auditActions.MEMBER_REMOVED]);
      expect(events[0]?.actorId).toBe(members[0]?.userId);
    },
  );

  it("a LEAD removing themselves while the other LEAD is being removed: one LEAD remains", async () => {
    const first = await makeUser();
    const second = await makeUser();
    const { actor: admin } = await makeActor(["ADMIN"]);
    const project = await makeProject([
      { user: first, roles: ["LEAD"] },
      { user: second, roles: ["LEAD"] },
    ]);

    const results = await Promise.allSettled([
      removeMember(ctx(await actorFor(first)), { projectId: project.id, userId: first.id }),
      removeMember(ctx(admin), { projectId: project.id, userId: second.id }),
    ]);

    expect(codesOf(results)).toEqual(["CONFLICT", "OK"]);
    expect((await membersOf(project.id)).filter((member) => member.roles.includes("LEAD"))).toHaveLength(1);
  });

  it("setMemberRoles with a stale expectedUpdatedAt: CONFLICT and roles unchanged", async () => {
    const lead = await makeUser();
    const member = await makeUser();
    const project = await makeProject([
      { user: lead, roles: ["LEAD"] },
      { user: member, roles: ["VIEWER"] },
    ]);
    const actor = await actorFor(lead);
    const seen = await memberUpdatedAt(project.id, member.id);
    await setMemberRoles(ctx(actor), { projectId: project.id, userId: member.id, roles: ["DBA"], expectedUpdatedAt: seen });
    const before = await membersOf(project.id);

    const stale = ctx(actor);
    const error = await expectAppError(setMemberRoles(stale, { projectId: project.id, userId: member.id, roles: ["SECURITY"], expectedUpdatedAt: seen }), "CONFLICT");

    expect(error.message).toContain("DBA");
    expect(await membersOf(project.id)).toEqual(before);
    expect(before.find((m) => m.userId === member.id)?.roles).toEqual(["DBA"]);
    expect(await eventsOf(stale.requestId)).toEqual([]);
  });

  it.each(Array.from({ length: ROUNDS }, (_, round) => round + 1))(
    "two setMemberRoles at once with the same expectedUpdatedAt: exactly one wins (round %i)",
    async () => {
      const firstLead = await makeUser();
      const secondLead = await makeUser();
      const member = await makeUser();
      const project = await makeProject([
        { user: firstLead, roles: ["LEAD"] },
        { user: secondLead, roles: ["LEAD"] },
        { user: member, roles: ["VIEWER"] },
      ]);
      const seen = await memberUpdatedAt(project.id, member.id);
      const [firstCtx, secondCtx] = [ctx(await actorFor(firstLead)), ctx(await actorFor(secondLead))];

      const results = await Promise.allSettled([
        setMemberRoles(firstCtx, { projectId: project.id, userId: member.id, roles: ["DEVOPS"], expectedUpdatedAt: seen }),
        setMemberRoles(secondCtx, { projectId: project.id, userId: member.id, roles: ["APPROVER"], expectedUpdatedAt: seen }),
      ]);

      expect(codesOf(results)).toEqual(["CONFLICT", "OK"]);
      const winner = results[0].status === "fulfilled" ? { ctx: firstCtx, roles: ["DEVOPS"] } : { ctx: secondCtx, roles: ["APPROVER"] };
      expect((await membersOf(project.id)).find((m) => m.userId === member.id)?.roles).toEqual(winner.roles);
      const events = await eventsOfAll([firstCtx.requestId, secondCtx.requestId]);
      expect(events).toEqual([
        expect.objectContaining({ action: auditActions.MEMBER_ROLES_CHANGED, requestId: winner.ctx.requestId, before: expect.objectContaining({ roles: ["VIEWER"] }) }),
      ]);
    },
  );

  it("the same person added twice at once (a double submit): one membership, one CONFLICT", async () => {
    const lead = await makeUser();
    const newcomer = await makeUser();
    const project = await makeProject([{ user: lead, roles: ["LEAD"] }]);
    const actor = await actorFor(lead);
    const [firstCtx, secondCtx] = [ctx(actor), ctx(actor)];

    const results = await Promise.allSettled([
      addMember(firstCtx, { projectId: project.id, userId: newcomer.id, roles: ["DBA"] }),
      addMember(secondCtx, { projectId: project.id, userId: newcomer.id, roles: ["DBA"] }),
    ]);

    expect(codesOf(results)).toEqual(["CONFLICT", "OK"]);
    expect(await db.projectMember.count({ where: { projectId: project.id, userId: newcomer.id } })).toBe(1);
    expect(await eventsOfAll([firstCtx.requestId, secondCtx.requestId])).toHaveLength(1);
  });

  it("two projects created at once with the same slug: one project, one CONFLICT", async () => {
    const { actor } = await makeActor(["ADMIN"]);
    const slug = `race-${randomUUID()}`;
    const [firstCtx, secondCtx] = [ctx(actor), ctx(actor)];

    const results = await Promise.allSettled([createProject(firstCtx, { name: "Racer One", slug }), createProject(secondCtx, { name: "Racer Two", slug })]);

    expect(codesOf(results)).toEqual(["CONFLICT", "OK"]);
    expect(await db.project.count({ where: { slug } })).toBe(1);
    expect(await eventsOfAll([firstCtx.requestId, secondCtx.requestId])).toHaveLength(1);
  });
});
