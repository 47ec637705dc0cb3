import type { Tx } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, rateLimited } from "@/lib/errors";
import type { ServiceContext } from "@/lib/request";
import { verifyPassword } from "@/lib/users/password";
import { verifySecondFactor } from "@/lib/users/mfa";
import { renewSessionProof } from "@/lib/users/sessions";
import type { Proof } from "@/lib/users/schema";
import { countSignInAttempt, signInRetryAfter } from "@/lib/users/sign-in-limits";

// Signing is a ceremony (21 CFR Part 11 §11.200): an electronic signature is given by someone who
// proved who they are a moment ago, not by whoever holds a session cookie. Every session records
// its last proof (signing in with a password or single sign-on, or re-entering the password to
// sign); a signing mutation calls requireRecentProof inside its transaction, which lets a recent
// proof stand and otherwise asks for the password again, in the same submit.

/**
 * How a signature's signer proved who they were, as signoffs.reauth_method, go_lives.reauth_method
 * and a waiver acceptance's audit event (`reauth.method`) record it: their password (or a code) given for this very signature, or their session's last
 * proof, still within the window.
 */
export type ProofMethod = "password" | "totp" | "recent-session";

/** What a signing records of its proof: how, when, and (for a recent session) how the session's proof was given. Never the secret. */
export type ProofRecord = { method: ProofMethod; at: Date; basis: string | null };

/** The record as it goes into audit events and snapshots. */
export function proofForRecord(proof: ProofRecord): { method: ProofMethod; at: string; basis: string | null } {
  return { method: proof.method, at: proof.at.toISOString(), basis: proof.basis };
}

/** The window in seconds (SIGNING_PROOF_WINDOW_SECONDS). */
export function signingProofWindowSeconds(): number {
  return env().SIGNING_PROOF_WINDOW_SECONDS;
}

function windowWords(seconds: number): string {
  if (seconds % 60 === 0) return seconds === 60 ? "a minute" : `${seconds / 60} minutes`;
  return `${seconds} seconds`;
}

/** What a refused signing tells the client in `data`, so a form can bring up the right field. */
export type ProofRequired = { proofRequired: { methods: Proof["method"][]; windowSeconds: number } };

export const WRONG_PASSWORD = "This is not your password.";
export const WRONG_CODE = "That code is not right, or was already used: enter the code your app shows now.";

/** Whether this session's last proof is within the window at `now` (for pages: show the password field up front). */
export function isProofRecent(lastProofAt: Date, now: Date, windowSeconds = signingProofWindowSeconds()): boolean {
  return now.getTime() - lastProofAt.getTime() <= windowSeconds * 1_000;
}

/** For pages: whether the actor's session would have to give its password again to sign now. */
export async function needsProofToSign(client: Pick<Tx, "userSession">, actor: ServiceContext["actor"], now = new Date()): Promise<boolean> {
  if (!actor.sessionId) return true;
  const session = await client.userSession.findFirst({ where: { id: actor.sessionId, userId: actor.id }, select: { lastProofAt: true } });
  return !session || !isProofRecent(session.lastProofAt, now);
}

/**
 * Requires a recent proof of identity for a signing act (a sign-off given, rejected or given
 * again: signSlot; a project marked live: markProjectLive; a waiver accepted: acceptWaiver, which
 * records the proof in its item.waiver_accepted event as `reauth`), inside that act's transaction `tx`:
 *
 * - no `proof`, and the session's last proof is within SIGNING_PROOF_WINDOW_SECONDS: it stands
 *   ("recent-session", with when and how it was given);
 * - no `proof`, and it is older: refused (INVALID_INPUT on `password`, `data.proofRequired`), so
 *   the form asks for the password and the person submits again;
 * - a password: checked against the account's hash. Wrong, it is refused on `password` and counts
 *   against the account's sign-in limit (10 failures in 15 minutes, shared with sign-in; the count
 *   is kept outside the transaction, which rolls back and writes nothing else). Right, the
 *   session's proof is renewed and an auth.reauthenticated event recorded, both in `tx`, so they
 *   stand or fall with the act;
 * - a code ("totp"): checked against the account's authenticator (once per step, lib/users/mfa.ts),
 *   counted against the same limit when wrong, renewing the proof as "totp" when right; refused
 *   for an account without an authenticator.
 *
 * Only a session signs: an actor without one (API token, command line) is refused. `purpose` is
 * the act, as its audit action, for the auth.reauthenticated event. Nothing secret is recorded.
 */
export async function requireRecentProof(tx: Tx, ctx: ServiceContext, proof: Proof | undefined, purpose: string, now = new Date()): Promise<ProofRecord> {
  const { actor } = ctx;
  if (!actor.sessionId) throw new AppError("FORBIDDEN", "Signing needs a signed-in session: sign in to the web app to sign.");
  // Locked, so two signings racing on one stale proof each check the password they carry.
  const [session] = await tx.$queryRaw<{ lastProofAt: Date; lastProofMethod: string }[]>`
    SELECT last_proof_at AS "lastProofAt", last_proof_method AS "lastProofMethod" FROM user_sessions
    WHERE id = ${actor.sessionId}::uuid AND user_id = ${actor.id}::uuid AND revoked_at IS NULL AND expires_at > ${now}
    FOR UPDATE`;
  if (!session) throw new AppError("UNAUTHORIZED", "Please sign in again.");
  const windowSeconds = signingProofWindowSeconds();

  if (!proof) {
    if (isProofRecent(session.lastProofAt, now, windowSeconds)) return { method: "recent-session", at: session.lastProofAt, basis: session.lastProofMethod };
    const user = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true, totpEnabledAt: true } });
    const methods: Proof["method"][] = [...(user.passwordHash ? (["password"] as const) : []), ...(user.totpEnabledAt ? (["totp"] as const) : [])];
    const required: ProofRequired = { proofRequired: { methods, windowSeconds } };
    if (!user.passwordHash && user.totpEnabledAt) {
      const message = `Enter a code from your authenticator app to sign: you last proved who you are more than ${windowWords(windowSeconds)} ago.`;
      throw new AppError("INVALID_INPUT", message, { totpCode: [message] }, required);
    }
    if (!user.passwordHash) {
      // Single sign-on only: a fresh sign-in is the proof (re-authenticating at the provider from here is not built).
      const message = `You last proved who you are more than ${windowWords(windowSeconds)} ago and your account signs in with single sign-on: sign out and sign in again, then sign within ${windowWords(windowSeconds)}.`;
      throw new AppError("INVALID_INPUT", message, { reauth: [message] }, required);
    }
    const message = `Enter your password to sign: you last proved who you are more than ${windowWords(windowSeconds)} ago.`;
    throw new AppError("INVALID_INPUT", message, { password: [message] }, required);
  }

  const attempt = { email: actor.email, address: ctx.address ?? "unknown" };
  const retryAfter = await signInRetryAfter(attempt);
  if (retryAfter > 0) {
    const minutes = Math.max(1, Math.ceil(retryAfter / 60));
    throw rateLimited(`Too many wrong attempts for this account. Try again in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`, retryAfter);
  }
  const user = await tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true, totpEnabledAt: true } });
  if (proof.method === "totp") {
    if (!user.totpEnabledAt) {
      throw new AppError("INVALID_INPUT", "Codes from an authenticator app are not set up for your account: enter your password.", { totpCode: ["Codes from an authenticator app are not set up for your account."] });
    }
    const checked = await verifySecondFactor(tx, actor, proof.code, { secret: env().AUTH_SECRET, requestId: ctx.requestId, now });
    if (!checked.ok) {
      await countSignInAttempt(attempt, false);
      throw new AppError("INVALID_INPUT", WRONG_CODE, { totpCode: [WRONG_CODE] }, { proofRequired: { methods: ["totp"], windowSeconds } } satisfies ProofRequired);
    }
    return renewProof(tx, ctx, session, "totp", purpose, now);
  }
  if (!user.passwordHash) {
    throw new AppError("INVALID_INPUT", "Your account has no password (you sign in with single sign-on): sign out and sign in again to sign.", { password: ["Your account has no password."] });
  }
  if (!(await verifyPassword(user.passwordHash, proof.password))) {
    await countSignInAttempt(attempt, false);
    throw new AppError("INVALID_INPUT", WRONG_PASSWORD, { password: [WRONG_PASSWORD] }, { proofRequired: { methods: ["password"], windowSeconds } } satisfies ProofRequired);
  }
  return renewProof(tx, ctx, session, "password", purpose, now);
}

/** The session's proof renewed by a password or code given to sign, in the act's transaction. */
async function renewProof(tx: Tx, ctx: ServiceContext, session: { lastProofAt: Date; lastProofMethod: string }, method: "password" | "totp", purpose: string, now: Date): Promise<ProofRecord> {
  await renewSessionProof(tx, ctx, session, method, purpose, now);
  return { method, at: now, basis: null };
}
