import type { FieldErrors } from "@/lib/errors";
import type { ItemStatus } from "@/lib/checklists/types";

// The rules of an item's state, as pure functions: what a status needs, and whether an item
// counts as satisfied at a given moment. A waiver is a request until someone other than its
// requester accepts it, and an accepted waiver stops counting by itself when it expires.

export type ItemState = {
  status: ItemStatus;
  required: boolean;
  statusReason: string | null;
  waiverRiskOwner: string | null;
  /** The risk owner as a member; null on a waiver recorded before risk owners were members. */
  waiverRiskOwnerId?: string | null;
  waiverExpiresAt: Date | null;
  /** When someone other than the requester accepted the waiver; null while it is a request. */
  waiverAcceptedAt: Date | null;
};

/** What decides whether an item counts: its status and, for a waiver, its acceptance and expiry. */
export type SatisfactionState = Pick<ItemState, "status" | "waiverExpiresAt" | "waiverAcceptedAt">;

/**
 * The status people should see: a waiver past its expiry shows as failing again (whether or not
 * it was accepted: an expired request can no longer be accepted), and one nobody has accepted
 * yet as a request.
 */
export type EffectiveStatus = ItemStatus | "WAIVER_EXPIRED" | "WAIVER_REQUESTED";

export function effectiveStatus(item: SatisfactionState, now: Date): EffectiveStatus {
  if (item.status !== "WAIVED") return item.status;
  if (!item.waiverExpiresAt || item.waiverExpiresAt.getTime() <= now.getTime()) return "WAIVER_EXPIRED";
  if (!item.waiverAcceptedAt) return "WAIVER_REQUESTED";
  return "WAIVED";
}

/** Whether the item no longer stands in the way of go-live. */
export function isSatisfied(item: SatisfactionState, now: Date): boolean {
  const status = effectiveStatus(item, now);
  return status === "DONE" || status === "NOT_APPLICABLE" || status === "WAIVED";
}

/**
 * What is missing for the item to hold its status, by field; empty when it may.
 * `evidenceCount` includes evidence added in the same change.
 */
export function statusRequirements(item: ItemState, evidenceCount: number, now: Date): FieldErrors {
  const errors: FieldErrors = {};
  const blank = (value: string | null) => !value || value.trim() === "";
  switch (item.status) {
    case "DONE":
      if (item.required && evidenceCount === 0) errors.note = ["A required item needs evidence or a note to be marked done."];
      break;
    case "NOT_APPLICABLE":
      if (blank(item.statusReason)) errors.statusReason = ["Say why this item does not apply."];
      break;
    case "BLOCKED":
      if (blank(item.statusReason)) errors.statusReason = ["Say what blocks this item."];
      break;
    case "WAIVED":
      if (blank(item.statusReason)) errors.statusReason = ["A waiver needs a reason: the risk being accepted."];
      if (blank(item.waiverRiskOwner)) errors.waiverRiskOwnerId = ["A waiver needs a risk owner: choose a member of the project."];
      if (!item.waiverExpiresAt) errors.waiverExpiresAt = ["A waiver needs an expiry date."];
      else if (item.waiverExpiresAt.getTime() <= now.getTime()) errors.waiverExpiresAt = ["The expiry date must be in the future."];
      break;
    default:
      break;
  }
  return errors;
}

/** The parts of a waiver that someone accepts: changing any of them after acceptance makes a new request. */
export const waiverSubstance = ["statusReason", "waiverRiskOwnerId", "waiverControls", "waiverExpiresAt"] as const;

/**
 * Why this waiver request cannot be accepted or declined now, in words, or null when it can. Any
 * request may be declined; one is accepted only unexpired and naming a member as its risk owner.
 */
export function waiverDecisionRefusal(item: SatisfactionState & { waiverRiskOwnerId: string | null }, decision: "accept" | "decline", now: Date): string | null {
  if (item.status !== "WAIVED") return "This item has no waiver request.";
  if (item.waiverAcceptedAt) return "This waiver has already been accepted.";
  if (decision === "decline") return null;
  if (!item.waiverExpiresAt || item.waiverExpiresAt.getTime() <= now.getTime()) return "This waiver request has expired: its owner must ask again with a new expiry.";
  if (!item.waiverRiskOwnerId) return "This waiver names its risk owner only as text: its owner must ask again, choosing a member of the project as the risk owner.";
  return null;
}

const DAY_MS = 86_400_000;

/** Re-attestation: when a done item's evidence, last renewed at `attestedAt`, must be renewed again. */
export function renewalDueAt(attestedAt: Date, everyDays: number): Date {
  return new Date(attestedAt.getTime() + everyDays * DAY_MS);
}

/** How long before its renewal is due the assignee is reminded: a week, or a third of a shorter period. */
export function renewalReminderLeadMs(everyDays: number): number {
  return Math.min(7 * DAY_MS, Math.floor((everyDays * DAY_MS) / 3));
}
