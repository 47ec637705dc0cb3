import { describe, expect, it } from "vitest";
import { areas, itemStatuses, type Area, type ItemStatus } from "@/lib/checklists/types";
import { computeGate, type GateItem, type GateSignoff } from "@/lib/signoffs/gate";
import type { SignoffSlot } from "@/lib/signoffs/digest";
import { percentReady, summarizeGate, summarizeItems, type ItemCountRow } from "@/lib/portfolio/summary";

// The portfolio's figures come from grouped counts, not items: they must say what the
// checklist's own rules (isSatisfied) and the gate (computeGate) say about the same items.

const now = new Date("2026-06-15T12:00:00.000Z");
const later = new Date(now.getTime() + 86_400_000);
const earlier = new Date(now.getTime() - 86_400_000);
const ALL_SLOTS: SignoffSlot[] = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"];

function row(overrides: Partial<ItemCountRow>): ItemCountRow {
  return { projectId: "p1", area: "GENERAL", status: "TODO", required: true, waiverExpiresAt: null, waiverAcceptedAt: earlier, count: 1, ...overrides };
}

function signoff(slot: SignoffSlot, overrides: Partial<GateSignoff> = {}): GateSignoff {
  return { slot, state: "CURRENT", decision: "APPROVED", approverName: "Avery", signedAt: earlier, ...overrides };
}

describe("summarizeItems", () => {
  it("counts ready items per area: done, not applicable and accepted current waivers, not expired ones or requests", () => {
    const summary = summarizeItems(
      [
        row({ area: "DBA", status: "DONE", count: 3 }),
        row({ area: "DBA", status: "NOT_APPLICABLE", count: 2 }),
        row({ area: "DBA", status: "TODO", count: 5 }),
        row({ area: "SECURITY", status: "WAIVED", waiverExpiresAt: later, count: 2 }),
        row({ area: "SECURITY", status: "WAIVED", waiverExpiresAt: earlier, count: 1 }),
        row({ area: "SECURITY", status: "WAIVED", waiverExpiresAt: later, waiverAcceptedAt: null, count: 3 }),
        row({ area: "DEVOPS", status: "BLOCKED", count: 4 }),
      ],
      now,
    ).get("p1");

    expect(summary?.areas).toEqual([
      { area: "DEVOPS", total: 4, ready: 0, blocked: 4 },
      { area: "DBA", total: 10, ready: 5, blocked: 0 },
      { area: "SECURITY", total: 6, ready: 2, blocked: 0 },
      { area: "GENERAL", total: 0, ready: 0, blocked: 0 },
    ]);
    expect(summary?.total).toBe(20);
    expect(summary?.ready).toBe(7);
    expect(summary?.openRequired).toBe(9);
    expect(summary?.expiredWaivers).toBe(1);
    expect(summary?.pendingWaivers).toBe(3);
  });

  it("leaves optional items out of the gate's counts but in the progress", () => {
    const summary = summarizeItems([row({ status: "TODO", required: false, count: 2 }), row({ status: "WAIVED", required: false, waiverExpiresAt: earlier })], now).get("p1");
    expect(summary).toMatchObject({ total: 3, ready: 0, openRequired: 0, expiredWaivers: 0 });
  });

  it("keeps projects apart", () => {
    const summaries = summarizeItems([row({ projectId: "a", status: "DONE" }), row({ projectId: "b", count: 2 })], now);
    expect(summaries.get("a")).toMatchObject({ total: 1, ready: 1 });
    expect(summaries.get("b")).toMatchObject({ total: 2, ready: 0, openRequired: 2 });
  });

  it("agrees with computeGate on every combination of status, required flag and waiver", () => {
    const items: GateItem[] = [];
    const rows: ItemCountRow[] = [];
    let id = 0;
    for (const status of itemStatuses) {
      for (const required of [true, false]) {
        for (const waiverExpiresAt of status === "WAIVED" ? [later, earlier, now, null] : [null]) {
          for (const waiverAcceptedAt of status === "WAIVED" ? [earlier, null] : [null]) {
            const count = 1 + (id % 3);
            rows.push(row({ area: areas[id % areas.length] as Area, status: status as ItemStatus, required, waiverExpiresAt, waiverAcceptedAt, count }));
            for (let copy = 0; copy < count; copy++) items.push({ id: `i${id}-${copy}`, title: "x", area: areas[id % areas.length] as Area, required, status, waiverExpiresAt, waiverAcceptedAt });
            id++;
          }
        }
      }
    }
    const summary = summarizeItems(rows, now).get("p1");
    const reasons = computeGate({ items, requiredSlots: [], signoffs: [], now }).reasons;
    expect(summary?.openRequired).toBe(reasons.filter((reason) => reason.code === "ITEM_OPEN").length);
    expect(summary?.expiredWaivers).toBe(reasons.filter((reason) => reason.code === "WAIVER_EXPIRED").length);
    expect(summary?.pendingWaivers).toBe(reasons.filter((reason) => reason.code === "WAIVER_PENDING").length);
    expect(summary?.pendingWaivers).toBeGreaterThan(0);
  });
});

describe("summarizeGate", () => {
  it("is open with nothing open and every required slot approved", () => {
    expect(summarizeGate({ openRequired: 0, expiredWaivers: 0, requiredSlots: ALL_SLOTS, signoffs: ALL_SLOTS.map((slot) => signoff(slot)), now })).toEqual({
      open: true,
      blockers: 0,
      openRequired: 0,
      expiredWaivers: 0,
      pendingWaivers: 0,
      slots: [],
      parts: [],
    });
  });

  it("summarises every reason in a few words, grouping slots by problem", () => {
    const gate = summarizeGate({
      openRequired: 12,
      expiredWaivers: 1,
      requiredSlots: ALL_SLOTS,
      signoffs: [signoff("DEVOPS", { decision: "REJECTED" }), signoff("SECURITY", { state: "STALE" })],
      now,
    });
    expect(gate.parts).toEqual(["12 required items open", "1 waiver expired", "DBA and Go-live sign-offs missing", "Security sign-off stale", "DevOps sign-off rejected"]);
    expect(summarizeGate({ openRequired: 0, expiredWaivers: 0, pendingWaivers: 2, requiredSlots: ["GO_LIVE"], signoffs: [signoff("GO_LIVE")], now })).toMatchObject({ open: false, blockers: 2, parts: ["2 waivers awaiting acceptance"] });
    expect(gate.blockers).toBe(12 + 1 + 4);
    expect(gate.open).toBe(false);
  });

  it("counts as many blockers as computeGate gives reasons", () => {
    const signoffs = [signoff("DBA", { state: "STALE" }), signoff("DBA", { state: "SUPERSEDED", signedAt: new Date(earlier.getTime() - 1000) })];
    const items: GateItem[] = [
      { id: "a", title: "a", area: "DBA", required: true, status: "TODO", waiverExpiresAt: null, waiverAcceptedAt: null },
      { id: "b", title: "b", area: "DBA", required: true, status: "WAIVED", waiverExpiresAt: earlier, waiverAcceptedAt: earlier },
      { id: "c", title: "c", area: "DBA", required: true, status: "WAIVED", waiverExpiresAt: later, waiverAcceptedAt: null },
    ];
    const gate = summarizeGate({ openRequired: 1, expiredWaivers: 1, pendingWaivers: 1, requiredSlots: ALL_SLOTS, signoffs, now });
    expect(gate.blockers).toBe(computeGate({ items, requiredSlots: ALL_SLOTS, signoffs, now }).reasons.length);
    expect(gate.slots).toEqual([
      { slot: "DEVOPS", code: "SIGNOFF_MISSING" },
      { slot: "DBA", code: "SIGNOFF_STALE" },
      { slot: "SECURITY", code: "SIGNOFF_MISSING" },
      { slot: "GO_LIVE", code: "SIGNOFF_MISSING" },
    ]);
  });

  it("names one required item in the singular, and says so when no required slot is signed yet", () => {
    expect(summarizeGate({ openRequired: 1, expiredWaivers: 0, requiredSlots: ALL_SLOTS, signoffs: [], now }).parts).toEqual(["1 required item open", "No sign-offs yet"]);
    expect(summarizeGate({ openRequired: 0, expiredWaivers: 0, requiredSlots: ["GO_LIVE"], signoffs: [], now }).parts).toEqual(["Go-live sign-off missing"]);
    expect(summarizeGate({ openRequired: 0, expiredWaivers: 0, requiredSlots: ALL_SLOTS, signoffs: [signoff("DBA")], now }).parts).toEqual(["DevOps, Security and Go-live sign-offs missing"]);
  });

  it("ignores slots the project does not require", () => {
    expect(summarizeGate({ openRequired: 0, expiredWaivers: 0, requiredSlots: ["GO_LIVE"], signoffs: [signoff("GO_LIVE")], now }).open).toBe(true);
  });
});

describe("percentReady", () => {
  it("floors, so 100% means everything is ready", () => {
    expect(percentReady(199, 200)).toBe(99);
    expect(percentReady(200, 200)).toBe(100);
    expect(percentReady(0, 5)).toBe(0);
  });

  it("is null for an empty checklist", () => {
    expect(percentReady(0, 0)).toBeNull();
  });
});
