import type { FieldErrors } from "@/lib/errors";
import type { ItemStatus } from "@/lib/checklists/types";

// The rules of an item's state, as pure functions: what a status needs, and whether an item
// counts as satisfied at a given moment (an expired waiver stops counting by itself).

export type ItemState = {
  status: ItemStatus;
  required: boolean;
  statusReason: string | null;
  waiverRiskOwner: string | null;
  waiverExpiresAt: Date | null;
};

/** The status people should see: a waiver past its expiry shows as failing again. */
export type EffectiveStatus = ItemStatus | "WAIVER_EXPIRED";

export function effectiveStatus(item: Pick<ItemState, "status" | "waiverExpiresAt">, now: Date): EffectiveStatus {
  if (item.status === "WAIVED" && (!item.waiverExpiresAt || item.waiverExpiresAt.getTime() <= now.getTime())) return "WAIVER_EXPIRED";
  return item.status;
}

/** Whether the item no longer stands in the way of go-live. */
export function isSatisfied(item: Pick<ItemState, "status" | "waiverExpiresAt">, now: Date): boolean {
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
      if (blank(item.waiverRiskOwner)) errors.waiverRiskOwner = ["A waiver needs a risk owner."];
      if (!item.waiverExpiresAt) errors.waiverExpiresAt = ["A waiver needs an expiry date."];
      else if (item.waiverExpiresAt.getTime() <= now.getTime()) errors.waiverExpiresAt = ["The expiry date must be in the future."];
      break;
    default:
      break;
  }
  return errors;
}
