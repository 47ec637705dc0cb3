import { describe, expect, it } from "vitest";
import { db, DEFAULT_TRANSACTION } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { signSlot } from "@/lib/signoffs/mutations";
import { loadActorBySession } from "@/lib/users/data";
import { completeSignInWithCode, confirmTotpEnrolment, getMfaStatus, removeOwnSecondFactor, resetUserSecondFactor, startTotpEnrolment, totpCodeAt, verifySecondFactor } from "@/lib/users/mfa";
import { hashPassword } from "@/lib/users/password";
import { signingProofWindowSeconds } from "@/lib/users/proof";
import { startSession } from "@/lib/users/sessions";
import { ctx, eventsOf, expectAppError, makeItem, makeProject, makeUser, setRequiredSlots, shownFor, signIn, signoffsOf, type TestUser } from "./factories";

// Two-step sign-in (lib/users/mfa.ts) against the real database: enrolment in two steps, codes
// that work once, recovery codes that work once, the secret never stored or audited in the clear,
// the policy that sends admins and approvers to set one up, an admin's reset, and a code as the
// proof of a signature. Codes are computed from the secret the enrolment showed, at chosen times,
// never by waiting for the clock.

const secret = process.env.AUTH_SECRET!;
const PASSWORD = "correct horse battery staple";

async function enrolled(user: TestUser, at = new Date()): Promise<{ base32: string; recoveryCodes: string[]; sessionId: string }> {
  const { actor, sessionId } = await signIn(user);
  const enrolment = await startTotpEnrolment(ctx(actor), { secret });
  const { recoveryCodes } = await confirmTotpEnrolment(ctx(actor), { code: totpCodeAt(enrolment.secret, at) }, { secret, now: at });
  return { base32: enrolment.secret, recoveryCodes, sessionId };
}

function check(user: TestUser, code: string, now = new Date()) {
  return db.$transaction((tx) => verifySecondFactor(tx, user, code, { secret, requestId: null, now }), DEFAULT_TRANSACTION);
}

describe("setting up an authenticator", () => {
  it("is pending until a first code confirms it; then ten recovery codes, and nothing secret in the database or the audit trail", async () => {
    const user = await makeUser();
    const { actor } = await signIn(user);
    const c = ctx(actor);
    const enrolment = await startTotpEnrolment(c, { secret });
    expect(enrolment.uri).toMatch(/^otpauth:\/\/totp\/Shipshape:.+\?.*secret=/);
    expect(enrolment.qrSvg).toContain("<svg");
    expect(await getMfaStatus(user.id)).toMatchObject({ enrolled: false });

    const wrong = await expectAppError(confirmTotpEnrolment(c, { code: "000000" === totpCodeAt(enrolment.secret, new Date()) ? "111111" : "000000" }, { secret }), "INVALID_INPUT");
    expect(wrong.fieldErrors?.code).toBeDefined();
    expect(await getMfaStatus(user.id)).toMatchObject({ enrolled: false });
    const malformed = await expectAppError(confirmTotpEnrolment(c, { code: "12ab" }, { secret }), "INVALID_INPUT");
    expect(malformed.fieldErrors?.code?.[0]).toMatch(/6-digit code/);

    const { recoveryCodes } = await confirmTotpEnrolment(c, { code: totpCodeAt(enrolment.secret, new Date()) }, { secret });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect(await getMfaStatus(user.id)).toMatchObject({ enrolled: true, recoveryCodesLeft: 10 });

    const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { totpSecret: true } });
    expect(row.totpSecret).not.toContain(enrolment.secret);
    const stored = await db.recoveryCode.findMany({ where: { userId: user.id }, select: { codeHash: true } });
    for (const code of recoveryCodes) expect(stored.some((candidate) => candidate.codeHash.includes(code) || candidate.codeHash.includes(code.replace("-", "")))).toBe(false);
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.AUTH_MFA_ENROLLED]);
    const everything = JSON.stringify(events.map((event) => [event.before, event.after]));
    expect(everything).not.toContain(enrolment.secret);
    for (const code of recoveryCodes) expect(everything).not.toContain(code);

    // Enrolled: starting again is refused until it is removed.
    await expectAppError(startTotpEnrolment(c, { secret }), "CONFLICT");
  });
});

describe("a second factor at sign-in", () => {
  it("an authenticator code works once: the same code again, or an older one, is refused", async () => {
    const user = await makeUser();
    const start = new Date(Date.now() - 120_000);
    const { base32 } = await enrolled(user, start);
    const now = new Date();
    const code = totpCodeAt(base32, now);
    expect(await check(user, code, now)).toEqual({ ok: true, method: "totp" });
    expect(await check(user, code, now)).toEqual({ ok: false });
    // One step earlier is within the drift allowed, but at or before the last step accepted.
    expect(await check(user, totpCodeAt(base32, new Date(now.getTime() - 30_000)), now)).toEqual({ ok: false });
    // The next step's code is good (the clock moved on).
    const later = new Date(now.getTime() + 30_000);
    expect(await check(user, totpCodeAt(base32, later), later)).toEqual({ ok: true, method: "totp" });
    // A code from ten minutes ago is no code now.
    const other = await makeUser();
    const second = await enrolled(other, start);
    expect(await check(other, totpCodeAt(second.base32, new Date(now.getTime() - 600_000)), now)).toEqual({ ok: false });
  });

  it("a recovery code works once, with or without its dash and in any case, and its use is audited without the code", async () => {
    const user = await makeUser();
    const { recoveryCodes } = await enrolled(user);
    const [first, second] = recoveryCodes as [string, string];
    expect(await check(user, first)).toEqual({ ok: true, method: "recovery_code", recoveryCodesLeft: 9 });
    expect(await check(user, first)).toEqual({ ok: false });
    expect(await check(user, second.replace("-", "").toUpperCase())).toMatchObject({ ok: true, recoveryCodesLeft: 8 });
    expect(await check(user, "abcde-fghjk")).toEqual({ ok: false });
    expect(await getMfaStatus(user.id)).toMatchObject({ recoveryCodesLeft: 8 });
    const used = await db.auditEvent.findMany({ where: { action: auditActions.AUTH_RECOVERY_CODE_USED, entityId: user.id } });
    expect(used).toHaveLength(2);
    expect(JSON.stringify(used.map((event) => [event.before, event.after]))).not.toContain(first);
  });

  it("refuses any code for an account without an authenticator", async () => {
    const user = await makeUser();
    expect(await check(user, "123456")).toEqual({ ok: false });
  });
});

describe("who must set up an authenticator", () => {
  it("sends admins and approvers to set one up under the required policy, until they have; never anyone under the optional one", async () => {
    const admin = await makeUser({ globalRoles: ["ADMIN"] });
    const approver = await makeUser();
    const lead = await makeUser();
    await makeProject([
      { user: approver, roles: ["APPROVER"] },
      { user: lead, roles: ["LEAD"] },
    ]);
    const load = async (user: TestUser, mfaEnrolment: "required" | "optional", method = "credentials") => loadActorBySession(await startSession(user, 1, null, method), { mfaEnrolment });

    expect((await load(admin, "required"))?.mfaStep).toBe("set-up");
    expect((await load(approver, "required"))?.mfaStep).toBe("set-up");
    expect((await load(lead, "required"))?.mfaStep).toBeUndefined();
    expect((await load(admin, "optional"))?.mfaStep).toBeUndefined();
    // A provider that vouched for a second factor counts as one.
    expect((await load(approver, "required", "oidc+mfa"))?.mfaStep).toBeUndefined();

    await enrolled(admin);
    expect((await load(admin, "required"))?.mfaStep).toBeUndefined();
  });
});

describe("a single sign-on for someone with an authenticator", () => {
  it("asks for its code before anything else; a wrong one is refused and counted, the right one completes the session's proof", async () => {
    const user = await makeUser();
    const { base32 } = await enrolled(user, new Date(Date.now() - 60_000));
    const sessionId = await startSession(user, 1, null, "oidc");
    const actor = await loadActorBySession(sessionId, { mfaEnrolment: "optional" });
    expect(actor?.mfaStep).toBe("verify");
    // A provider that vouched for a second factor is enough.
    expect((await loadActorBySession(await startSession(user, 1, null, "oidc+mfa"), { mfaEnrolment: "optional" }))?.mfaStep).toBeUndefined();

    const now = new Date();
    const code = totpCodeAt(base32, now);
    const wrong = await expectAppError(completeSignInWithCode({ ...ctx(actor!), address: "203.0.113.9" }, { code: code === "000000" ? "111111" : "000000" }, { secret, now }), "INVALID_INPUT");
    expect(wrong.fieldErrors?.code).toBeDefined();
    const [limit] = await db.$queryRaw<{ points: number }[]>`SELECT points FROM rate_limits WHERE key = ${`signin-account:${user.email}`}`;
    expect(limit?.points).toBe(1);

    const c = { ...ctx(actor!), address: "203.0.113.9" };
    await completeSignInWithCode(c, { code }, { secret, now });
    const session = await db.userSession.findUniqueOrThrow({ where: { id: sessionId }, select: { lastProofMethod: true } });
    expect(session.lastProofMethod).toBe("oidc+totp");
    expect((await loadActorBySession(sessionId, { mfaEnrolment: "optional" }))?.mfaStep).toBeUndefined();
    expect((await eventsOf(c.requestId)).map((event) => [event.action, (event.after as { for?: string }).for])).toEqual([[auditActions.AUTH_REAUTHENTICATED, auditActions.AUTH_SIGN_IN]]);
    await expectAppError(completeSignInWithCode(c, { code: totpCodeAt(base32, new Date(now.getTime() + 30_000)) }, { secret }), "CONFLICT");
  });

  it("setting one up proves the second factor for the session it was set up in", async () => {
    const user = await makeUser({ globalRoles: ["ADMIN"] });
    const sessionId = await startSession(user, 1, null, "oidc");
    const actor = await loadActorBySession(sessionId, { mfaEnrolment: "required" });
    expect(actor?.mfaStep).toBe("set-up");
    const enrolment = await startTotpEnrolment(ctx(actor!), { secret });
    await confirmTotpEnrolment(ctx(actor!), { code: totpCodeAt(enrolment.secret, new Date()) }, { secret });
    expect((await loadActorBySession(sessionId, { mfaEnrolment: "required" }))?.mfaStep).toBeUndefined();
    expect((await db.userSession.findUniqueOrThrow({ where: { id: sessionId } })).lastProofMethod).toBe("oidc+totp");
  });
});

describe("removing an authenticator", () => {
  it("by its owner takes their password; by an admin it also ends every session of theirs, audited", async () => {
    const user = await makeUser();
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD) } });
    const { sessionId } = await enrolled(user);
    const own = ctx((await signIn(user)).actor);
    const refused = await expectAppError(removeOwnSecondFactor(own, { password: "not the password at all" }), "INVALID_INPUT");
    expect(refused.fieldErrors?.password).toBeDefined();
    expect(await getMfaStatus(user.id)).toMatchObject({ enrolled: true });
    await removeOwnSecondFactor(own, { password: PASSWORD });
    expect(await getMfaStatus(user.id)).toEqual({ enrolled: false, enrolledAt: null, recoveryCodesLeft: 0 });
    expect(await db.recoveryCode.count({ where: { userId: user.id } })).toBe(0);
    expect((await eventsOf(own.requestId)).map((event) => [event.action, (event.after as { by?: string }).by])).toEqual([[auditActions.AUTH_MFA_REMOVED, "self"]]);
    expect(await loadActorBySession(sessionId)).not.toBeNull();

    // Set up again, then lost: an admin resets it.
    const again = await enrolled(user);
    const plain = ctx((await signIn(await makeUser())).actor);
    await expectAppError(resetUserSecondFactor(plain, { userId: user.id }), "FORBIDDEN");
    const admin = ctx((await signIn(await makeUser({ globalRoles: ["ADMIN"] }))).actor);
    const { sessionsEnded } = await resetUserSecondFactor(admin, { userId: user.id });
    expect(sessionsEnded).toBeGreaterThanOrEqual(2);
    expect(await loadActorBySession(again.sessionId)).toBeNull();
    expect(await getMfaStatus(user.id)).toMatchObject({ enrolled: false });
    expect((await eventsOf(admin.requestId)).map((event) => event.action)).toEqual([auditActions.AUTH_MFA_REMOVED]);
    await expectAppError(resetUserSecondFactor(admin, { userId: user.id }), "CONFLICT");
  });
});

describe("a code from the authenticator as the proof of a signature", () => {
  it("signs with a stale session proof, renews the session's proof as 'totp' and records it; a wrong code is refused and counted", async () => {
    const approverUser = await makeUser();
    await db.user.update({ where: { id: approverUser.id }, data: { passwordHash: await hashPassword(PASSWORD) } });
    const project = await makeProject([{ user: approverUser, roles: ["APPROVER"] }]);
    await setRequiredSlots(project, ["DBA"]);
    await makeItem(project, { area: "DBA", required: false });
    const { base32 } = await enrolled(approverUser, new Date(Date.now() - 120_000));
    const { actor, sessionId } = await signIn(approverUser);
    await db.userSession.update({ where: { id: sessionId }, data: { lastProofAt: new Date(Date.now() - (signingProofWindowSeconds() + 60) * 1_000) } });
    const input = async (extra: Record<string, unknown>) => ({ projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")), ...extra });

    const stale = await expectAppError(signSlot(ctx(actor), await input({})), "INVALID_INPUT");
    expect(stale.data).toEqual({ proofRequired: { methods: ["password", "totp"], windowSeconds: signingProofWindowSeconds() } });

    const code = totpCodeAt(base32, new Date());
    const wrongCode = code === "000000" ? "111111" : "000000";
    const wrong = await expectAppError(signSlot(ctx(actor), await input({ totpCode: wrongCode })), "INVALID_INPUT");
    expect(wrong.fieldErrors?.totpCode?.[0]).toMatch(/not right/);
    expect(await signoffsOf(project.id)).toEqual([]);
    const [limit] = await db.$queryRaw<{ points: number }[]>`SELECT points FROM rate_limits WHERE key = ${`signin-account:${approverUser.email}`}`;
    expect(limit?.points).toBe(1);

    const c = ctx(actor);
    await signSlot(c, await input({ totpCode: code }));
    const [row] = await signoffsOf(project.id);
    expect(row).toMatchObject({ reauthMethod: "totp", decision: "APPROVED" });
    const session = await db.userSession.findUniqueOrThrow({ where: { id: sessionId }, select: { lastProofMethod: true } });
    expect(session.lastProofMethod).toBe("totp");
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.AUTH_REAUTHENTICATED, auditActions.SIGNOFF_GIVEN]);
  });
});
