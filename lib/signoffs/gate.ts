import { effectiveStatus, isSatisfied, type SatisfactionState } from "@/lib/checklists/rules";
import { countsForTarget, NO_LEVELS, type LevelSetting } from "@/lib/checklists/levels";
import type { Area, ItemStatus } from "@/lib/checklists/types";
import type { ScopeItem, SignoffSlot } from "@/lib/signoffs/digest";
import type { StaleCause } from "@/lib/signoffs/schema";
import { goLiveFourEyesRefusal, type Actor } from "@/lib/policy";
import { formatDateTime } from "@/lib/time";
import { capacityInSentence, plural, waiverPendingWords } from "@/lib/words";

// The go-live gate, computed and never stored: open when every required item is DONE,
// NOT_APPLICABLE or validly WAIVED (accepted by someone other than its requester, and not
// expired), and every required slot holds a current APPROVED sign-off. On a checklist with
// levels, only the items at or below the target level count (lib/checklists/levels.ts).

/** `level`: the item's maturity level (absent: the lowest). */
export type GateItem = { id: string; title: string; area: Area; required: boolean; level?: number; status: ItemStatus; waiverExpiresAt: Date | null; waiverAcceptedAt: Date | null; waiverGrantedByName?: string | null };
export type GateSignoff = { slot: SignoffSlot; state: "CURRENT" | "STALE" | "SUPERSEDED"; decision: "APPROVED" | "REJECTED"; approverName: string; signedAt: Date };

export type GateReason =
  | { code: "ITEM_OPEN"; message: string; itemId: string }
  | { code: "WAIVER_EXPIRED"; message: string; itemId: string }
  /** A waiver request nobody other than its requester has accepted yet. */
  | { code: "WAIVER_PENDING"; message: string; itemId: string }
  | { code: "SIGNOFF_MISSING" | "SIGNOFF_STALE" | "SIGNOFF_REJECTED"; message: string; slot: SignoffSlot };

export type Gate = { open: boolean; reasons: GateReason[] };

export const slotNames: Record<SignoffSlot, string> = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "Go-live" };

/** Slots in words, in the order given: "DevOps, DBA and Go-live" ("none" for no slot). */
export function slotList(slots: readonly SignoffSlot[]): string {
  const names = slots.map((slot) => slotNames[slot]);
  if (names.length <= 1) return names[0] ?? "none";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const causeWords: Record<string, string> = {
  "item.updated": "item changed",
  "evidence.added": "evidence added",
  "evidence.removed": "evidence removed",
  "checklist.imported": "items added",
  "checklist.upgraded": "template upgrade",
  "item.waiver_accepted": "waiver accepted",
  "item.waiver_declined": "waiver declined",
  "result.recorded": "a result changed the item",
  "project.levels_changed": "levels changed",
};

/** What made a sign-off stale, in words: "evidence added: Backups run nightly", "the required sign-offs changed from … to …". */
export function staleCauseWords(cause: StaleCause): string {
  if ("requiredSlots" in cause) return `the required sign-offs changed from ${slotList(cause.requiredSlots.before)} to ${slotList(cause.requiredSlots.after)}`;
  return `${causeWords[cause.action] ?? cause.action}: ${cause.title}`;
}

/**
 * What a signature means, in the words its signer is shown before signing and the sign-off
 * records (21 CFR Part 11 §11.50): who signs (printed name and title), what they decide, on which
 * slot of which project, in which capacity, over which state.
 */
export function signatureMeaning(input: { decision: "APPROVED" | "REJECTED"; slot: SignoffSlot; projectName: string; signerName: string; signerTitle: string; capacity: string; items: number; targetLevelName?: string | null }): string {
  const signer = `${input.signerName},${input.signerTitle ? ` ${input.signerTitle},` : ""}`;
  const capacity = capacityInSentence(input.capacity);
  const upTo = input.targetLevelName ? ` up to level ${input.targetLevelName}` : "";
  const scope = input.slot === "GO_LIVE" ? (upTo ? `the checklist${upTo} (${plural(input.items, "item")})` : `the whole checklist (${plural(input.items, "item")})`) : `the ${plural(input.items, "item")} of the ${slotNames[input.slot]} area${upTo}`;
  const verb = input.slot === "GO_LIVE" || input.items === 1 ? "it is" : "they are";
  return input.decision === "APPROVED"
    ? `I, ${signer} approve the ${slotNames[input.slot]} sign-off of ${input.projectName} as ${capacity}: I reviewed ${scope} in the state shown to me and accept responsibility that ${verb} ready for production.`
    : `I, ${signer} reject the ${slotNames[input.slot]} sign-off of ${input.projectName} as ${capacity}: I reviewed ${scope} in the state shown to me and ${verb} not ready for production, for the reason I give.`;
}

/** The round of a slot that counts: the latest one not superseded (CURRENT, or STALE if it went stale). */
function latestRound<S extends GateSignoff>(signoffs: readonly S[], slot: SignoffSlot): S | undefined {
  return signoffs.filter((signoff) => signoff.slot === slot && signoff.state !== "SUPERSEDED").sort((a, b) => b.signedAt.getTime() - a.signedAt.getTime())[0];
}
const statusWords: Record<ItemStatus, string> = { TODO: "to do", IN_PROGRESS: "in progress", BLOCKED: "blocked", DONE: "done", NOT_APPLICABLE: "not applicable", WAIVED: "waived" };

/** `levels`: the project's levels and target (absent: a checklist without levels). */
export function computeGate(input: { items: readonly GateItem[]; requiredSlots: readonly SignoffSlot[]; signoffs: readonly GateSignoff[]; now: Date; levels?: LevelSetting }): Gate {
  const reasons: GateReason[] = [];
  const levels = input.levels ?? NO_LEVELS;
  // One order whatever order the caller read the items in (the live gate and the as-of rebuild
  // must agree): by title, then id.
  const items = [...input.items].sort((a, b) => (a.title < b.title ? -1 : a.title > b.title ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const item of items) {
    if (!item.required || !countsForTarget(levels, item.level ?? 0) || isSatisfied(item, input.now)) continue;
    const status = effectiveStatus(item, input.now);
    if (status === "WAIVER_REQUESTED") reasons.push({ code: "WAIVER_PENDING", itemId: item.id, message: waiverPendingWords(item.title, item.waiverGrantedByName ?? null) });
    else if (status === "WAIVER_EXPIRED") reasons.push({ code: "WAIVER_EXPIRED", itemId: item.id, message: `The waiver of "${item.title}" has expired.` });
    else reasons.push({ code: "ITEM_OPEN", itemId: item.id, message: `Required item "${item.title}" is ${statusWords[item.status]}.` });
  }
  for (const slot of input.requiredSlots) {
    // The latest round decides: CURRENT if nothing changed since, else STALE.
    const latest = latestRound(input.signoffs, slot);
    if (!latest) reasons.push({ code: "SIGNOFF_MISSING", slot, message: `${slotNames[slot]} sign-off has not been given.` });
    else if (latest.state === "STALE") reasons.push({ code: "SIGNOFF_STALE", slot, message: `${slotNames[slot]} sign-off by ${latest.approverName} is stale: what it covered, or what go-live requires, changed since. It must be given again.` });
    else if (latest.decision === "REJECTED") reasons.push({ code: "SIGNOFF_REJECTED", slot, message: `${slotNames[slot]} sign-off was rejected by ${latest.approverName}.` });
  }
  return { open: reasons.length === 0, reasons };
}

export type MarkLiveReason =
  | GateReason
  /** Set before GO_LIVE was always required: a lead must add it to the required slots first. */
  | { code: "GO_LIVE_NOT_REQUIRED"; message: string; slot: "GO_LIVE" }
  /** The current Go-live approval is not someone else's (lib/policy.ts, goLiveFourEyesRefusal). */
  | { code: "GO_LIVE_NOT_INDEPENDENT"; message: string; slot: "GO_LIVE" };

/**
 * Whether this actor may mark the project live now, and every reason not: the gate's, then four
 * eyes on the Go-live decision. Whether they may mark projects live at all is the policy's
 * "project.markLive".
 */
export function markLiveCheck(input: { gate: Gate; requiredSlots: readonly SignoffSlot[]; signoffs: readonly (GateSignoff & { approverId: string | null })[]; actor: Actor }): { allowed: boolean; reasons: MarkLiveReason[] } {
  const reasons: MarkLiveReason[] = [...input.gate.reasons];
  if (!input.requiredSlots.includes("GO_LIVE")) {
    reasons.push({
      code: "GO_LIVE_NOT_REQUIRED",
      slot: "GO_LIVE",
      message: "This project's sign-offs were set before Go-live was always required: a lead must add Go-live in the sign-off settings, and someone other than the person marking the project live must approve it.",
    });
  } else {
    const latest = latestRound(input.signoffs, "GO_LIVE");
    // A missing, stale or rejected Go-live round is already a reason of the gate.
    const refusal = latest?.state === "CURRENT" && latest.decision === "APPROVED" ? goLiveFourEyesRefusal(input.actor, latest) : null;
    if (refusal) reasons.push({ code: "GO_LIVE_NOT_INDEPENDENT", slot: "GO_LIVE", message: refusal });
  }
  return { allowed: reasons.length === 0, reasons };
}

/** What the gate says in one line: open, closed, live, or live and changed since (a relapse). */
export function gateHeadline(gate: Gate & { liveAt: string | null }, zone: string): string {
  const reasons = plural(gate.reasons.length, "reason");
  if (gate.liveAt) {
    const since = `Live since ${formatDateTime(new Date(gate.liveAt), zone)}`;
    return gate.open ? since : `${since}, changed since: the gate is closed (${reasons})`;
  }
  return gate.open ? "Gate open: ready to go live" : `Gate closed: ${reasons}`;
}

/** What decides whether an item of a signed scope counts (a scope from before acceptance: not accepted). */
export function scopeItemState(item: ScopeItem): SatisfactionState {
  return {
    status: item.status,
    waiverExpiresAt: item.waiver?.expiresAt ? new Date(item.waiver.expiresAt) : null,
    waiverAcceptedAt: item.waiver?.acceptedAt ? new Date(item.waiver.acceptedAt) : null,
  };
}

/** The required items of a signed scope that are not ready now (open, a waiver request, or waived past expiry). */
export function openRequiredItems(scope: readonly ScopeItem[], now: Date): ScopeItem[] {
  return scope.filter((item) => item.required && !isSatisfied(scopeItemState(item), now));
}

/**
 * Whether this approval may be given over `open` required items that are not ready: never
 * without the project's setting, and with it only when the approver confirmed that count.
 * Returns the refusal in words, or null.
 */
export function openItemsRefusal(input: { open: number; allowed: boolean; confirmed: boolean }): { field: "decision" | "confirmOpenItems"; message: string } | null {
  if (input.open === 0) return null;
  const items = input.open === 1 ? "1 required item of this scope is" : `${input.open} required items of this scope are`;
  if (!input.allowed) {
    return { field: "decision", message: `${items} not ready: approve once ${input.open === 1 ? "it is" : "they are"} ready, or reject. A lead may allow approving with open items in the sign-off settings.` };
  }
  if (!input.confirmed) return { field: "confirmOpenItems", message: `${items} not ready: confirm that you approve with ${input.open === 1 ? "it" : "them"} open.` };
  return null;
}
