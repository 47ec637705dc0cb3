import { db, type Tx } from "@/lib/db";
import type { ServiceContext } from "@/lib/request";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import type { AuthActor } from "@/lib/users/data";

// Sign-in and sign-out are changes like any other: the session row and its audit event are
// written in one transaction.

/** How a sign-in method proves who someone is, as user_sessions.last_proof_method records it. */
export function proofMethodOfSignIn(method: string): string {
  // "credentials+totp" (a password, then an authenticator code) is "password+totp".
  return method.replace(/^credentials/, "password");
}

/** Signing in is a proof of identity at its time (password or single sign-on): the session starts with it (lib/users/proof.ts). */
export async function startSession(user: AuthActor, maxAgeHours: number, requestId: string | null, method: string, client: { userAgent: string; ipAddress: string } = { userAgent: "", ipAddress: "" }): Promise<string> {
  return db.$transaction(async (tx) => {
    const now = new Date();
    const session = await tx.userSession.create({
      data: {
        userId: user.id,
        expiresAt: new Date(now.getTime() + maxAgeHours * 3_600_000),
        lastProofAt: now,
        lastProofMethod: proofMethodOfSignIn(method),
        userAgent: client.userAgent.slice(0, 500),
        ipAddress: client.ipAddress.slice(0, 100),
      },
      select: { id: true, expiresAt: true },
    });
    await recordAuditEvent(tx, {
      actor: user,
      action: auditActions.AUTH_SIGN_IN,
      entityType: "session",
      entityId: session.id,
      after: { method, expiresAt: session.expiresAt.toISOString() },
      requestId,
    });
    return session.id;
  });
}

export type SignInFailure =
  | "unknown_email"
  | "wrong_password"
  /** The right password, then a wrong or already used authenticator or recovery code. */
  | "wrong_code"
  | "disabled"
  | "no_password"
  | "rate_limited"
  /** Single sign-on: the account already signs in through another provider or as another person there. */
  | "sso_identity_conflict"
  /** Single sign-on: the provider did not vouch for the email, so it cannot link or create an account. */
  | "sso_email_unverified"
  /** Single sign-on: the provider's claims were not usable (no subject or no email). */
  | "sso_claims_invalid";

/** The attempted email is recorded, not an actor: nobody was authenticated. */
export async function recordFailedSignIn(email: string, reason: SignInFailure, userId: string | null, requestId: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    await recordAuditEvent(tx, {
      actor: null,
      action: auditActions.AUTH_SIGN_IN_FAILED,
      entityType: "user",
      entityId: userId,
      after: { email, reason },
      requestId,
    });
  });
}

/** Revokes the session so its cookie is worthless even if it was copied. */
export async function endSession(sessionId: string, requestId: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    const session = await tx.userSession.findUnique({
      where: { id: sessionId },
      select: { id: true, revokedAt: true, user: { select: { id: true, name: true, email: true } } },
    });
    if (!session || session.revokedAt) return;
    await tx.userSession.update({ where: { id: sessionId }, data: { revokedAt: new Date(), endReason: "sign_out" } });
    await recordAuditEvent(tx, {
      actor: session.user,
      action: auditActions.AUTH_SIGN_OUT,
      entityType: "session",
      entityId: sessionId,
      requestId,
    });
  });
}

/**
 * A session's proof renewed by a password or code given now (to sign, or to finish a single
 * sign-on with an authenticator code), audited as auth.reauthenticated in `tx`: `purpose` is the
 * act it was given for. Never the secret.
 */
export async function renewSessionProof(tx: Tx, ctx: ServiceContext, session: { lastProofAt: Date; lastProofMethod: string }, method: string, purpose: string, now: Date): Promise<void> {
  const sessionId = ctx.actor.sessionId!;
  await tx.userSession.update({ where: { id: sessionId }, data: { lastProofAt: now, lastProofMethod: method } });
  await recordAuditEvent(tx, {
    actor: ctx.actor,
    action: auditActions.AUTH_REAUTHENTICATED,
    entityType: "session",
    entityId: sessionId,
    before: { lastProofAt: session.lastProofAt.toISOString(), lastProofMethod: session.lastProofMethod },
    after: { method, lastProofAt: now.toISOString(), for: purpose },
    requestId: ctx.requestId,
  });
}
