import { percent } from "@/lib/words";
import { effectiveStatus, isSatisfied } from "@/lib/checklists/rules";
import { areas, type Area, type ItemStatus } from "@/lib/checklists/types";
import { computeGate, type GateSignoff } from "@/lib/signoffs/gate";
import type { SignoffSlot } from "@/lib/signoffs/digest";

// Where each project stands, from counts rather than items: the portfolio loads item counts
// grouped in SQL and applies the checklist's own rules (isSatisfied) and the gate's own sign-off
// logic (computeGate) to them, so its figures agree with the project pages without loading
// every item of every project.

/**
 * A number of items of one project sharing area, status and required flag. Rows are grouped so
 * that effectiveStatus gives the same answer for every item of the row (for WAIVED: all accepted
 * and current, all requests, or all expired), and `waiverExpiresAt` and `waiverAcceptedAt` are
 * one of them.
 */
export type ItemCountRow = { projectId: string; area: Area; status: ItemStatus; required: boolean; waiverExpiresAt: Date | null; waiverAcceptedAt: Date | null; count: number };

export type AreaProgress = { area: Area; total: number; ready: number; blocked: number };

export type ItemSummary = {
  areas: AreaProgress[];
  total: number;
  ready: number;
  /** Required items not ready (the gate's ITEM_OPEN reasons). */
  openRequired: number;
  /** Required items whose waiver has expired (the gate's WAIVER_EXPIRED reasons). */
  expiredWaivers: number;
  /** Required items whose waiver nobody has accepted yet (the gate's WAIVER_PENDING reasons). */
  pendingWaivers: number;
};

export function emptyItemSummary(): ItemSummary {
  return { areas: areas.map((area) => ({ area, total: 0, ready: 0, blocked: 0 })), total: 0, ready: 0, openRequired: 0, expiredWaivers: 0, pendingWaivers: 0 };
}

/** Adds grouped item counts up per project and area. */
export function summarizeItems(rows: readonly ItemCountRow[], now: Date): Map<string, ItemSummary> {
  const byProject = new Map<string, ItemSummary>();
  for (const row of rows) {
    let summary = byProject.get(row.projectId);
    if (!summary) byProject.set(row.projectId, (summary = emptyItemSummary()));
    const area = summary.areas[areas.indexOf(row.area)];
    if (!area) continue;
    const ready = isSatisfied(row, now);
    area.total += row.count;
    summary.total += row.count;
    if (ready) {
      area.ready += row.count;
      summary.ready += row.count;
    }
    if (row.status === "BLOCKED") area.blocked += row.count;
    if (row.required && !ready) {
      const status = effectiveStatus(row, now);
      if (status === "WAIVER_REQUESTED") summary.pendingWaivers += row.count;
      else if (status === "WAIVER_EXPIRED") summary.expiredWaivers += row.count;
      else summary.openRequired += row.count;
    }
  }
  return byProject;
}

export type SlotProblem = { slot: SignoffSlot; code: "SIGNOFF_MISSING" | "SIGNOFF_STALE" | "SIGNOFF_REJECTED" };

export type GateSummary = {
  open: boolean;
  /** How many reasons keep the gate closed (what computeGate would list). */
  blockers: number;
  openRequired: number;
  expiredWaivers: number;
  pendingWaivers: number;
  slots: SlotProblem[];
  /** The reasons in a few words each, e.g. "12 required items open", "DBA sign-off missing", "No sign-offs yet". */
  parts: string[];
};

const slotNames: Record<SignoffSlot, string> = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "Go-live" };
const problemWords: Record<SlotProblem["code"], string> = { SIGNOFF_MISSING: "missing", SIGNOFF_STALE: "stale", SIGNOFF_REJECTED: "rejected" };

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function listNames(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/**
 * The gate of a project from its counts of open required items and expired waivers and its
 * sign-offs. The sign-off reasons come from computeGate itself (given no items), so the slot
 * rules live in one place.
 */
export function summarizeGate(input: {
  openRequired: number;
  expiredWaivers: number;
  /** Required items whose waiver awaits acceptance (absent: none). */
  pendingWaivers?: number;
  requiredSlots: readonly SignoffSlot[];
  signoffs: readonly GateSignoff[];
  now: Date;
}): GateSummary {
  const slotGate = computeGate({ items: [], requiredSlots: input.requiredSlots, signoffs: input.signoffs, now: input.now });
  const slots = slotGate.reasons.flatMap((reason): SlotProblem[] =>
    reason.code === "SIGNOFF_MISSING" || reason.code === "SIGNOFF_STALE" || reason.code === "SIGNOFF_REJECTED" ? [{ slot: reason.slot, code: reason.code }] : [],
  );
  const parts: string[] = [];
  if (input.openRequired > 0) parts.push(`${plural(input.openRequired, "required item", "required items")} open`);
  const pendingWaivers = input.pendingWaivers ?? 0;
  if (pendingWaivers > 0) parts.push(`${plural(pendingWaivers, "waiver", "waivers")} awaiting acceptance`);
  if (input.expiredWaivers > 0) parts.push(`${plural(input.expiredWaivers, "waiver", "waivers")} expired`);
  const missing = slots.filter((problem) => problem.code === "SIGNOFF_MISSING");
  if (missing.length > 1 && missing.length === input.requiredSlots.length) parts.push("No sign-offs yet");
  for (const code of ["SIGNOFF_MISSING", "SIGNOFF_STALE", "SIGNOFF_REJECTED"] as const) {
    const names = slots.filter((problem) => problem.code === code).map((problem) => slotNames[problem.slot]);
    if (names.length === 0 || (code === "SIGNOFF_MISSING" && names.length > 1 && names.length === input.requiredSlots.length)) continue;
    parts.push(`${listNames(names)} sign-off${names.length === 1 ? "" : "s"} ${problemWords[code]}`);
  }
  const blockers = input.openRequired + input.expiredWaivers + pendingWaivers + slots.length;
  return { open: blockers === 0, blockers, openRequired: input.openRequired, expiredWaivers: input.expiredWaivers, pendingWaivers, slots, parts };
}

/** Ready items as a whole percentage of all items (null when there are none). */
export function percentReady(ready: number, total: number): number | null {
  return total === 0 ? null : percent(ready, total);
}
