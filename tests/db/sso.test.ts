import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { resolveSsoAccount } from "@/lib/users/sso";
import { makeUser } from "./factories";

// Single sign-on keyed on (issuer, subject): the email links an account once, never again, and
// another provider presenting the same email gets nothing.

const FIRST = "https://id.first.example.test";
const SECOND = "https://id.second.example.test";
const noJit = { jitDomains: [] };
const requestId = () => crypto.randomUUID();
const eventsFor = (id: string) => db.auditEvent.findMany({ where: { requestId: id }, orderBy: { seq: "asc" } });

describe("resolveSsoAccount", () => {
  it("links an admin-made account at its first sign-in (audited), then knows it by subject even after the email changes", async () => {
    const user = await makeUser();
    const first = requestId();

    expect(await resolveSsoAccount({ issuer: FIRST, subject: `s-${user.id}`, email: user.email.toUpperCase(), emailVerified: true }, noJit, first)).toMatchObject({ id: user.id });

    expect(await db.userIdentity.findMany({ where: { userId: user.id }, select: { issuer: true, subject: true } })).toEqual([{ issuer: FIRST, subject: `s-${user.id}` }]);
    const [linked] = await eventsFor(first);
    expect(linked).toMatchObject({ action: auditActions.AUTH_IDENTITY_LINKED, actorId: user.id, entityId: user.id });
    const again = await resolveSsoAccount({ issuer: FIRST, subject: `s-${user.id}`, email: "a.new.address@example.test", emailVerified: false }, noJit, requestId());
    expect(again).toMatchObject({ id: user.id });
  });

  it("refuses a second issuer presenting the email of a linked account, records the refusal, and links nothing", async () => {
    const user = await makeUser();
    await resolveSsoAccount({ issuer: FIRST, subject: `s-${user.id}`, email: user.email, emailVerified: true }, noJit, requestId());
    const attempt = requestId();

    expect(await resolveSsoAccount({ issuer: SECOND, subject: "attacker", email: user.email, emailVerified: true }, noJit, attempt)).toBeNull();
    expect(await resolveSsoAccount({ issuer: FIRST, subject: "someone-else", email: user.email, emailVerified: true }, noJit, requestId())).toBeNull();

    expect(await db.userIdentity.count({ where: { userId: user.id } })).toBe(1);
    const [refused] = await eventsFor(attempt);
    expect(refused).toMatchObject({ action: auditActions.AUTH_SIGN_IN_FAILED, actorId: null, entityId: user.id, after: { email: user.email, reason: "sso_identity_conflict" } });
  });

  it("refuses an unverified email and an unknown one; creates an account with no role only for an allowed domain", async () => {
    const user = await makeUser();
    expect(await resolveSsoAccount({ issuer: FIRST, subject: `u-${user.id}`, email: user.email, emailVerified: false }, noJit, requestId())).toBeNull();
    const stranger = `new.${crypto.randomUUID().slice(0, 8)}@jit.example.test`;
    expect(await resolveSsoAccount({ issuer: FIRST, subject: `j-${stranger}`, email: stranger, emailVerified: true }, noJit, requestId())).toBeNull();
    expect(await db.user.count({ where: { email: stranger } })).toBe(0);

    const created = requestId();
    const who = await resolveSsoAccount({ issuer: FIRST, subject: `j-${stranger}`, email: stranger, emailVerified: true }, { jitDomains: ["jit.example.test"] }, created);

    const row = await db.user.findUniqueOrThrow({ where: { email: stranger }, include: { memberships: true, identities: true } });
    expect(who).toEqual({ id: row.id, name: row.name, email: stranger });
    expect(row).toMatchObject({ globalRoles: [], passwordHash: null, memberships: [], identities: [expect.objectContaining({ issuer: FIRST, subject: `j-${stranger}` })] });
    expect((await eventsFor(created)).map((event) => event.action)).toEqual([auditActions.USER_CREATED]);
  });

  it("refuses claims without a subject or a usable email", async () => {
    expect(await resolveSsoAccount({ issuer: FIRST, subject: "", email: "x@example.test", emailVerified: true }, noJit, requestId())).toBeNull();
    expect(await resolveSsoAccount({ issuer: FIRST, subject: "s", email: "not an email", emailVerified: true }, noJit, requestId())).toBeNull();
  });
});
