import { describe, expect, it } from "vitest";
import { summarizeOverview, type OverviewItem } from "@/lib/checklists/overview";
import { percent } from "@/lib/words";
import { areas } from "@/lib/checklists/types";

let counter = 0;
function item(overrides: Partial<OverviewItem>): OverviewItem {
  counter++;
  return { id: `item-${counter}`, title: `Item ${counter}`, area: "DBA", required: true, countsForTarget: true, effectiveStatus: "TODO", statusReason: null, assigneeId: null, assigneeName: null, dueAt: null, dueState: null, path: [], ...overrides };
}

const members = [
  { userId: "dana", name: "Dana", roles: ["DBA"] },
  { userId: "sam", name: "Sam", roles: ["SECURITY"] },
  { userId: "val", name: "Val", roles: ["VIEWER"] },
];

describe("summarizeOverview", () => {
  it("counts a waiver request nobody has accepted as open, not as waived or ready", () => {
    const overview = summarizeOverview([item({ effectiveStatus: "WAIVER_REQUESTED" }), item({ effectiveStatus: "WAIVED" })], members, areas);
    expect(overview.areas.find((progress) => progress.area === "DBA")).toMatchObject({ total: 2, waived: 1, open: 1, required: 2, readyWithWaivers: 1, readyWithoutWaivers: 0 });
  });

  it("counts each area's items by state and shows readiness with and without waivers", () => {
    const overview = summarizeOverview(
      [
        item({ effectiveStatus: "DONE" }),
        item({ effectiveStatus: "WAIVED" }),
        item({ effectiveStatus: "WAIVED" }),
        item({ effectiveStatus: "NOT_APPLICABLE" }),
        item({ effectiveStatus: "BLOCKED", statusReason: "Waiting for the vendor" }),
        item({ effectiveStatus: "WAIVER_EXPIRED" }),
        item({ effectiveStatus: "IN_PROGRESS" }),
        item({ effectiveStatus: "DONE", required: false }),
        item({ area: "SECURITY", effectiveStatus: "DONE" }),
      ],
      members,
      areas,
    );
    const dba = overview.areas.find((progress) => progress.area === "DBA");
    expect(dba).toEqual({ area: "DBA", total: 8, done: 2, waived: 2, notApplicable: 1, blocked: 1, open: 2, required: 7, readyWithWaivers: 4, readyWithoutWaivers: 2 });
    // A waived-through review is visible: 57% ready with waivers, 28% without.
    expect(percent(dba!.readyWithWaivers, dba!.required)).toBe(57);
    expect(percent(dba!.readyWithoutWaivers, dba!.required)).toBe(28);
    expect(overview.areas.map((progress) => progress.area)).toEqual(["DBA", "SECURITY"]);
    expect(overview.totals.total).toBe(9);
  });

  it("lists open items nobody holds, overdue ones by due time, and blocked ones with their reason", () => {
    const late = item({ assigneeId: "dana", assigneeName: "Dana", dueAt: "2026-11-20T22:59:59.999Z", dueState: "overdue" });
    const later = item({ assigneeId: "dana", assigneeName: "Dana", dueAt: "2026-11-22T22:59:59.999Z", dueState: "overdue" });
    const blocked = item({ effectiveStatus: "BLOCKED", statusReason: "Vendor", assigneeId: "sam", assigneeName: "Sam", area: "SECURITY" });
    const free = item({});
    const doneFree = item({ effectiveStatus: "DONE" });
    const overview = summarizeOverview([later, late, blocked, free, doneFree], members, areas);
    expect(overview.unassigned.map((entry) => entry.id)).toEqual([free.id]);
    expect(overview.overdue.map((entry) => entry.id)).toEqual([late.id, later.id]);
    expect(overview.blocked).toEqual([expect.objectContaining({ id: blocked.id, statusReason: "Vendor" })]);
  });

  it("gives each person their open items, overdue count and next due time; done items do not count", () => {
    const overview = summarizeOverview(
      [
        item({ assigneeId: "dana", assigneeName: "Dana", dueAt: "2026-11-20T22:59:59.999Z", dueState: "overdue" }),
        item({ assigneeId: "dana", assigneeName: "Dana", dueAt: "2026-12-02T22:59:59.999Z", dueState: "later" }),
        item({ assigneeId: "dana", assigneeName: "Dana", dueAt: "2026-11-25T22:59:59.999Z", dueState: "soon" }),
        item({ assigneeId: "dana", assigneeName: "Dana", effectiveStatus: "DONE" }),
        item({ assigneeId: "gone", assigneeName: "Former Owner" }),
      ],
      members,
      areas,
    );
    expect(overview.workload).toEqual([
      { userId: "dana", name: "Dana", roles: ["DBA"], open: 3, overdue: 1, nextDueAt: "2026-11-25T22:59:59.999Z" },
      { userId: "gone", name: "Former Owner", roles: [], open: 1, overdue: 0, nextDueAt: null },
      { userId: "sam", name: "Sam", roles: ["SECURITY"], open: 0, overdue: 0, nextDueAt: null },
    ]);
  });
});

describe("percent", () => {
  it("never rounds an unfinished review up to 100%", () => {
    expect(percent(199, 200)).toBe(99);
    expect(percent(0, 0)).toBe(100);
  });
});

describe("summarizeOverview: levels", () => {
  it("counts readiness over the items up to the target level only; items above it still count as items", () => {
    const overview = summarizeOverview([item({ effectiveStatus: "DONE" }), item({ countsForTarget: false })], [], ["DBA"]);
    expect(overview.areas[0]).toMatchObject({ total: 2, open: 1, required: 1, readyWithWaivers: 1, readyWithoutWaivers: 1 });
  });
});
