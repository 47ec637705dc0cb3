import { isSatisfied } from "@/lib/checklists/rules";
import type { Area, ItemStatus } from "@/lib/checklists/types";
import type { SignoffSlot } from "@/lib/signoffs/digest";

// The go-live gate, computed and never stored: open when every required item is DONE,
// NOT_APPLICABLE or validly WAIVED, and every required slot holds a current APPROVED sign-off.

export type GateItem = { id: string; title: string; area: Area; required: boolean; status: ItemStatus; waiverExpiresAt: Date | null };
export type GateSignoff = { slot: SignoffSlot; state: "CURRENT" | "STALE" | "SUPERSEDED"; decision: "APPROVED" | "REJECTED"; approverName: string; signedAt: Date };

export type GateReason =
  | { code: "ITEM_OPEN"; message: string; itemId: string }
  | { code: "WAIVER_EXPIRED"; message: string; itemId: string }
  | { code: "SIGNOFF_MISSING" | "SIGNOFF_STALE" | "SIGNOFF_REJECTED"; message: string; slot: SignoffSlot };

export type Gate = { open: boolean; reasons: GateReason[] };

const slotNames: Record<SignoffSlot, string> = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "Go-live" };
const statusWords: Record<ItemStatus, string> = { TODO: "to do", IN_PROGRESS: "in progress", BLOCKED: "blocked", DONE: "done", NOT_APPLICABLE: "not applicable", WAIVED: "waived" };

export function computeGate(input: { items: readonly GateItem[]; requiredSlots: readonly SignoffSlot[]; signoffs: readonly GateSignoff[]; now: Date }): Gate {
  const reasons: GateReason[] = [];
  for (const item of input.items) {
    if (!item.required || isSatisfied(item, input.now)) continue;
    if (item.status === "WAIVED") reasons.push({ code: "WAIVER_EXPIRED", itemId: item.id, message: `The waiver of "${item.title}" has expired.` });
    else reasons.push({ code: "ITEM_OPEN", itemId: item.id, message: `Required item "${item.title}" is ${statusWords[item.status]}.` });
  }
  for (const slot of input.requiredSlots) {
    // The latest round decides: CURRENT if nothing changed since, else STALE.
    const latest = input.signoffs.filter((signoff) => signoff.slot === slot && signoff.state !== "SUPERSEDED").sort((a, b) => b.signedAt.getTime() - a.signedAt.getTime())[0];
    if (!latest) reasons.push({ code: "SIGNOFF_MISSING", slot, message: `${slotNames[slot]} sign-off has not been given.` });
    else if (latest.state === "STALE") reasons.push({ code: "SIGNOFF_STALE", slot, message: `${slotNames[slot]} sign-off by ${latest.approverName} is stale: what it covered changed.` });
    else if (latest.decision === "REJECTED") reasons.push({ code: "SIGNOFF_REJECTED", slot, message: `${slotNames[slot]} sign-off was rejected by ${latest.approverName}.` });
  }
  return { open: reasons.length === 0, reasons };
}
