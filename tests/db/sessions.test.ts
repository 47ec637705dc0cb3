import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getProjectForActor } from "@/lib/projects/data";
import { addMember, removeMember, setMemberRoles } from "@/lib/projects/mutations";
import { loadActorBySession } from "@/lib/users/data";
import { setUserDisabled } from "@/lib/users/mutations";
import { endSession, recordFailedSignIn, startSession } from "@/lib/users/sessions";
import { ctx, eventsOf, expectAppError, makeActor, makeProject, makeUser, memberUpdatedAt, membersOf, signIn } from "./factories";

// Every request loads its actor from the session row and the user as they are now, so a
// sign-out, a disabled account or a changed role counts from the very next call.

function eventsAbout(entityId: string) {
  return db.auditEvent.findMany({ where: { entityId }, orderBy: { id: "asc" } });
}

describe("sessions", () => {
  it("a started session loads the actor as the database has it, and records the sign-in", async () => {
    const user = await makeUser({ globalRoles: ["AUDITOR"] });
    const requestId = `test-${randomUUID()}`;

    const sessionId = await startSession(user, 2, requestId, "password");

    expect(await loadActorBySession(sessionId)).toEqual({ id: user.id, name: user.name, email: user.email, globalRoles: ["AUDITOR"], leadsAProject: false, timeZone: null, sessionId });
    const session = await db.userSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(session.userId).toBe(user.id);
    // Signing in is a proof of identity at its time (lib/users/proof.ts).
    expect(session.lastProofMethod).toBe("password");
    expect(Math.abs(session.lastProofAt.getTime() - session.createdAt.getTime())).toBeLessThan(1_000);
    expect(session.expiresAt.getTime() - Date.now()).toBeGreaterThan(2 * 3_600_000 - 60_000);
    expect(session.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(2 * 3_600_000);
    expect(await eventsOf(requestId)).toEqual([
      expect.objectContaining({
        actorId: user.id,
        actorName: user.name,
        actorEmail: user.email,
        action: auditActions.AUTH_SIGN_IN,
        entityType: "session",
        entityId: sessionId,
        after: { method: "password", expiresAt: session.expiresAt.toISOString() },
      }),
    ]);
  });

  it("an unknown session id loads nobody", async () => {
    expect(await loadActorBySession(randomUUID())).toBeNull();
  });

  it("after endSession the session loads nobody, and one AUTH_SIGN_OUT event exists", async () => {
    const user = await makeUser();
    const { sessionId } = await signIn(user);
    const requestId = `test-${randomUUID()}`;

    await endSession(sessionId, requestId);
    await endSession(sessionId, `test-${randomUUID()}`);

    expect(await loadActorBySession(sessionId)).toBeNull();
    expect((await db.userSession.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt).not.toBeNull();
    expect((await eventsAbout(sessionId)).map((event) => event.action)).toEqual([auditActions.AUTH_SIGN_IN, auditActions.AUTH_SIGN_OUT]);
    expect(await eventsOf(requestId)).toEqual([
      expect.objectContaining({ actorId: user.id, actorName: user.name, actorEmail: user.email, action: auditActions.AUTH_SIGN_OUT, entityType: "session", entityId: sessionId }),
    ]);
  });

  it("ending one session leaves the user's other sessions alone", async () => {
    const user = await makeUser();
    const first = await signIn(user);
    const second = await signIn(user);
    await endSession(first.sessionId, null);
    expect(await loadActorBySession(first.sessionId)).toBeNull();
    expect((await loadActorBySession(second.sessionId))?.id).toBe(user.id);
  });

  it("an expired session is refused", async () => {
    const user = await makeUser();
    const { sessionId } = await signIn(user);
    await db.userSession.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await loadActorBySession(sessionId)).toBeNull();
  });

  it("disabling a user refuses every session of theirs, and records it", async () => {
    const user = await makeUser();
    const sessions = [await signIn(user), await signIn(user), await signIn(user)];
    const { actor: admin } = await makeActor(["ADMIN"]);
    const c = ctx(admin);

    await setUserDisabled(c, { userId: user.id, disabled: true });

    for (const { sessionId } of sessions) {
      expect(await loadActorBySession(sessionId)).toBeNull();
      expect((await eventsAbout(sessionId)).map((event) => event.action)).toEqual([auditActions.AUTH_SIGN_IN]);
    }
    expect(await db.userSession.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([expect.objectContaining({ action: auditActions.USER_DISABLED, entityId: user.id, actorId: admin.id })]);

    // Enabling the user again does not bring the revoked sessions back; a new sign-in works.
    await setUserDisabled(ctx(admin), { userId: user.id, disabled: false });
    for (const { sessionId } of sessions) expect(await loadActorBySession(sessionId)).toBeNull();
    expect((await signIn(user)).actor.id).toBe(user.id);
  });

  it("a disabled user is refused even if a session somehow escaped revocation", async () => {
    const user = await makeUser();
    const { sessionId } = await signIn(user);
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect((await db.userSession.findUniqueOrThrow({ where: { id: sessionId } })).revokedAt).toBeNull();
    expect(await loadActorBySession(sessionId)).toBeNull();
  });

  it("recordFailedSignIn writes auth.sign_in_failed with the email and no actor", async () => {
    const requestId = `test-${randomUUID()}`;
    const email = `nobody-${randomUUID()}@shipshape.test`;

    await recordFailedSignIn(email, "unknown_email", null, requestId);

    expect(await eventsOf(requestId)).toEqual([
      expect.objectContaining({
        actorId: null,
        actorName: null,
        actorEmail: null,
        action: auditActions.AUTH_SIGN_IN_FAILED,
        entityType: "user",
        entityId: null,
        projectId: null,
        before: null,
        after: { email, reason: "unknown_email" },
      }),
    ]);
  });

  it("recordFailedSignIn names the user when the email belongs to one", async () => {
    const user = await makeUser();
    const requestId = `test-${randomUUID()}`;
    await recordFailedSignIn(user.email, "wrong_password", user.id, requestId);
    expect(await eventsOf(requestId)).toEqual([expect.objectContaining({ actorId: null, entityId: user.id, after: { email: user.email, reason: "wrong_password" } })]);
  });
});

describe("changes take effect on the very next call (nothing is cached)", () => {
  it("a removed member gets NOT_FOUND for the project at once", async () => {
    const lead = await makeUser();
    const member = await makeUser();
    const project = await makeProject([
      { user: lead, roles: ["LEAD"] },
      { user: member, roles: ["DEVOPS"] },
    ]);
    const { actor: memberActor, sessionId } = await signIn(member);
    expect((await getProjectForActor(memberActor, project.slug)).myRoles).toEqual(["DEVOPS"]);

    await removeMember(ctx((await signIn(lead)).actor), { projectId: project.id, userId: member.id });

    await expectAppError(getProjectForActor(memberActor, project.slug), "NOT_FOUND");
    const nextRequest = await loadActorBySession(sessionId);
    if (!nextRequest) throw new Error("the session should still be valid");
    await expectAppError(getProjectForActor(nextRequest, project.slug), "NOT_FOUND");
  });

  it("a LEAD demoted to VIEWER gets FORBIDDEN for addMember on the next call", async () => {
    const demoted = await makeUser();
    const otherLead = await makeUser();
    const newcomer = await makeUser();
    const project = await makeProject([
      { user: demoted, roles: ["LEAD"] },
      { user: otherLead, roles: ["LEAD"] },
    ]);
    const { sessionId } = await signIn(demoted);

    await setMemberRoles(ctx((await signIn(otherLead)).actor), {
      projectId: project.id,
      userId: demoted.id,
      roles: ["VIEWER"],
      expectedUpdatedAt: await memberUpdatedAt(project.id, demoted.id),
    });

    const nextRequest = await loadActorBySession(sessionId);
    if (!nextRequest) throw new Error("the session should still be valid");
    expect(nextRequest.leadsAProject).toBe(false);
    const before = await membersOf(project.id);
    const c = ctx(nextRequest);
    await expectAppError(addMember(c, { projectId: project.id, userId: newcomer.id, roles: ["VIEWER"] }), "FORBIDDEN");
    expect(await membersOf(project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("a user promoted to LEAD may manage members on the next call", async () => {
    const lead = await makeUser();
    const promoted = await makeUser();
    const newcomer = await makeUser();
    const project = await makeProject([
      { user: lead, roles: ["LEAD"] },
      { user: promoted, roles: ["VIEWER"] },
    ]);
    const { actor: promotedActor } = await signIn(promoted);
    await expectAppError(addMember(ctx(promotedActor), { projectId: project.id, userId: newcomer.id, roles: ["VIEWER"] }), "FORBIDDEN");

    await setMemberRoles(ctx((await signIn(lead)).actor), {
      projectId: project.id,
      userId: promoted.id,
      roles: ["LEAD"],
      expectedUpdatedAt: await memberUpdatedAt(project.id, promoted.id),
    });

    await addMember(ctx(promotedActor), { projectId: project.id, userId: newcomer.id, roles: ["VIEWER"] });
    expect((await membersOf(project.id)).map((m) => m.userId)).toContain(newcomer.id);
  });

  it("global roles removed in the database are gone on the next call", async () => {
    const { user, actor } = await makeActor(["ADMIN"]);
    const target = await makeUser();
    const { sessionId } = await signIn(user);
    await db.user.update({ where: { id: user.id }, data: { globalRoles: [] } });

    const nextRequest = await loadActorBySession(sessionId);
    expect(nextRequest?.globalRoles).toEqual([]);
    if (!nextRequest) throw new Error("the session should still be valid");
    await expectAppError(setUserDisabled(ctx(nextRequest), { userId: target.id, disabled: true }), "FORBIDDEN");
    expect(actor.globalRoles).toEqual(["ADMIN"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
  });
});
