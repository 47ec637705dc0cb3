import { describe, expect, it } from "vitest";
import type { ItemStatus } from "@/lib/checklists/types";
import { computeGate, gateHeadline, markLiveCheck, openItemsRefusal, slotList, staleCauseWords, type GateItem, type GateSignoff } from "@/lib/signoffs/gate";
import type { Actor } from "@/lib/policy";
import type { SignoffSlot } from "@/lib/signoffs/digest";

// The go-live gate at a fixed moment: which items and which sign-offs keep it closed, one
// reason per problem, and what does not count (optional items, slots not required, rounds
// that were superseded). A WAIVED item here is an accepted waiver unless it says otherwise.

const now = new Date("2026-06-15T12:00:00.000Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const ALL_SLOTS: SignoffSlot[] = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"];

let nextId = 0;
function item(overrides: Partial<GateItem> = {}): GateItem {
  nextId += 1;
  return { id: `item-${nextId}`, title: `Item ${String(nextId).padStart(4, "0")}`, area: "GENERAL", required: true, status: "DONE", waiverExpiresAt: null, waiverAcceptedAt: hoursAgo(48), ...overrides };
}

function signoff(slot: SignoffSlot, overrides: Partial<GateSignoff> = {}): GateSignoff {
  return { slot, state: "CURRENT", decision: "APPROVED", approverName: "Avery Approver", signedAt: hoursAgo(1), ...overrides };
}

const approvedAll = () => ALL_SLOTS.map((slot) => signoff(slot));

/** Items that are all satisfied: done, not applicable, waived until tomorrow. */
function satisfiedItems(): GateItem[] {
  return [
    item({ area: "DBA", status: "DONE" }),
    item({ area: "SECURITY", status: "NOT_APPLICABLE" }),
    item({ area: "DEVOPS", status: "WAIVED", waiverExpiresAt: new Date(now.getTime() + 86_400_000) }),
  ];
}

describe("computeGate: items", () => {
  it("is open when every required item is DONE, NOT_APPLICABLE or validly WAIVED and every required slot is approved", () => {
    expect(computeGate({ items: satisfiedItems(), requiredSlots: ALL_SLOTS, signoffs: approvedAll(), now })).toEqual({ open: true, reasons: [] });
  });

  it("counts a waiver expiring one millisecond after now", () => {
    const waived = item({ status: "WAIVED", waiverExpiresAt: new Date(now.getTime() + 1) });
    expect(computeGate({ items: [waived], requiredSlots: [], signoffs: [], now }).open).toBe(true);
  });

  it.each(["TODO", "IN_PROGRESS", "BLOCKED"] as const satisfies readonly ItemStatus[])("a required %s item closes it with ITEM_OPEN naming the item", (status) => {
    const open = item({ title: "Backups run nightly", status });

    const gate = computeGate({ items: [...satisfiedItems(), open], requiredSlots: ALL_SLOTS, signoffs: approvedAll(), now });

    expect(gate.open).toBe(false);
    expect(gate.reasons).toEqual([{ code: "ITEM_OPEN", itemId: open.id, message: expect.stringContaining('"Backups run nightly"') }]);
  });

  it.each([
    ["in the past", hoursAgo(24)],
    ["exactly now", new Date(now.getTime())],
    ["missing", null],
  ])("a waiver expiring %s closes it with WAIVER_EXPIRED, not ITEM_OPEN", (_when, waiverExpiresAt) => {
    const waived = item({ title: "Replica in another zone", status: "WAIVED", waiverExpiresAt });

    const gate = computeGate({ items: [waived], requiredSlots: ALL_SLOTS, signoffs: approvedAll(), now });

    expect(gate.open).toBe(false);
    expect(gate.reasons).toEqual([{ code: "WAIVER_EXPIRED", itemId: waived.id, message: expect.stringContaining('"Replica in another zone"') }]);
  });

  it("a waiver request nobody has accepted closes it with WAIVER_PENDING naming the item and the requester", () => {
    const requested = item({ title: "Replica in another zone", status: "WAIVED", waiverExpiresAt: new Date(now.getTime() + 86_400_000), waiverAcceptedAt: null, waiverGrantedByName: "Dana DBA" });

    const gate = computeGate({ items: [...satisfiedItems(), requested], requiredSlots: ALL_SLOTS, signoffs: approvedAll(), now });

    expect(gate.open).toBe(false);
    expect(gate.reasons).toEqual([{ code: "WAIVER_PENDING", itemId: requested.id, message: expect.stringContaining('"Replica in another zone" requested by Dana DBA awaits acceptance') }]);
  });

  it("an expired request is WAIVER_EXPIRED: it can no longer be accepted", () => {
    const requested = item({ status: "WAIVED", waiverExpiresAt: hoursAgo(1), waiverAcceptedAt: null });
    expect(computeGate({ items: [requested], requiredSlots: [], signoffs: [], now }).reasons.map((reason) => reason.code)).toEqual(["WAIVER_EXPIRED"]);
  });

  it("does not close for optional items, whatever their status or waiver", () => {
    const optional = (["TODO", "IN_PROGRESS", "BLOCKED"] as const).map((status) => item({ status, required: false }));
    const expiredOptional = item({ status: "WAIVED", required: false, waiverExpiresAt: hoursAgo(1) });
    const requestedOptional = item({ status: "WAIVED", required: false, waiverExpiresAt: new Date(now.getTime() + 86_400_000), waiverAcceptedAt: null });

    expect(computeGate({ items: [...satisfiedItems(), ...optional, expiredOptional, requestedOptional], requiredSlots: ALL_SLOTS, signoffs: approvedAll(), now })).toEqual({ open: true, reasons: [] });
  });

  it("gives one reason per open item, by title whatever order the items came in", () => {
    const first = item({ status: "TODO" });
    const second = item({ status: "WAIVED", waiverExpiresAt: hoursAgo(2) });
    const third = item({ status: "BLOCKED" });

    const gate = computeGate({ items: [third, item(), second, first], requiredSlots: [], signoffs: [], now });

    expect(gate.reasons.map((reason) => [reason.code, "itemId" in reason ? reason.itemId : null])).toEqual([
      ["ITEM_OPEN", first.id],
      ["WAIVER_EXPIRED", second.id],
      ["ITEM_OPEN", third.id],
    ]);
  });
});

describe("computeGate: sign-offs", () => {
  it("a required slot without a sign-off closes it with SIGNOFF_MISSING", () => {
    const gate = computeGate({ items: [], requiredSlots: ALL_SLOTS, signoffs: approvedAll().filter((entry) => entry.slot !== "SECURITY"), now });

    expect(gate).toEqual({ open: false, reasons: [{ code: "SIGNOFF_MISSING", slot: "SECURITY", message: expect.stringMatching(/Security/) }] });
  });

  it("a STALE latest round closes it with SIGNOFF_STALE naming the approver", () => {
    const signoffs = [...approvedAll().filter((entry) => entry.slot !== "DBA"), signoff("DBA", { state: "STALE", approverName: "Dana DBA" })];

    const gate = computeGate({ items: [], requiredSlots: ALL_SLOTS, signoffs, now });

    expect(gate).toEqual({ open: false, reasons: [{ code: "SIGNOFF_STALE", slot: "DBA", message: expect.stringContaining("Dana DBA") }] });
  });

  it("a REJECTED latest round closes it with SIGNOFF_REJECTED naming the approver", () => {
    const signoffs = [...approvedAll().filter((entry) => entry.slot !== "GO_LIVE"), signoff("GO_LIVE", { decision: "REJECTED", approverName: "Avery Approver" })];

    const gate = computeGate({ items: [], requiredSlots: ALL_SLOTS, signoffs, now });

    expect(gate).toEqual({ open: false, reasons: [{ code: "SIGNOFF_REJECTED", slot: "GO_LIVE", message: expect.stringContaining("Avery Approver") }] });
  });

  it("a stale rejection counts as stale (one reason for the slot)", () => {
    const gate = computeGate({ items: [], requiredSlots: ["DBA"], signoffs: [signoff("DBA", { state: "STALE", decision: "REJECTED" })], now });

    expect(gate.reasons.map((reason) => reason.code)).toEqual(["SIGNOFF_STALE"]);
  });

  it("the latest round decides: an approval after a stale round opens it, a stale round after an approval closes it", () => {
    const reSigned = [signoff("DBA", { state: "STALE", signedAt: hoursAgo(5) }), signoff("DBA", { signedAt: hoursAgo(1) })];
    expect(computeGate({ items: [], requiredSlots: ["DBA"], signoffs: reSigned, now }).open).toBe(true);

    const rejectedThenApproved = [signoff("DBA", { state: "STALE", decision: "REJECTED", signedAt: hoursAgo(5) }), signoff("DBA", { signedAt: hoursAgo(1) })];
    expect(computeGate({ items: [], requiredSlots: ["DBA"], signoffs: rejectedThenApproved, now }).open).toBe(true);

    const wentStale = [signoff("DBA", { state: "STALE", signedAt: hoursAgo(1) }), signoff("DBA", { state: "STALE", signedAt: hoursAgo(5) })];
    expect(computeGate({ items: [], requiredSlots: ["DBA"], signoffs: wentStale, now }).reasons.map((reason) => reason.code)).toEqual(["SIGNOFF_STALE"]);
  });

  it("ignores SUPERSEDED rounds: alone they count as missing, and they never outrank the latest round", () => {
    const onlySuperseded = [signoff("DBA", { state: "SUPERSEDED" })];
    expect(computeGate({ items: [], requiredSlots: ["DBA"], signoffs: onlySuperseded, now }).reasons.map((reason) => reason.code)).toEqual(["SIGNOFF_MISSING"]);

    const supersededRejection = [signoff("DBA", { state: "SUPERSEDED", decision: "REJECTED", signedAt: now }), signoff("DBA", { signedAt: hoursAgo(1) })];
    expect(computeGate({ items: [], requiredSlots: ["DBA"], signoffs: supersededRejection, now })).toEqual({ open: true, reasons: [] });

    const supersededApproval = [signoff("DBA", { state: "SUPERSEDED", signedAt: now }), signoff("DBA", { decision: "REJECTED", signedAt: hoursAgo(1) })];
    expect(computeGate({ items: [], requiredSlots: ["DBA"], signoffs: supersededApproval, now }).reasons.map((reason) => reason.code)).toEqual(["SIGNOFF_REJECTED"]);
  });

  it("ignores slots the project does not require, whatever state their sign-offs are in", () => {
    const signoffs = [signoff("DBA"), signoff("SECURITY", { state: "STALE" }), signoff("GO_LIVE", { decision: "REJECTED" })];

    expect(computeGate({ items: [], requiredSlots: ["DBA"], signoffs, now })).toEqual({ open: true, reasons: [] });
  });

  it("does not let one slot's sign-off stand in for another's", () => {
    const gate = computeGate({ items: [], requiredSlots: ["DBA", "SECURITY"], signoffs: [signoff("DBA"), signoff("DBA", { signedAt: hoursAgo(3) })], now });

    expect(gate.reasons).toEqual([expect.objectContaining({ code: "SIGNOFF_MISSING", slot: "SECURITY" })]);
  });

  it("is open with no required slots and no items", () => {
    expect(computeGate({ items: [], requiredSlots: [], signoffs: [], now })).toEqual({ open: true, reasons: [] });
  });
});

describe("computeGate: everything at once", () => {
  it("gives one reason per problem: items first, then slots in the order they are required", () => {
    const open = item({ status: "IN_PROGRESS" });
    const expired = item({ status: "WAIVED", waiverExpiresAt: now });
    const signoffs = [signoff("DBA", { state: "STALE" }), signoff("SECURITY", { decision: "REJECTED" }), signoff("GO_LIVE", { state: "SUPERSEDED" })];

    const gate = computeGate({ items: [open, expired, item({ status: "TODO", required: false })], requiredSlots: ALL_SLOTS, signoffs, now });

    expect(gate.open).toBe(false);
    expect(gate.reasons.map((reason) => ("itemId" in reason ? [reason.code, reason.itemId] : [reason.code, reason.slot]))).toEqual([
      ["ITEM_OPEN", open.id],
      ["WAIVER_EXPIRED", expired.id],
      ["SIGNOFF_MISSING", "DEVOPS"],
      ["SIGNOFF_STALE", "DBA"],
      ["SIGNOFF_REJECTED", "SECURITY"],
      ["SIGNOFF_MISSING", "GO_LIVE"],
    ]);
    for (const reason of gate.reasons) expect(reason.message.length, reason.code).toBeGreaterThan(0);
  });
});

describe("markLiveCheck: the gate, and four eyes on the Go-live decision", () => {
  const lead: Actor = { id: "lead-1", name: "Lee Lead", email: "lee@shipshape.test", globalRoles: [], leadsAProject: true };
  const approved = (slot: SignoffSlot, approverId: string | null, overrides: Partial<GateSignoff> = {}) => ({ ...signoff(slot, overrides), approverId });
  const check = (requiredSlots: SignoffSlot[], signoffs: ReturnType<typeof approved>[]) =>
    markLiveCheck({ gate: computeGate({ items: [], requiredSlots, signoffs, now }), requiredSlots, signoffs, actor: lead });

  it("allows a lead to mark live on someone else's Go-live approval, whoever approved the areas", () => {
    expect(check(["DBA", "GO_LIVE"], [approved("DBA", lead.id), approved("GO_LIVE", "approver-1")])).toEqual({ allowed: true, reasons: [] });
  });

  it("refuses the lead's own Go-live approval, even with every area approved by others", () => {
    const result = check(["DBA", "GO_LIVE"], [approved("DBA", "approver-1"), approved("GO_LIVE", lead.id)]);
    expect(result).toEqual({ allowed: false, reasons: [{ code: "GO_LIVE_NOT_INDEPENDENT", slot: "GO_LIVE", message: expect.stringMatching(/approved the Go-live sign-off yourself/) }] });
  });

  it("looks at the round that counts: a superseded approval by someone else does not stand in for the lead's current one", () => {
    const signoffs = [approved("GO_LIVE", "approver-1", { state: "SUPERSEDED", signedAt: hoursAgo(5) }), approved("GO_LIVE", lead.id)];
    expect(check(["GO_LIVE"], signoffs).reasons.map((reason) => reason.code)).toEqual(["GO_LIVE_NOT_INDEPENDENT"]);
  });

  it("adds nothing to the gate's own reason when Go-live is missing, stale or rejected", () => {
    expect(check(["GO_LIVE"], []).reasons.map((reason) => reason.code)).toEqual(["SIGNOFF_MISSING"]);
    expect(check(["GO_LIVE"], [approved("GO_LIVE", lead.id, { state: "STALE" })]).reasons.map((reason) => reason.code)).toEqual(["SIGNOFF_STALE"]);
    expect(check(["GO_LIVE"], [approved("GO_LIVE", "approver-1", { decision: "REJECTED" })]).reasons.map((reason) => reason.code)).toEqual(["SIGNOFF_REJECTED"]);
  });

  it("refuses a project whose required slots lack Go-live (set before it was always required), though its gate is open", () => {
    const result = check(["DBA"], [approved("DBA", "approver-1")]);
    expect(result.allowed).toBe(false);
    expect(result.reasons).toEqual([expect.objectContaining({ code: "GO_LIVE_NOT_REQUIRED", slot: "GO_LIVE" })]);
    expect(check([], []).reasons.map((reason) => reason.code)).toEqual(["GO_LIVE_NOT_REQUIRED"]);
  });
});

describe("slots and stale causes in words", () => {
  it("lists slots as people write them", () => {
    expect(slotList([])).toBe("none");
    expect(slotList(["GO_LIVE"])).toBe("Go-live");
    expect(slotList(["DBA", "GO_LIVE"])).toBe("DBA and Go-live");
    expect(slotList(ALL_SLOTS)).toBe("DevOps, DBA, Security and Go-live");
  });

  it("says what made a sign-off stale", () => {
    expect(staleCauseWords({ action: "evidence.added", itemId: "item-1", title: "Backups run nightly" })).toBe("evidence added: Backups run nightly");
    expect(staleCauseWords({ action: "signoff.slots_changed", itemId: null, title: "", requiredSlots: { before: ALL_SLOTS, after: ["GO_LIVE"] } })).toBe(
      "the required sign-offs changed from DevOps, DBA, Security and Go-live to Go-live",
    );
  });
});

describe("gateHeadline", () => {
  const reason = { code: "SIGNOFF_STALE" as const, message: "The DBA sign-off is stale.", slot: "DBA" as const };
  it("says open, closed with a count, and live", () => {
    expect(gateHeadline({ open: true, reasons: [], liveAt: null }, "UTC")).toBe("Gate open: ready to go live");
    expect(gateHeadline({ open: false, reasons: [reason], liveAt: null }, "UTC")).toBe("Gate closed: 1 reason");
    expect(gateHeadline({ open: true, reasons: [], liveAt: "2026-11-30T09:15:00.000Z" }, "UTC")).toMatch(/^Live since .*09:15/);
  });

  it("never lets 'live' hide a gate that closed again after going live", () => {
    const headline = gateHeadline({ open: false, reasons: [reason, reason], liveAt: "2026-11-30T09:15:00.000Z" }, "UTC");
    expect(headline).toMatch(/^Live since .*, changed since: the gate is closed \(2 reasons\)$/);
  });
});

describe("openItemsRefusal", () => {
  it("lets a ready scope be approved whatever the setting", () => {
    expect(openItemsRefusal({ open: 0, allowed: false, confirmed: false })).toBeNull();
  });

  it("refuses open items without the setting, on the decision, however confirmed", () => {
    expect(openItemsRefusal({ open: 1, allowed: false, confirmed: true })).toEqual({ field: "decision", message: expect.stringMatching(/^1 required item of this scope is not ready: approve once it is ready, or reject\./) });
  });

  it("with the setting, asks for the confirmation naming the count, and then allows it", () => {
    expect(openItemsRefusal({ open: 3, allowed: true, confirmed: false })).toEqual({ field: "confirmOpenItems", message: "3 required items of this scope are not ready: confirm that you approve with them open." });
    expect(openItemsRefusal({ open: 3, allowed: true, confirmed: true })).toBeNull();
  });
});

describe("computeGate: levels", () => {
  const levels = ["Experiment", "Beta", "GA"];

  it("does not let a required item above the target level hold the gate closed", () => {
    const ga = item({ title: "Multi-region failover", status: "TODO", level: 2 });
    const beta = item({ status: "DONE", level: 1 });
    expect(computeGate({ items: [beta, ga], requiredSlots: ALL_SLOTS, signoffs: approvedAll(), now, levels: { levels, targetLevel: 1 } })).toEqual({ open: true, reasons: [] });
  });

  it("closes once the target reaches the item's level, and without levels every item counts", () => {
    const ga = item({ title: "Multi-region failover", status: "TODO", level: 2 });
    const atGa = computeGate({ items: [ga], requiredSlots: [], signoffs: [], now, levels: { levels, targetLevel: 2 } });
    expect(atGa.reasons).toEqual([{ code: "ITEM_OPEN", itemId: ga.id, message: expect.stringContaining('"Multi-region failover"') }]);
    expect(computeGate({ items: [ga], requiredSlots: [], signoffs: [], now }).open).toBe(false);
    expect(computeGate({ items: [ga], requiredSlots: [], signoffs: [], now, levels: { levels: [], targetLevel: 0 } }).open).toBe(false);
  });
});
