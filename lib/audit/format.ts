import { auditActions } from "@/lib/audit/events";
import type { BreakReason } from "@/lib/audit/chain";
import { areaLabels } from "@/lib/checklists/types";
import { auditActionInWords, decisionWords, roleWords, signoffStateWords, slotWords, statusWords } from "@/lib/words";
import { signoffSlots, type SignoffSlot } from "@/lib/signoffs/digest";
import { slotList, slotNames, staleCauseWords } from "@/lib/signoffs/gate";
import { staleCauseSchema } from "@/lib/signoffs/schema";
import { isExcerpt } from "@/lib/audit/excerpt";
import { levelChangeWords, type LevelSetting } from "@/lib/checklists/levels";

// A one-line, human description of an audit event for the activity views. The raw before and
// after stay available next to it; this only reads them. It reads whole payloads (the decision
// package) and the history's excerpts alike (lib/audit/excerpt.ts: a large field arrives as
// its start and its length).

type Snapshot = Record<string, unknown>;

/** The levels and target a project.levels_changed event records on one side (none when unreadable). */
function levelSettingOf(value: unknown): LevelSetting {
  const snapshot = (value ?? {}) as Snapshot;
  const levels = Array.isArray(snapshot.levels) ? snapshot.levels.filter((name): name is string => typeof name === "string") : [];
  return { levels, targetLevel: typeof snapshot.targetLevel === "number" ? snapshot.targetLevel : 0 };
}

function field(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const found = (value as Snapshot)[key];
  if (typeof found === "string") return found;
  if (isExcerpt(found)) return found.type === "string" ? `${found.$excerpt}…` : undefined;
  if (Array.isArray(found)) return found.join(", ");
  if (typeof found === "boolean" || typeof found === "number") return String(found);
  return undefined;
}

/** A field that holds a code, in words (undefined when absent). */
function worded(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const found = (value as Snapshot)[key];
  return found === undefined || found === null ? undefined : valueInWords(key, found);
}

// The words for the codes each field of an event can hold.
const codeWordsByField: Record<string, Record<string, string>> = {
  status: Object.fromEntries(Object.entries(statusWords).map(([code, words]) => [code, words.toLowerCase()])),
  area: areaLabels,
  slot: slotWords,
  decision: Object.fromEntries(Object.entries(decisionWords).map(([code, words]) => [code, words.toLowerCase()])),
  state: signoffStateWords,
  capacity: roleWords,
  roles: roleWords,
  globalRoles: roleWords,
  oidcRoles: roleWords,
  requiredSlots: slotWords,
  scope: { GATE: "reads the gate", READ: "reads as its owner" },
  kind: { LINK: "link", NOTE: "note" },
};

const fieldWords: Record<string, string> = {
  status: "Status",
  statusReason: "Reason",
  details: "Details",
  title: "Title",
  area: "Area",
  required: "Required",
  waiverRiskOwner: "Risk owner",
  waiverControls: "Compensating controls",
  waiverExpiresAt: "Waiver expires",
  waiverGrantedByName: "Waiver requested by",
  waiverGrantedById: "Waiver requested by (id)",
  waiverRiskOwnerId: "Risk owner (id)",
  waiverAcceptedByName: "Waiver accepted by",
  waiverAcceptedById: "Waiver accepted by (id)",
  waiverAcceptedAt: "Waiver accepted at",
  assigneeName: "Assignee",
  assigneeId: "Assignee (id)",
  dueAt: "Due",
  roles: "Roles",
  globalRoles: "Global roles",
  requiredSlots: "Required sign-offs",
  ownersMayApprove: "Area owners may sign",
  approveWithOpenItems: "Open items may be approved",
  openItems: "Required items open when signed",
  slot: "Sign-off",
  round: "Round",
  decision: "Decision",
  state: "State",
  digest: "Digest",
  comment: "Comment",
  reason: "Reason",
  note: "Note",
  url: "Link",
  body: "Text",
  name: "Name",
  email: "Email",
  method: "Method",
  webhook: "Webhook",
  liveAt: "Live since",
  targetGoLive: "Target go-live",
  description: "Description",
  teamName: "Team",
  oidcGroup: "Single sign-on group",
  oidcRoles: "Roles of the group's members",
};

/** An event field's name for people ("waiverRiskOwner" → "Risk owner"); unknown fields stay as recorded. */
export function fieldInWords(key: string): string {
  return fieldWords[key] ?? key;
}

/** A value of an event field for people: codes in words, lists joined, yes/no for flags. */
export function valueInWords(key: string, value: unknown): string {
  if (isExcerpt(value)) return value.type === "array" ? `${value.length.toLocaleString("en-US")} entries: ${value.$excerpt}…` : `${value.$excerpt}…`;
  const words = codeWordsByField[key];
  if (words && typeof value === "string") return words[value] ?? value;
  if (words && Array.isArray(value)) return value.length === 0 ? "none" : value.map((entry) => (typeof entry === "string" ? (words[entry] ?? entry) : JSON.stringify(entry))).join(", ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A list of slots in a payload, in words; undefined when it is not one. */
function slots(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const found = (value as Snapshot)[key];
  if (!Array.isArray(found)) return undefined;
  return slotList(found.filter((slot): slot is SignoffSlot => signoffSlots.includes(slot as SignoffSlot)));
}

function slotName(value: unknown): string {
  const slot = field(value, "slot");
  return slot && Object.hasOwn(slotNames, slot) ? slotNames[slot as SignoffSlot] : (slot ?? "?");
}

/** A change of the sign-off settings in words: the required slots, whether owners sign their area, whether open items may be approved. */
export function describeSlotsChange(before: unknown, after: unknown): string {
  const [from, to] = [slots(before, "requiredSlots"), slots(after, "requiredSlots")];
  const changes: string[] = [];
  if (from !== to) changes.push(`changed the required sign-offs from ${from ?? "?"} to ${to ?? "?"}`);
  const owners = field(after, "ownersMayApprove");
  if (field(before, "ownersMayApprove") !== owners) changes.push(owners === "true" ? "let area owners sign their own area" : "stopped area owners signing their own area");
  // Absent in events from before the setting existed: it was off.
  const openItems = field(after, "approveWithOpenItems") ?? "false";
  if ((field(before, "approveWithOpenItems") ?? "false") !== openItems) {
    changes.push(openItems === "true" ? "allowed approving a scope with open items (the approver confirms)" : "stopped approvals of scopes with open items");
  }
  const duties = field(after, "separationOfDuties") ?? "false";
  if ((field(before, "separationOfDuties") ?? "false") !== duties) {
    changes.push(duties === "true" ? "separated duties (whoever completed or waived an item does not approve its sign-off)" : "stopped separating duties");
  }
  if (changes.length === 0) return `Saved the sign-off settings unchanged (required: ${to ?? "?"})`;
  const sentence = changes.length === 1 ? changes[0]! : `${changes.slice(0, -1).join(", ")}, and ${changes.at(-1)}`;
  return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}`;
}

export function describeAuditEvent(event: { action: string; before: unknown; after: unknown }): string {
  const { before, after } = event;
  const who = field(after, "name") ?? field(before, "name") ?? field(after, "email") ?? field(before, "email") ?? "someone";
  switch (event.action) {
    case auditActions.AUTH_SIGN_IN:
      return `Signed in (${field(after, "method") ?? "password"})`;
    case auditActions.AUTH_SIGN_IN_FAILED:
      return `Sign-in refused for ${field(after, "email") ?? "unknown email"} (${(field(after, "reason") ?? "unknown").replaceAll("_", " ")})`;
    case auditActions.AUTH_SIGN_OUT:
      return "Signed out";
    case auditActions.AUTH_PASSWORD_RESET_REQUESTED:
      return `A link to set a new password was asked for ${field(after, "email") ?? "an account"} and emailed`;
    case auditActions.AUTH_MFA_ENROLLED:
      return `Set up an authenticator app for two-step sign-in (${field(after, "recoveryCodes") ?? "10"} recovery codes made)`;
    case auditActions.AUTH_MFA_REMOVED:
      return field(after, "by") === "admin" ? `Reset the authenticator of ${field(after, "userName") ?? "a user"} and ended their sessions` : "Removed their authenticator app";
    case auditActions.AUTH_RECOVERY_CODE_USED:
      return `Signed in with a recovery code (${field(after, "recoveryCodesLeft") ?? "?"} left)`;
    case auditActions.AUTH_SESSIONS_ENDED: {
      const count = Number(field(after, "sessions") ?? 1);
      const sessions = count === 1 ? "a session" : `${count} sessions`;
      const reason = field(after, "reason");
      if (reason === "idle") return `Signed out for inactivity (${field(after, "idleMinutes") ?? "?"} minutes without a request)`;
      if (reason === "ended_by_admin") return `Ended ${sessions} of ${field(after, "userName") ?? "a user"}`;
      return `Ended ${sessions} of their own from another browser`;
    }
    case auditActions.AUTH_REAUTHENTICATED:
      return `Gave their ${field(after, "method") === "totp" ? "authenticator code" : "password"} again to sign (${auditActionInWords(field(after, "for") ?? "a signature").toLowerCase()})`;
    case auditActions.USER_CREATED:
      return `Added user ${who} <${field(after, "email") ?? "?"}>${field(after, "via") === "command line" ? " from the command line, with a link to set their password" : field(after, "invited") === "true" ? ", invited by email to set their password" : ""}`;
    case auditActions.SIGN_IN_LINK_CREATED:
      return `Made a new set-password link for ${who} <${field(after, "email") ?? "?"}> from the command line`;
    case auditActions.USER_PASSWORD_SET:
      return "Set their password with a sign-in link";
    case auditActions.USER_PASSWORD_CHANGED:
      return "Changed their password and ended their other sessions";
    case auditActions.USER_ROLES_CHANGED:
      return `Changed global roles of ${who} to ${worded(after, "globalRoles") || "none"}`;
    case auditActions.USER_DISABLED:
      return "Disabled a user and ended their sessions";
    case auditActions.USER_ENABLED:
      return "Enabled a user";
    case auditActions.PROJECT_CREATED:
      return `Created project ${field(after, "name") ?? "?"}`;
    case auditActions.MEMBER_ADDED:
      return `Added ${who} as ${worded(after, "roles") ?? "?"}`;
    case auditActions.MEMBER_ROLES_CHANGED:
      return `Changed roles of ${who} from ${worded(before, "roles") ?? "?"} to ${worded(after, "roles") ?? "?"}`;
    case auditActions.MEMBER_REMOVED:
      return `Removed ${who} (${worded(before, "roles") ?? "no roles"})`;
    case auditActions.TEAM_CREATED:
      return `Created team ${field(after, "name") ?? "?"}`;
    case auditActions.TEAM_UPDATED:
      return `Changed team ${field(after, "name") ?? "?"}`;
    case auditActions.TEAM_MEMBER_ADDED:
      return `Added ${who} to team ${field(after, "teamName") ?? "?"} as ${worded(after, "roles") ?? "?"}${field(after, "via") === "single sign-on" ? ` (single sign-on group ${field(after, "group") ?? "?"})` : ""}`;
    case auditActions.TEAM_MEMBER_ROLES_CHANGED:
      return `Changed team roles of ${who} in ${field(after, "teamName") ?? "?"} from ${worded(before, "roles") ?? "?"} to ${worded(after, "roles") ?? "?"}`;
    case auditActions.TEAM_MEMBER_REMOVED:
      return `Removed ${who} from team ${field(before, "teamName") ?? "?"}${field(after, "via") === "single sign-on" ? " (no longer in its single sign-on group)" : ""}`;
    case auditActions.PROJECT_TEAM_CHANGED: {
      const [from, to] = [field(before, "teamName"), field(after, "teamName")];
      if (!from) return `Gave the project to team ${to ?? "?"}`;
      return to ? `Moved the project from team ${from} to team ${to}` : `Took the project from team ${from}: no team owns it now`;
    }
    case auditActions.CHECKLIST_IMPORTED: {
      const items = (after as { items?: unknown } | null)?.items;
      const count = Array.isArray(items) ? items.length : isExcerpt(items) && items.type === "array" ? items.length : undefined;
      return `Added ${count ?? "?"} checklist items`;
    }
    case auditActions.CHECKLIST_UPGRADED:
      return `Moved the checklist to template version ${field(after, "version") ?? "?"}`;
    case auditActions.ITEM_UPDATED: {
      const changes = [field(after, "status") && `status ${worded(before, "status") ?? "?"} → ${worded(after, "status")}`, field(after, "note") && "added a note"].filter(Boolean);
      return `Changed “${field(after, "title") ?? "an item"}”${changes.length ? `: ${changes.join(", ")}` : ""}`;
    }
    case auditActions.WAIVER_ACCEPTED:
      return `Accepted the waiver of “${field(after, "title") ?? "an item"}” requested by ${field(before, "waiverGrantedByName") ?? "someone"}`;
    case auditActions.WAIVER_DECLINED:
      return `Declined the waiver of “${field(after, "title") ?? "an item"}”: ${field(after, "reason") ?? ""}`.trim();
    case auditActions.ITEM_ASSIGNED: {
      const to = field(after, "assigneeName");
      return `${to ? `Assigned “${field(after, "title") ?? "an item"}” to ${to}` : `Unassigned “${field(after, "title") ?? "an item"}”`}${field(after, "dueAt") ? `, due ${field(after, "dueAt")?.slice(0, 10)}` : ""}`;
    }
    case auditActions.EVIDENCE_ADDED:
      return `Added evidence to “${field(after, "itemTitle") ?? "an item"}”: ${field(after, "url") ?? field(after, "note") ?? ""}`.trim();
    case auditActions.EVIDENCE_REMOVED:
      return `Removed evidence from “${field(before, "itemTitle") ?? "an item"}”: ${field(before, "url") ?? field(before, "note") ?? ""}`.trim();
    case auditActions.CHECK_ADDED:
      return `Added a check to “${field(after, "itemTitle") ?? "an item"}”: ${field(after, "description") ?? field(after, "target") ?? ""}, every ${field(after, "intervalMinutes") ?? "?"} minutes`;
    case auditActions.CHECK_REMOVED:
      return `Removed a check from “${field(before, "itemTitle") ?? "an item"}”: ${field(before, "description") ?? field(before, "target") ?? ""}`;
    case auditActions.RESULT_RECORDED:
      return `${field(after, "outcome") === "FAIL" ? "A failing" : "A passing"} result for “${field(after, "itemTitle") ?? "an item"}”: ${field(after, "summary") ?? ""}`.trim();
    case auditActions.COMMENT_ADDED:
      return `Commented on “${field(after, "itemTitle") ?? "an item"}”: ${field(after, "body") ?? ""}`;
    case auditActions.SIGNOFF_GIVEN:
      return `${field(after, "decision") === "REJECTED" ? "Rejected" : "Approved"} the ${slotName(after)} sign-off (round ${field(after, "round") ?? "?"})`;
    case auditActions.SIGNOFF_STALE: {
      const cause = staleCauseSchema.safeParse((after as Snapshot | null)?.cause);
      return `The ${slotName(after)} sign-off went stale${cause.success ? ` (${staleCauseWords(cause.data)})` : ""}`;
    }
    case auditActions.SIGNOFF_SLOTS_CHANGED:
      return describeSlotsChange(before, after);
    case auditActions.LEVELS_CHANGED:
      return `Changed the levels: ${levelChangeWords(levelSettingOf(before), levelSettingOf(after))}`;
    case auditActions.PROJECT_LIVE:
      return "Marked the project live";
    default:
      return auditActionInWords(event.action);
  }
}

const chainBreakWords: Record<BreakReason, string> = {
  duplicate_seq: "two events claim the same place in the chain: one was inserted next to another.",
  seq_gap: "events are missing before it: they were deleted.",
  broken_link: "it does not follow from the event before it: events were removed, inserted or moved.",
  content_edited: "its content no longer matches its hash: it was edited after it was written.",
  truncated: "the chain ends before a point it is known to have reached: its newest events were removed.",
  checkpoint_mismatch: "it is not the event the signed checkpoint vouches for: the history was rewritten up to there.",
  head_mismatch: "the chain's head disagrees with the events: they were changed or appended behind its back.",
  unchained_events: "events were committed without joining the chain: the append trigger was switched off.",
  verified_mismatch: "the event there is not the one verified earlier: the history was rewritten up to there, or cut short.",
};

/** Why verification stopped, in a sentence for people. */
export function describeChainBreak(reason: BreakReason): string {
  return chainBreakWords[reason];
}
