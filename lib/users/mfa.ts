import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";
import { z } from "zod";
import { db, DEFAULT_TRANSACTION, type Tx } from "@/lib/db";
import { AppError, rateLimited } from "@/lib/errors";
import { countSignInAttempt, signInRetryAfter } from "@/lib/users/sign-in-limits";
import { renewSessionProof } from "@/lib/users/sessions";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { seal, unseal } from "@/lib/seal";
import { verifyPassword } from "@/lib/users/password";
import { parseInput } from "@/lib/validation";

// Two-step sign-in with an authenticator app (TOTP, RFC 6238: SHA-1, 6 digits, 30-second steps,
// the parameters every authenticator app reads from a QR code) and ten single-use recovery codes.
//
// - Enrolment is two steps: a secret is made and kept sealed as pending (users.totp_secret with
//   totp_enabled_at null), shown once as a QR code and as text; the first code from the app
//   confirms it, and only then is it enabled and are the recovery codes made and shown, once.
// - A code is accepted for the current step or one step either side (clock drift), and never for
//   a step at or before the last one accepted (users.totp_last_step): a code works once.
// - Recovery codes are 50 random bits each, stored as salted SHA-256 (ASVS 6.6: below 112 bits, a
//   unique salt and an approved hash); using one marks it used, in the same statement that checks it.
// - Failed codes count against the same limit as passwords (lib/users/sign-in-limits.ts): the
//   callers count them.

const SEAL_PURPOSE = "shipshape totp secret";
const ISSUER = "Shipshape";
const PERIOD_SECONDS = 30;
const DIGITS = 6;
export const RECOVERY_CODE_COUNT = 10;

/** Recovery codes as shown: ten letters and digits in two groups, e.g. "k7m2q-x9d4r". */
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_PATTERN = /^[a-z0-9]{5}-?[a-z0-9]{5}$/;

function totpFor(secretBase32: string, label: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: DIGITS, period: PERIOD_SECONDS, secret: OTPAuth.Secret.fromBase32(secretBase32) });
}

function currentStep(now: Date): number {
  return Math.floor(now.getTime() / 1_000 / PERIOD_SECONDS);
}

/** The step a code belongs to (within one step of now), or null when it is not a code for this secret now. */
function matchingStep(secretBase32: string, code: string, now: Date): number | null {
  const delta = totpFor(secretBase32, "-").validate({ token: code, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : currentStep(now) + delta;
}

function makeRecoveryCode(): string {
  const chars = Array.from({ length: 10 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s+/g, "").replace("-", "");
}

function hashRecoveryCode(code: string, salt = randomBytes(16).toString("hex")): string {
  return `${salt}:${createHash("sha256").update(`${salt}:${normalizeRecoveryCode(code)}`).digest("hex")}`;
}

function recoveryCodeMatches(stored: string, code: string): boolean {
  const [salt] = stored.split(":");
  if (!salt) return false;
  const candidate = Buffer.from(hashRecoveryCode(code, salt));
  const expected = Buffer.from(stored);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** Whether a second factor as typed is a recovery code (else it is taken for an authenticator code). */
export function looksLikeRecoveryCode(code: string): boolean {
  return RECOVERY_PATTERN.test(code.trim().toLowerCase().replace(/\s+/g, ""));
}

export type MfaStatus = { enrolled: boolean; enrolledAt: string | null; recoveryCodesLeft: number };

export async function getMfaStatus(userId: string): Promise<MfaStatus> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpEnabledAt: true, _count: { select: { recoveryCodes: { where: { usedAt: null } } } } },
  });
  return { enrolled: user.totpEnabledAt !== null, enrolledAt: user.totpEnabledAt?.toISOString() ?? null, recoveryCodesLeft: user.totpEnabledAt ? user._count.recoveryCodes : 0 };
}

export type Enrolment = { secret: string; uri: string; qrSvg: string };

/**
 * Starts (or starts over) setting up an authenticator: a new secret, kept sealed as pending until
 * a code from it confirms it. Refused while one is enabled (remove it first). The secret is
 * returned for the page to show once, as a QR code and as text; it is not audited.
 */
export async function startTotpEnrolment(ctx: ServiceContext, options: { secret: string }): Promise<Enrolment> {
  if (!ctx.actor.sessionId) throw new AppError("FORBIDDEN", "Set up an authenticator from a signed-in browser.");
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  const changed = await db.user.updateMany({ where: { id: ctx.actor.id, totpEnabledAt: null }, data: { totpSecret: seal(secret, options.secret, SEAL_PURPOSE), totpLastStep: null } });
  if (changed.count === 0) throw new AppError("CONFLICT", "An authenticator is already set up for your account: remove it first to set up another.");
  const uri = totpFor(secret, ctx.actor.email).toString();
  return { secret, uri, qrSvg: await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }) };
}

/** The pending secret, as text, for the enrolment page drawn again (e.g. after a wrong code). */
export async function pendingEnrolment(userId: string, email: string, options: { secret: string }): Promise<Enrolment | null> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { totpSecret: true, totpEnabledAt: true } });
  if (!user.totpSecret || user.totpEnabledAt) return null;
  const secret = unseal(user.totpSecret, options.secret, SEAL_PURPOSE);
  if (!secret) return null;
  const uri = totpFor(secret, email).toString();
  return { secret, uri, qrSvg: await QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }) };
}

const codeSchema = z.object({
  code: z.string({ error: "Enter the 6-digit code from your authenticator app." }).trim().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app."),
});

/**
 * Confirms the pending authenticator with a code from it: enabled from now, with ten new recovery
 * codes (returned once, stored hashed), audited as auth.mfa_enrolled in the same transaction.
 */
export async function confirmTotpEnrolment(ctx: ServiceContext, input: unknown, options: { secret: string; now?: Date }): Promise<{ recoveryCodes: string[] }> {
  const { code } = parseInput(codeSchema, input);
  const now = options.now ?? new Date();
  return db.$transaction(async (tx) => {
    const [user] = await tx.$queryRaw<{ totpSecret: string | null; totpEnabledAt: Date | null }[]>`
      SELECT totp_secret AS "totpSecret", totp_enabled_at AS "totpEnabledAt" FROM users WHERE id = ${ctx.actor.id}::uuid FOR UPDATE`;
    if (user?.totpEnabledAt) throw new AppError("CONFLICT", "Your authenticator is already set up.");
    const secret = user?.totpSecret ? unseal(user.totpSecret, options.secret, SEAL_PURPOSE) : null;
    if (!secret) throw new AppError("INVALID_INPUT", "Start again: there is no authenticator being set up.", { code: ["Start setting up the authenticator again."] });
    const step = matchingStep(secret, code, now);
    if (step === null) throw new AppError("INVALID_INPUT", "That code does not match: check the app shows Shipshape and your email, and enter the code it shows now.", { code: ["That code does not match."] });
    const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, makeRecoveryCode);
    await tx.user.update({ where: { id: ctx.actor.id }, data: { totpEnabledAt: now, totpLastStep: step } });
    // The code just given proves the second factor for this session too: it is not asked again.
    if (ctx.actor.sessionId) {
      await tx.$executeRaw`UPDATE user_sessions SET last_proof_method = last_proof_method || '+totp' WHERE id = ${ctx.actor.sessionId}::uuid AND position('+' in last_proof_method) = 0`;
    }
    await tx.recoveryCode.deleteMany({ where: { userId: ctx.actor.id } });
    await tx.recoveryCode.createMany({ data: recoveryCodes.map((recovery) => ({ userId: ctx.actor.id, codeHash: hashRecoveryCode(recovery) })) });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.AUTH_MFA_ENROLLED,
      entityType: "user",
      entityId: ctx.actor.id,
      after: { method: "totp", recoveryCodes: RECOVERY_CODE_COUNT },
      requestId: ctx.requestId,
    });
    return { recoveryCodes };
  }, DEFAULT_TRANSACTION);
}

export type SecondFactorResult = { ok: true; method: "totp" | "recovery_code"; recoveryCodesLeft?: number } | { ok: false };

/**
 * Checks a second factor for a user inside `tx`: an authenticator code (once per step) or an
 * unused recovery code (then used). A recovery code used is audited (auth.recovery_code_used)
 * in `tx`, by `actor` (the person; at sign-in there is no session yet). Never records the code.
 */
export async function verifySecondFactor(tx: Tx, user: { id: string; name: string; email: string }, code: string, options: { secret: string; requestId: string | null; now?: Date }): Promise<SecondFactorResult> {
  const now = options.now ?? new Date();
  const [row] = await tx.$queryRaw<{ totpSecret: string | null; totpEnabledAt: Date | null; totpLastStep: bigint | null }[]>`
    SELECT totp_secret AS "totpSecret", totp_enabled_at AS "totpEnabledAt", totp_last_step AS "totpLastStep" FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
  if (!row?.totpEnabledAt || !row.totpSecret) return { ok: false };
  if (looksLikeRecoveryCode(code)) {
    const unused = await tx.recoveryCode.findMany({ where: { userId: user.id, usedAt: null }, select: { id: true, codeHash: true } });
    const match = unused.find((candidate) => recoveryCodeMatches(candidate.codeHash, code));
    if (!match) return { ok: false };
    await tx.recoveryCode.update({ where: { id: match.id }, data: { usedAt: now } });
    const left = unused.length - 1;
    await recordAuditEvent(tx, { actor: user, action: auditActions.AUTH_RECOVERY_CODE_USED, entityType: "user", entityId: user.id, after: { recoveryCodesLeft: left }, requestId: options.requestId });
    return { ok: true, method: "recovery_code", recoveryCodesLeft: left };
  }
  const secret = unseal(row.totpSecret, options.secret, SEAL_PURPOSE);
  if (!secret || !/^\d{6}$/.test(code.trim())) return { ok: false };
  const step = matchingStep(secret, code.trim(), now);
  if (step === null || (row.totpLastStep !== null && BigInt(step) <= row.totpLastStep)) return { ok: false };
  await tx.user.update({ where: { id: user.id }, data: { totpLastStep: step } });
  return { ok: true, method: "totp" };
}

const WRONG_SIGN_IN_CODE = "That code is not right, or was already used. Enter the code your app shows now, or a recovery code.";

/**
 * The second step after a single sign-on whose provider did not vouch for a second factor, for
 * someone with an authenticator (lib/users/mfa-policy.ts "verify"): a code from it, or a recovery
 * code, completes the session's proof ("oidc+totp"), audited as auth.reauthenticated for the
 * sign-in. A wrong code counts against the account's sign-in limit like a wrong password.
 */
export async function completeSignInWithCode(ctx: ServiceContext, input: unknown, options: { secret: string; now?: Date }): Promise<void> {
  const { code } = parseInput(signInCodeSchema, input);
  const sessionId = ctx.actor.sessionId;
  if (!sessionId) throw new AppError("FORBIDDEN", "Only a signed-in browser gives a code.");
  const attempt = { email: ctx.actor.email, address: ctx.address ?? "unknown" };
  const retryAfter = await signInRetryAfter(attempt);
  if (retryAfter > 0) throw rateLimited(`Too many wrong codes for this account. Try again in ${Math.max(1, Math.ceil(retryAfter / 60))} minutes.`, retryAfter);
  const now = options.now ?? new Date();
  const ok = await db.$transaction(async (tx) => {
    const session = await tx.userSession.findFirst({ where: { id: sessionId, userId: ctx.actor.id, revokedAt: null }, select: { lastProofAt: true, lastProofMethod: true } });
    if (!session) throw new AppError("UNAUTHORIZED", "Please sign in again.");
    if (session.lastProofMethod !== "oidc") throw new AppError("CONFLICT", "This sign-in needs no code.");
    const checked = await verifySecondFactor(tx, ctx.actor, code, { secret: options.secret, requestId: ctx.requestId, now });
    if (!checked.ok) return false;
    await renewSessionProof(tx, ctx, session, `oidc+${checked.method}`, auditActions.AUTH_SIGN_IN, now);
    return true;
  }, DEFAULT_TRANSACTION);
  await countSignInAttempt(attempt, ok);
  if (!ok) throw new AppError("INVALID_INPUT", WRONG_SIGN_IN_CODE, { code: ["Not accepted."] });
}

const signInCodeSchema = z.object({ code: z.string({ error: "Enter the code from your authenticator app." }).trim().min(1, "Enter the code from your authenticator app.").max(20, "That is longer than any code.") });

/** Whether the user has an authenticator enabled (sign-in then asks for a code). */
export async function hasSecondFactor(client: Pick<Tx, "user">, userId: string): Promise<boolean> {
  const user = await client.user.findUnique({ where: { id: userId }, select: { totpEnabledAt: true } });
  return Boolean(user?.totpEnabledAt);
}

const removeOwnSchema = z.object({ password: z.string({ error: "Enter your password." }).min(1, "Enter your password.") });

async function clearSecondFactor(tx: Tx, userId: string): Promise<void> {
  await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
  await tx.recoveryCode.deleteMany({ where: { userId } });
}

/**
 * Removes the person's own authenticator, given their password. Someone the policy requires to
 * have one (lib/users/mfa-policy.ts) is sent to set up a new one at their next page.
 */
export async function removeOwnSecondFactor(ctx: ServiceContext, input: unknown): Promise<void> {
  const { password } = parseInput(removeOwnSchema, input);
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: ctx.actor.id }, select: { passwordHash: true, totpEnabledAt: true } });
    if (!user.totpEnabledAt) throw new AppError("CONFLICT", "No authenticator is set up for your account.");
    if (!user.passwordHash || !(await verifyPassword(user.passwordHash, password))) throw new AppError("INVALID_INPUT", "This is not your password.", { password: ["This is not your password."] });
    await clearSecondFactor(tx, ctx.actor.id);
    await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.AUTH_MFA_REMOVED, entityType: "user", entityId: ctx.actor.id, after: { by: "self" }, requestId: ctx.requestId });
  }, DEFAULT_TRANSACTION);
}

const resetSchema = z.object({ userId: z.uuid("Choose a user.") });

/**
 * An admin resets a user's authenticator (a lost phone and no recovery codes left): removed, and
 * every session of theirs ended, so they sign in with their password and set up a new one.
 */
export async function resetUserSecondFactor(ctx: ServiceContext, input: unknown): Promise<{ sessionsEnded: number }> {
  const { userId } = parseInput(resetSchema, input);
  assertCan(ctx.actor, "user.manage", { kind: "global" });
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, totpEnabledAt: true } });
    if (!user) throw new AppError("NOT_FOUND", "User not found.");
    if (!user.totpEnabledAt) throw new AppError("CONFLICT", `${user.name} has no authenticator set up.`);
    await clearSecondFactor(tx, user.id);
    const ended = await tx.userSession.updateMany({ where: { userId: user.id, revokedAt: null, expiresAt: { gt: new Date() } }, data: { revokedAt: new Date(), endReason: "mfa_reset" } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.AUTH_MFA_REMOVED,
      entityType: "user",
      entityId: user.id,
      after: { by: "admin", userName: user.name, email: user.email, sessionsEnded: ended.count },
      requestId: ctx.requestId,
    });
    return { sessionsEnded: ended.count };
  }, DEFAULT_TRANSACTION);
}

/** For tests and the demo: the code an authenticator would show for a secret at a time. */
export function totpCodeAt(secretBase32: string, at: Date): string {
  return totpFor(secretBase32, "-").generate({ timestamp: at.getTime() });
}
