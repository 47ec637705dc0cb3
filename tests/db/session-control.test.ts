import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { loadActorBySession } from "@/lib/users/data";
import { endMySession, endUserSessions, listMySessions } from "@/lib/users/session-control";
import { startSession } from "@/lib/users/sessions";
import { ctx, eventsOf, expectAppError, makeActor, makeUser, signIn } from "./factories";

// Session control: people see where they are signed in and end any other session; an admin ends
// all of a user's; a session unused past its idle limit ends on the server at its next request.

const IDLE = { admin: 30, everyone: 0 };
const FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";

async function idleFor(sessionId: string, minutes: number) {
  await db.userSession.update({ where: { id: sessionId }, data: { lastSeenAt: new Date(Date.now() - minutes * 60_000) } });
}

describe("session control", () => {
  it("lists a person's valid sessions with browser and address, this one marked; ending another signs it out at its next request, audited", async () => {
    const user = await makeUser();
    const here = await startSession(user, 2, null, "password", { userAgent: FIREFOX, ipAddress: "198.51.100.7" });
    const phone = await startSession(user, 2, null, "password", { userAgent: IPHONE, ipAddress: "203.0.113.9" });
    const ended = await startSession(user, 2, null, "password");
    await db.userSession.update({ where: { id: ended }, data: { revokedAt: new Date() } });
    const actor = await loadActorBySession(here);
    if (!actor) throw new Error("no actor");

    const sessions = await listMySessions(actor);
    expect(sessions.map((session) => [session.id, session.current, session.ipAddress]).sort()).toEqual(
      [
        [here, true, "198.51.100.7"],
        [phone, false, "203.0.113.9"],
      ].sort(),
    );
    expect(sessions.find((session) => session.id === phone)?.userAgent).toBe(IPHONE);

    const c = ctx(actor);
    expect(await endMySession(c, { sessionId: phone })).toEqual({ ended: 1 });
    expect(await loadActorBySession(phone)).toBeNull();
    expect(await loadActorBySession(here)).not.toBeNull();
    expect(await db.userSession.findUniqueOrThrow({ where: { id: phone } })).toMatchObject({ endReason: "ended_by_user" });
    const [event] = await eventsOf(c.requestId);
    expect(event).toMatchObject({ action: auditActions.AUTH_SESSIONS_ENDED, actorId: user.id, entityId: user.id, after: { reason: "ended_by_user", sessions: 1, sessionId: phone } });
    // Ending it again: nothing to end, nothing recorded.
    expect(await endMySession(ctx(actor), { sessionId: phone })).toEqual({ ended: 0 });
  });

  it("ends every other session at once, never this one; refuses someone else's session as not found and this one as signing out", async () => {
    const { user, actor } = await makeActor();
    const others = [await startSession(user, 2, null, "password"), await startSession(user, 2, null, "password")];
    const stranger = await signIn(await makeUser());
    await expectAppError(endMySession(ctx(actor), { sessionId: stranger.sessionId }), "NOT_FOUND");
    expect(await loadActorBySession(stranger.sessionId)).not.toBeNull();
    const refused = await expectAppError(endMySession(ctx(actor), { sessionId: actor.sessionId }), "INVALID_INPUT");
    expect(refused.fieldErrors).toHaveProperty("sessionId");
    await expectAppError(endMySession(ctx(actor), { sessionId: "not-a-session" }), "INVALID_INPUT");

    expect(await endMySession(ctx(actor), { sessionId: "others" })).toEqual({ ended: 2 });
    for (const id of others) expect(await loadActorBySession(id)).toBeNull();
    expect(await loadActorBySession(actor.sessionId!)).not.toBeNull();
  });

  it("an admin ends every session of a user; anyone else is refused and nothing ends", async () => {
    const target = await makeUser();
    const sessions = [(await signIn(target)).sessionId, (await signIn(target)).sessionId];
    const { actor: someone } = await makeActor(["AUDITOR"]);
    await expectAppError(endUserSessions(ctx(someone), { userId: target.id }), "FORBIDDEN");
    for (const id of sessions) expect(await loadActorBySession(id)).not.toBeNull();

    const { actor: admin } = await makeActor(["ADMIN"]);
    const c = ctx(admin);
    expect(await endUserSessions(c, { userId: target.id })).toEqual({ ended: 2 });
    for (const id of sessions) expect(await loadActorBySession(id)).toBeNull();
    const [event] = await eventsOf(c.requestId);
    expect(event).toMatchObject({ action: auditActions.AUTH_SESSIONS_ENDED, actorId: admin.id, entityId: target.id, after: { reason: "ended_by_admin", sessions: 2, userName: target.name } });
  });

  it("an admin's session idle past the limit ends at its next request, once and audited; others keep theirs; a request notes the last use", async () => {
    const { user: adminUser, actor: admin } = await makeActor(["ADMIN"]);
    const { actor: member } = await makeActor();
    await idleFor(admin.sessionId!, 29);
    expect(await loadActorBySession(admin.sessionId!, { idle: IDLE })).not.toBeNull();
    // That request was a use: the clock starts again.
    const seen = await db.userSession.findUniqueOrThrow({ where: { id: admin.sessionId! } });
    expect(Date.now() - seen.lastSeenAt.getTime()).toBeLessThan(60_000);

    await idleFor(admin.sessionId!, 31);
    await idleFor(member.sessionId!, 600);
    expect(await loadActorBySession(member.sessionId!, { idle: IDLE })).not.toBeNull();
    expect(await loadActorBySession(admin.sessionId!, { idle: IDLE, requestId: "idle-test" })).toBeNull();
    expect(await db.userSession.findUniqueOrThrow({ where: { id: admin.sessionId! } })).toMatchObject({ endReason: "idle" });
    expect(await loadActorBySession(admin.sessionId!, { idle: IDLE })).toBeNull();
    const events = await db.auditEvent.findMany({ where: { entityId: admin.sessionId!, action: auditActions.AUTH_SESSIONS_ENDED } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: adminUser.id, after: { reason: "idle", idleMinutes: 30 } });

    // A limit for everyone applies to everyone, the shorter one to admins.
    const { actor: other } = await makeActor();
    await idleFor(other.sessionId!, 61);
    expect(await loadActorBySession(other.sessionId!, { idle: { admin: 30, everyone: 60 } })).toBeNull();
  });
});
