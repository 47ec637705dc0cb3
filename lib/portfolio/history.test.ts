import { describe, expect, it } from "vitest";
import { isSatisfied } from "@/lib/checklists/rules";
import { itemStatuses } from "@/lib/checklists/types";
import { accumulateReadiness, dayPoints, doneLikeStatuses, percentSeries, sumReadiness } from "@/lib/portfolio/history";

describe("dayPoints", () => {
  const now = new Date("2026-11-23T13:45:00.000Z");

  it("gives the last days in order, each read at its end, today read now", () => {
    const { days, points } = dayPoints(now, 3, "UTC");
    expect(days).toEqual(["2026-11-21", "2026-11-22", "2026-11-23"]);
    expect(points.map((point) => point.toISOString())).toEqual(["2026-11-22T00:00:00.000Z", "2026-11-23T00:00:00.000Z", "2026-11-23T13:45:00.000Z"]);
  });

  it("uses the viewer's zone for where days begin and end", () => {
    // 13:45 UTC is already 02:45 on the 24th in Auckland (UTC+13 in November).
    const { days, points } = dayPoints(now, 2, "Pacific/Auckland");
    expect(days).toEqual(["2026-11-23", "2026-11-24"]);
    expect(points[0]?.toISOString()).toBe("2026-11-23T11:00:00.000Z");
    expect(points[1]).toBe(now);
  });

  it("crosses month and year ends", () => {
    expect(dayPoints(new Date("2027-01-01T08:00:00Z"), 3, "UTC").days).toEqual(["2026-12-30", "2026-12-31", "2027-01-01"]);
  });

  it("keeps a day that is 23 hours long in a daylight-saving change", () => {
    // Europe/Berlin springs forward on 2027-03-28: that day ends at 22:00 UTC.
    const { points } = dayPoints(new Date("2027-03-29T10:00:00Z"), 2, "Europe/Berlin");
    expect(points[0]?.toISOString()).toBe("2027-03-28T22:00:00.000Z");
  });
});

describe("accumulateReadiness", () => {
  it("rolls the state now back through the changes, then forwards instant by instant", () => {
    // Now: 10 items, 6 done-like. Since the first instant: 4 items imported (2 done) at k=1,
    // 3 items done at k=2, 1 undone at k=3 (after the last instant).
    const series = accumulateReadiness(
      [
        { projectId: "p", k: -1, total: 10, done: 6, expired: 0 },
        { projectId: "p", k: 1, total: 4, done: 2, expired: 0 },
        { projectId: "p", k: 2, total: 0, done: 3, expired: 0 },
        { projectId: "p", k: 3, total: 0, done: -1, expired: 0 },
      ],
      ["p"],
      3,
    ).get("p");
    // Before: 10 - 4 = 6 items, 6 - 2 - 3 + 1 = 2 done.
    expect(series).toEqual({ total: [6, 10, 10], ready: [2, 4, 7] });
  });

  it("subtracts waived items while their waiver has expired", () => {
    const series = accumulateReadiness(
      [
        { projectId: "p", k: -1, total: 2, done: 2, expired: 0 },
        { projectId: "p", k: 1, total: 0, done: 0, expired: 1 },
        { projectId: "p", k: 3, total: 0, done: 0, expired: -1 },
      ],
      ["p"],
      4,
    ).get("p");
    expect(series).toEqual({ total: [2, 2, 2, 2], ready: [2, 1, 1, 2] });
  });

  it("gives zeros for a project without rows, and ignores projects not asked for", () => {
    const result = accumulateReadiness([{ projectId: "other", k: -1, total: 5, done: 5, expired: 0 }], ["p"], 2);
    expect([...result.keys()]).toEqual(["p"]);
    expect(result.get("p")).toEqual({ total: [0, 0], ready: [0, 0] });
  });
});

describe("sumReadiness and percentSeries", () => {
  it("adds projects point by point, and gives percentages with gaps before there were items", () => {
    const sum = sumReadiness(
      [
        { total: [0, 4, 4], ready: [0, 1, 4] },
        { total: [0, 0, 6], ready: [0, 0, 0] },
      ],
      3,
    );
    expect(sum).toEqual({ total: [0, 4, 10], ready: [0, 1, 4] });
    expect(percentSeries(sum)).toEqual([null, 25, 40]);
  });
});

describe("doneLikeStatuses", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const later = new Date(now.getTime() + 1000);

  it.each(itemStatuses)("%s counts as ready exactly when isSatisfied says so (waiver accepted and current)", (status) => {
    expect(doneLikeStatuses.includes(status)).toBe(isSatisfied({ status, waiverExpiresAt: later, waiverAcceptedAt: now }, now));
  });

  it("only WAIVED depends on the expiry and the acceptance, which the history query handles apart", () => {
    const accepted = { waiverAcceptedAt: now };
    const byExpiry = itemStatuses.filter((status) => isSatisfied({ status, waiverExpiresAt: later, ...accepted }, now) !== isSatisfied({ status, waiverExpiresAt: now, ...accepted }, now));
    const byAcceptance = itemStatuses.filter((status) => isSatisfied({ status, waiverExpiresAt: later, ...accepted }, now) !== isSatisfied({ status, waiverExpiresAt: later, waiverAcceptedAt: null }, now));
    expect(byExpiry).toEqual(["WAIVED"]);
    expect(byAcceptance).toEqual(["WAIVED"]);
  });
});
