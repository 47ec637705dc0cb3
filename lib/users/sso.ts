import { z } from "zod";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import type { AuthActor } from "@/lib/users/data";
import { recordFailedSignIn, type SignInFailure } from "@/lib/users/sessions";
import { syncGroupTeams } from "@/lib/teams/groups";

// Who a single sign-on is. The provider's issuer and its subject for the person are the key:
// they never change, while an email can be reassigned, and another provider can present any
// email it likes. So an email is used once, to link a provider's identity to an account an admin
// already made (or, for allowed domains, to make one), and never again after that.

/** What the ID token, already verified by next-auth (signature, issuer, audience, expiry, nonce), says. */
export const ssoClaimsSchema = z.object({
  issuer: z.url(),
  subject: z.string().min(1).max(255),
  email: z.email().max(320).transform((email) => email.toLowerCase()),
  /** Only a provider's verified email may link or create an account. */
  emailVerified: z.boolean(),
  /** Authentication methods (RFC 8176), e.g. ["pwd", "otp"]; acr, as the provider states it. */
  amr: z.array(z.string()).default([]),
  acr: z.string().nullable().default(null),
  /**
   * The groups the provider lists for the person (in the claim OIDC_GROUPS_CLAIM names): they
   * decide the person's teams that have a group. Absent: the claim is off or was not sent, and
   * their teams stay as they are.
   */
  groups: z.array(z.string().max(255)).max(5_000).optional(),
});
export type SsoClaims = z.infer<typeof ssoClaimsSchema>;

export type SsoSettings = {
  /** Email domains whose people get an account at their first sign-in (no role); empty: none. */
  jitDomains: readonly string[];
};

/** The account as the decision needs it: its identities and whether it may sign in. */
type Candidate = { id: string; name: string; email: string; disabledAt: Date | null; identities: { issuer: string; subject: string }[] };

export type SsoDecision =
  | { kind: "known"; userId: string }
  | { kind: "link"; userId: string }
  | { kind: "create" }
  | { kind: "refuse"; reason: SignInFailure; userId: string | null };

/**
 * The rule, without a database: `byIdentity` is the account already linked to this issuer and
 * subject, `byEmail` the account with the presented email.
 */
export function decideSso(claims: SsoClaims, byIdentity: Candidate | null, byEmail: Candidate | null, settings: SsoSettings): SsoDecision {
  if (byIdentity) return byIdentity.disabledAt ? { kind: "refuse", reason: "disabled", userId: byIdentity.id } : { kind: "known", userId: byIdentity.id };
  if (!claims.emailVerified) return { kind: "refuse", reason: "sso_email_unverified", userId: byEmail?.id ?? null };
  if (byEmail) {
    if (byEmail.disabledAt) return { kind: "refuse", reason: "disabled", userId: byEmail.id };
    // The account already signs in through a provider, as someone else there or at another
    // provider: the same email from here is not the same person.
    if (byEmail.identities.length > 0) return { kind: "refuse", reason: "sso_identity_conflict", userId: byEmail.id };
    return { kind: "link", userId: byEmail.id };
  }
  const domain = claims.email.slice(claims.email.lastIndexOf("@") + 1);
  if (settings.jitDomains.includes(domain)) return { kind: "create" };
  return { kind: "refuse", reason: "unknown_email", userId: null };
}

/** Whether the provider says the person used more than one factor (RFC 8176 amr values, or an acr naming MFA). */
export function providerAssertsMfa(claims: Pick<SsoClaims, "amr" | "acr">): boolean {
  if (claims.amr.includes("mfa")) return true;
  const factors = new Set(claims.amr.filter((method) => ["otp", "hwk", "swk", "sms", "fpt", "face", "iris", "pin", "sc"].includes(method)));
  if (factors.size > 0 && claims.amr.some((method) => method === "pwd" || method === "kba")) return true;
  return claims.acr !== null && /mfa|multi|aal2|aal3|phr/i.test(claims.acr);
}

const candidateSelect = { id: true, name: true, email: true, disabledAt: true, identities: { select: { issuer: true, subject: true } } } as const;

/**
 * The account a verified single sign-on belongs to, linking or creating it as `decideSso`
 * says, with its audit event in the same transaction, and its teams brought in line with the
 * groups the claims list (lib/teams/groups.ts); null (and a refused sign-in recorded) when it is
 * refused.
 */
export async function resolveSsoAccount(input: unknown, settings: SsoSettings, requestId: string | null): Promise<AuthActor | null> {
  const parsed = ssoClaimsSchema.safeParse(input);
  if (!parsed.success) {
    await recordFailedSignIn("(no valid email)", "sso_claims_invalid", null, requestId);
    return null;
  }
  const claims = parsed.data;
  const outcome = await db.$transaction(async (tx) => {
    const identity = await tx.userIdentity.findUnique({ where: { issuer_subject: { issuer: claims.issuer, subject: claims.subject } }, select: { user: { select: candidateSelect } } });
    const byEmail = await tx.user.findUnique({ where: { email: claims.email }, select: candidateSelect });
    const decision = decideSso(claims, identity?.user ?? null, byEmail, settings);
    const who = { issuer: claims.issuer, subject: claims.subject, email: claims.email };
    const signedIn = async (user: Candidate) => {
      if (claims.groups) await syncGroupTeams(tx, user, claims.groups, requestId);
      return { kind: "ok" as const, user };
    };
    switch (decision.kind) {
      case "refuse":
        return decision;
      case "known": {
        await tx.userIdentity.update({ where: { issuer_subject: { issuer: claims.issuer, subject: claims.subject } }, data: { lastSignInAt: new Date() } });
        return signedIn(identity!.user);
      }
      case "link": {
        const linked = await tx.userIdentity.create({ data: { userId: decision.userId, issuer: claims.issuer, subject: claims.subject, emailAtLink: claims.email }, select: { id: true } });
        await recordAuditEvent(tx, { actor: byEmail!, action: auditActions.AUTH_IDENTITY_LINKED, entityType: "user", entityId: decision.userId, after: { identityId: linked.id, ...who }, requestId });
        return signedIn(byEmail!);
      }
      case "create": {
        const name = claims.email.slice(0, claims.email.indexOf("@"));
        const user = await tx.user.create({ data: { email: claims.email, name, identities: { create: { issuer: claims.issuer, subject: claims.subject, emailAtLink: claims.email } } }, select: candidateSelect });
        await recordAuditEvent(tx, {
          actor: null,
          action: auditActions.USER_CREATED,
          entityType: "user",
          entityId: user.id,
          after: { ...who, name: user.name, globalRoles: [], via: "single sign-on" },
          requestId,
        });
        return signedIn(user);
      }
    }
  });
  if (outcome.kind === "refuse") {
    await recordFailedSignIn(claims.email, outcome.reason, outcome.userId, requestId);
    return null;
  }
  return { id: outcome.user.id, name: outcome.user.name, email: outcome.user.email };
}
