import { describe, expect, it } from "vitest";
import { effectiveStatus, isSatisfied, statusRequirements, waiverDecisionRefusal, type ItemState } from "@/lib/checklists/rules";
import type { ItemStatus } from "@/lib/checklists/types";

// The rules of an item's state at a fixed moment: which statuses count towards go-live, when a
// waiver stops counting, and what each status needs before an item may hold it.

const now = new Date("2026-06-15T12:00:00.000Z");
const secondBefore = new Date(now.getTime() - 1_000);
const secondAfter = new Date(now.getTime() + 1_000);
const nextMonth = new Date("2026-07-15T23:59:59.999Z");

function item(overrides: Partial<ItemState> = {}): ItemState {
  return { status: "TODO", required: true, statusReason: null, waiverRiskOwner: null, waiverExpiresAt: null, waiverAcceptedAt: null, ...overrides };
}

const waiver = { status: "WAIVED" as const, statusReason: "Accepting the risk until the replica exists.", waiverRiskOwner: "Dana DBA", waiverExpiresAt: nextMonth, waiverAcceptedAt: null };
const accepted = new Date("2026-06-01T09:00:00.000Z");

describe("effectiveStatus and isSatisfied", () => {
  it("a waiver request nobody has accepted is WAIVER_REQUESTED and not satisfied", () => {
    const state = { status: "WAIVED" as const, waiverExpiresAt: nextMonth, waiverAcceptedAt: null };
    expect(effectiveStatus(state, now)).toBe("WAIVER_REQUESTED");
    expect(isSatisfied(state, now)).toBe(false);
  });

  it("a request whose expiry passed before anyone accepted it shows as expired", () => {
    const state = { status: "WAIVED" as const, waiverExpiresAt: secondBefore, waiverAcceptedAt: null };
    expect(effectiveStatus(state, now)).toBe("WAIVER_EXPIRED");
    expect(isSatisfied(state, now)).toBe(false);
  });

  it("an accepted waiver expiring in the future is WAIVED and satisfied", () => {
    const state = { status: "WAIVED" as const, waiverExpiresAt: secondAfter, waiverAcceptedAt: accepted };
    expect(effectiveStatus(state, now)).toBe("WAIVED");
    expect(isSatisfied(state, now)).toBe(true);
  });

  it("a waiver expiring exactly now has expired", () => {
    const state = { status: "WAIVED" as const, waiverExpiresAt: new Date(now.getTime()), waiverAcceptedAt: accepted };
    expect(effectiveStatus(state, now)).toBe("WAIVER_EXPIRED");
    expect(isSatisfied(state, now)).toBe(false);
  });

  it("a waiver that expired in the past is WAIVER_EXPIRED and not satisfied", () => {
    const state = { status: "WAIVED" as const, waiverExpiresAt: secondBefore, waiverAcceptedAt: accepted };
    expect(effectiveStatus(state, now)).toBe("WAIVER_EXPIRED");
    expect(isSatisfied(state, now)).toBe(false);
  });

  it("a waiver without an expiry does not count", () => {
    const state = { status: "WAIVED" as const, waiverExpiresAt: null, waiverAcceptedAt: accepted };
    expect(effectiveStatus(state, now)).toBe("WAIVER_EXPIRED");
    expect(isSatisfied(state, now)).toBe(false);
  });

  it.each(["DONE", "NOT_APPLICABLE"] as const)("%s is satisfied", (status) => {
    expect(effectiveStatus({ status, waiverExpiresAt: null, waiverAcceptedAt: null }, now)).toBe(status);
    expect(isSatisfied({ status, waiverExpiresAt: null, waiverAcceptedAt: null }, now)).toBe(true);
  });

  it.each(["TODO", "IN_PROGRESS", "BLOCKED"] as const)("%s is not satisfied", (status) => {
    expect(effectiveStatus({ status, waiverExpiresAt: null, waiverAcceptedAt: null }, now)).toBe(status);
    expect(isSatisfied({ status, waiverExpiresAt: null, waiverAcceptedAt: null }, now)).toBe(false);
  });

  it("an expiry date left over on a status other than WAIVED changes nothing", () => {
    expect(effectiveStatus({ status: "DONE", waiverExpiresAt: secondBefore, waiverAcceptedAt: null }, now)).toBe("DONE");
    expect(isSatisfied({ status: "DONE", waiverExpiresAt: secondBefore, waiverAcceptedAt: null }, now)).toBe(true);
    expect(isSatisfied({ status: "TODO", waiverExpiresAt: nextMonth, waiverAcceptedAt: null }, now)).toBe(false);
  });
});

describe("statusRequirements", () => {
  it("DONE on a required item without evidence: an error on `note`", () => {
    const errors = statusRequirements(item({ status: "DONE" }), 0, now);
    expect(Object.keys(errors)).toEqual(["note"]);
    expect(errors.note?.[0]).toMatch(/evidence or a note/);
  });

  it("DONE on a required item with one piece of evidence: allowed", () => {
    expect(statusRequirements(item({ status: "DONE" }), 1, now)).toEqual({});
  });

  it("DONE on an optional item without evidence: allowed", () => {
    expect(statusRequirements(item({ status: "DONE", required: false }), 0, now)).toEqual({});
  });

  it.each(["NOT_APPLICABLE", "BLOCKED"] as const)("%s needs a statusReason (missing, empty or blank)", (status) => {
    for (const statusReason of [null, "", "   \n\t"]) {
      const errors = statusRequirements(item({ status, statusReason }), 5, now);
      expect(Object.keys(errors), JSON.stringify(statusReason)).toEqual(["statusReason"]);
    }
    expect(statusRequirements(item({ status, statusReason: "No personal data is stored." }), 0, now)).toEqual({});
  });

  it("WAIVED with reason, risk owner and a future expiry: allowed, even without evidence", () => {
    expect(statusRequirements(item(waiver), 0, now)).toEqual({});
  });

  it("WAIVED with nothing: an error on each of statusReason, waiverRiskOwner and waiverExpiresAt", () => {
    const errors = statusRequirements(item({ status: "WAIVED" }), 0, now);
    expect(Object.keys(errors).sort()).toEqual(["statusReason", "waiverExpiresAt", "waiverRiskOwnerId"]);
  });

  it("WAIVED names only the one field that is missing", () => {
    expect(Object.keys(statusRequirements(item({ ...waiver, statusReason: " " }), 0, now))).toEqual(["statusReason"]);
    expect(Object.keys(statusRequirements(item({ ...waiver, waiverRiskOwner: "" }), 0, now))).toEqual(["waiverRiskOwnerId"]);
    expect(Object.keys(statusRequirements(item({ ...waiver, waiverExpiresAt: null }), 0, now))).toEqual(["waiverExpiresAt"]);
  });

  it("WAIVED with an expiry now or in the past: an error on waiverExpiresAt saying it must be in the future", () => {
    for (const waiverExpiresAt of [new Date(now.getTime()), secondBefore]) {
      const errors = statusRequirements(item({ ...waiver, waiverExpiresAt }), 0, now);
      expect(Object.keys(errors)).toEqual(["waiverExpiresAt"]);
      expect(errors.waiverExpiresAt?.[0]).toMatch(/future/);
    }
    expect(statusRequirements(item({ ...waiver, waiverExpiresAt: secondAfter }), 0, now)).toEqual({});
  });

  it.each(["TODO", "IN_PROGRESS"] as ItemStatus[])("%s needs nothing", (status) => {
    expect(statusRequirements(item({ status }), 0, now)).toEqual({});
  });
});

describe("waiverDecisionRefusal", () => {
  const request = { status: "WAIVED" as const, waiverExpiresAt: nextMonth, waiverAcceptedAt: null, waiverRiskOwnerId: "00000000-0000-4000-8000-000000000009" };

  it("an unexpired request naming a member may be accepted or declined", () => {
    expect(waiverDecisionRefusal(request, "accept", now)).toBeNull();
    expect(waiverDecisionRefusal(request, "decline", now)).toBeNull();
  });

  it("an accepted waiver, or an item that is not waived, has nothing to decide", () => {
    expect(waiverDecisionRefusal({ ...request, waiverAcceptedAt: accepted }, "accept", now)).toMatch(/already been accepted/);
    expect(waiverDecisionRefusal({ ...request, waiverAcceptedAt: accepted }, "decline", now)).toMatch(/already been accepted/);
    expect(waiverDecisionRefusal({ ...request, status: "TODO" }, "accept", now)).toMatch(/no waiver request/);
  });

  it("an expired request, or one whose risk owner is only a name, cannot be accepted but can be declined", () => {
    expect(waiverDecisionRefusal({ ...request, waiverExpiresAt: secondBefore }, "accept", now)).toMatch(/expired/);
    expect(waiverDecisionRefusal({ ...request, waiverRiskOwnerId: null }, "accept", now)).toMatch(/member of the project as the risk owner/);
    expect(waiverDecisionRefusal({ ...request, waiverExpiresAt: secondBefore, waiverRiskOwnerId: null }, "decline", now)).toBeNull();
  });
});

describe("renewal", () => {
  it("is due N days after the evidence was renewed; the reminder comes a week before, or a third of a shorter period", async () => {
    const { renewalDueAt, renewalReminderLeadMs } = await import("@/lib/checklists/rules");
    const day = 86_400_000;
    expect(renewalDueAt(new Date("2026-12-01T10:00:00Z"), 90).toISOString()).toBe("2027-03-01T10:00:00.000Z");
    expect(renewalReminderLeadMs(90)).toBe(7 * day);
    expect(renewalReminderLeadMs(21)).toBe(7 * day);
    expect(renewalReminderLeadMs(3)).toBe(day);
    expect(renewalReminderLeadMs(1)).toBe(Math.floor(day / 3));
  });
});
