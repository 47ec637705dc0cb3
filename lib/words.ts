import type { GlobalRole, ItemStatus, NotificationKind, ProjectRole, SignoffDecision, SignoffSlot, SignoffState } from "@/lib/generated/prisma/enums";
import { auditActions, type AuditAction } from "@/lib/audit/events";

// What people read instead of the codes the database stores: one table per code, used by pages,
// exports, the decision package and notifications alike, so that no `IN_PROGRESS`, `GO_LIVE` or
// `auth.sign_in` reaches a person (e2e/layout.spec.ts fails on any that does). Also one rule for
// plurals and one for percentages.

/** A code read back from stored JSON (a snapshot, an event) in words; a code this version does not know stays as it is. */
export function inWords<T extends string>(table: Record<T, string>, code: string): string {
  return Object.hasOwn(table, code) ? table[code as T] : code;
}

export const roleWords: Record<ProjectRole | GlobalRole, string> = {
  LEAD: "Lead",
  DEVOPS: "DevOps",
  DBA: "DBA",
  SECURITY: "Security",
  APPROVER: "Approver",
  VIEWER: "Viewer",
  ADMIN: "Admin",
  AUDITOR: "Auditor",
};

/** Roles as a phrase: "Lead, DevOps", or "no role". */
export function rolesInWords(roles: readonly string[]): string {
  return roles.length === 0 ? "no role" : roles.map((role) => inWords(roleWords, role)).join(", ");
}

/** The capacity a person signed in, inside a sentence: "as approver", "as DevOps". */
export function capacityInSentence(role: string): string {
  const words = inWords(roleWords, role);
  return role === "DEVOPS" || role === "DBA" || role === "SECURITY" ? words : words.toLowerCase();
}

export const statusWords: Record<ItemStatus, string> = {
  TODO: "To do",
  IN_PROGRESS: "In progress",
  BLOCKED: "Blocked",
  DONE: "Done",
  NOT_APPLICABLE: "Not applicable",
  WAIVED: "Waived",
};

/** Inside a sentence: "is to do", "from in progress to done". */
export function statusInSentence(status: ItemStatus): string {
  return statusWords[status].toLowerCase();
}

export const slotWords: Record<SignoffSlot, string> = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "Go-live" };

export const decisionWords: Record<SignoffDecision, string> = { APPROVED: "Approved", REJECTED: "Rejected" };

/** How a signer proved who they were (signoffs.reauth_method), and how a session's proof was given (its basis). */
export const proofMethodWords: Record<string, string> = {
  password: "password",
  totp: "authenticator code",
  oidc: "single sign-on",
  "oidc+mfa": "single sign-on with a second factor",
  "password+totp": "password and authenticator code",
  "password+recovery_code": "password and recovery code",
  "recent-session": "recent sign-in",
};

/**
 * How a signature was proved, in a sentence: "password re-entered to sign", "signed in with
 * password 2 minutes before (within the signing window)". Null for rounds from before it was recorded.
 */
export function proofInWords(proof: { reauthMethod: string | null | undefined; reauthAt: string | Date | null | undefined; reauthBasis?: string | null | undefined }, signedAt: string | Date): string | null {
  if (!proof.reauthMethod) return null;
  if (proof.reauthMethod === "password") return "password re-entered to sign";
  if (proof.reauthMethod === "totp") return "authenticator code entered to sign";
  if (proof.reauthMethod === "recent-session") {
    const seconds = proof.reauthAt ? Math.max(0, Math.round((new Date(signedAt).getTime() - new Date(proof.reauthAt).getTime()) / 1000)) : null;
    const ago = seconds === null ? "" : seconds < 60 ? ` ${plural(seconds, "second")} before` : ` ${plural(Math.round(seconds / 60), "minute")} before`;
    const how = proof.reauthBasis ? inWords(proofMethodWords, proof.reauthBasis) : "a proof";
    return `${how} given in this session${ago}, within the signing window`;
  }
  return proof.reauthMethod;
}

export const signoffStateWords: Record<SignoffState, string> = { CURRENT: "current", STALE: "stale: what it covered changed", SUPERSEDED: "replaced by a later round" };

export const notificationKindWords: Record<NotificationKind, string> = {
  ASSIGNED: "Assigned to you",
  DUE_SOON: "Due soon",
  OVERDUE: "Overdue",
  COMMENTED: "Comment",
  EVIDENCE_CHANGED: "Evidence",
  SIGNOFF_STALE: "Sign-off stale",
  WAIVER_REQUESTED: "Waiver requested",
  WAIVER_ACCEPTED: "Waiver accepted",
  WAIVER_DECLINED: "Waiver declined",
};

export const auditActionWords: Record<AuditAction, string> = {
  [auditActions.AUTH_SIGN_IN]: "Signed in",
  [auditActions.AUTH_SIGN_IN_FAILED]: "Sign-in refused",
  [auditActions.AUTH_REAUTHENTICATED]: "Proved who they are again to sign",
  [auditActions.AUTH_IDENTITY_LINKED]: "Single sign-on linked",
  [auditActions.AUTH_SIGN_OUT]: "Signed out",
  [auditActions.AUTH_SESSIONS_ENDED]: "Sessions ended",
  [auditActions.AUTH_PASSWORD_RESET_REQUESTED]: "Password reset asked for",
  [auditActions.AUTH_MFA_ENROLLED]: "Authenticator set up",
  [auditActions.AUTH_MFA_REMOVED]: "Authenticator removed",
  [auditActions.AUTH_RECOVERY_CODE_USED]: "Recovery code used",
  [auditActions.USER_CREATED]: "User added",
  [auditActions.USER_ROLES_CHANGED]: "Global roles changed",
  [auditActions.USER_DISABLED]: "User disabled",
  [auditActions.USER_ENABLED]: "User enabled",
  [auditActions.SIGN_IN_LINK_CREATED]: "Set-password link made",
  [auditActions.USER_PASSWORD_SET]: "Password set",
  [auditActions.USER_PASSWORD_CHANGED]: "Password changed",
  [auditActions.PROJECT_CREATED]: "Project created",
  [auditActions.MEMBER_ADDED]: "Member added",
  [auditActions.MEMBER_ROLES_CHANGED]: "Member's roles changed",
  [auditActions.MEMBER_REMOVED]: "Member removed",
  [auditActions.TEAM_CREATED]: "Team created",
  [auditActions.TEAM_UPDATED]: "Team changed",
  [auditActions.TEAM_MEMBER_ADDED]: "Team member added",
  [auditActions.TEAM_MEMBER_ROLES_CHANGED]: "Team member's roles changed",
  [auditActions.TEAM_MEMBER_REMOVED]: "Team member removed",
  [auditActions.PROJECT_TEAM_CHANGED]: "Owning team changed",
  [auditActions.CHECKLIST_IMPORTED]: "Items added",
  [auditActions.CHECKLIST_UPGRADED]: "Template upgrade",
  [auditActions.ITEM_UPDATED]: "Item changed",
  [auditActions.WAIVER_ACCEPTED]: "Waiver accepted",
  [auditActions.WAIVER_DECLINED]: "Waiver declined",
  [auditActions.ITEM_ASSIGNED]: "Item assigned",
  [auditActions.EVIDENCE_ADDED]: "Evidence added",
  [auditActions.EVIDENCE_REMOVED]: "Evidence removed",
  [auditActions.COMMENT_ADDED]: "Comment",
  [auditActions.RESULT_RECORDED]: "Result recorded",
  [auditActions.CHECK_ADDED]: "Check added",
  [auditActions.CHECK_REMOVED]: "Check removed",
  [auditActions.SIGNOFF_GIVEN]: "Sign-off given",
  [auditActions.SIGNOFF_STALE]: "Sign-off went stale",
  [auditActions.SIGNOFF_SLOTS_CHANGED]: "Required sign-offs changed",
  [auditActions.LEVELS_CHANGED]: "Levels changed",
  [auditActions.PROJECT_WEBHOOK_CHANGED]: "Webhook changed",
  [auditActions.NOTIFICATIONS_READ]: "Notifications read",
  [auditActions.USER_PREFERENCES_CHANGED]: "Preferences changed",
  [auditActions.PROJECT_LIVE]: "Marked live",
  [auditActions.TEMPLATE_CREATED]: "Template created",
  [auditActions.TEMPLATE_VERSION_CREATED]: "Template version published",
  [auditActions.TOKEN_CREATED]: "API token created",
  [auditActions.TOKEN_REVOKED]: "API token revoked",
  [auditActions.CAMPAIGN_CREATED]: "Campaign created",
  [auditActions.CAMPAIGN_UPDATED]: "Campaign changed",
  [auditActions.CAMPAIGN_STARTED]: "Campaign started",
  [auditActions.CAMPAIGN_APPLIED]: "Campaign items added",
  [auditActions.CAMPAIGN_ENDED]: "Campaign ended",
};

/** An action as stored, in words; an action this version does not know stays as recorded. */
export function auditActionInWords(action: string): string {
  return Object.hasOwn(auditActionWords, action) ? auditActionWords[action as AuditAction] : action;
}

/** Why a waiver request keeps the gate closed (the gate's WAIVER_PENDING reason). */
export function waiverPendingWords(title: string, requestedByName: string | null): string {
  return `The waiver of "${title}"${requestedByName ? ` requested by ${requestedByName}` : ""} awaits acceptance by an approver or lead other than the requester: until then the item counts as not done.`;
}

/** A waiver request as an item shows it: "Waiver requested by Dana, awaiting acceptance". */
export function waiverRequestWords(requestedByName: string | null): string {
  return `Waiver requested by ${requestedByName ?? "someone"}, awaiting acceptance`;
}

/** "1 item", "2 items"; `many` for irregular plurals. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? one : many}`;
}

/**
 * The one rounding of shares shown to people: whole percent, rounded down so that 99.6% never
 * reads as a finished 100%. Nothing to do is all done: 100.
 */
export function percent(part: number, whole: number): number {
  return whole === 0 ? 100 : Math.floor((part / whole) * 100);
}
