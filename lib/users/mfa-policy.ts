// Who must use two-step sign-in (ASVS 6.3.3: administrative and other high-value accounts use
// multi-factor authentication). Admins change anything; approvers' signatures are what an
// auditor relies on. Under MFA_ENROLMENT=required they must set up an authenticator app, and are
// sent to do so at sign-in until they have; a single sign-on whose provider vouched for a second
// factor (an `amr`/`acr` claim, lib/users/sso.ts) counts as one. Anyone else may set one up.
// Whoever has one gives its code at every sign-in: after the password, or after a single sign-on
// whose provider did not vouch for a second factor.

export type MfaEnrolment = "required" | "optional";

/** What a session must do before anything else: set up an authenticator, give a code from it, or nothing (null). */
export type MfaStep = "set-up" | "verify";

export function pendingMfaStep(
  enrolment: MfaEnrolment,
  person: { globalRoles: readonly string[]; approves: boolean; enrolled: boolean; sessionProof: string },
): MfaStep | null {
  // Sessions record how they were proved: "password+totp", "oidc+mfa", "oidc+totp" are two factors.
  if (person.enrolled) return person.sessionProof === "oidc" ? "verify" : null;
  if (enrolment !== "required" || person.sessionProof.endsWith("+mfa")) return null;
  return person.globalRoles.includes("ADMIN") || person.approves ? "set-up" : null;
}
