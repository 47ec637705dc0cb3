import { describe, expect, it } from "vitest";
import type { ChecklistData, ChecklistItemData } from "@/lib/checklists/types";
import { diffTemplates } from "@/lib/templates/diff";
import { flattenKeyed, withTemplateKeys } from "@/lib/templates/keys";

// What moving from one template version to another would change, item by item.

function item(title: string, children: ChecklistItemData[] = [], overrides: Partial<ChecklistItemData> = {}): ChecklistItemData {
  return { title, details: "", area: "GENERAL", required: true, status: "TODO", children, ...overrides };
}

function keyed(sections: Record<string, ChecklistItemData[]>) {
  return withTemplateKeys({ title: null, sections: Object.entries(sections).map(([title, items]) => ({ title, items })) } satisfies ChecklistData);
}

const v1 = keyed({
  Database: [
    item("Backups run nightly", [item("Restore tested", [], { area: "DBA", details: "Once a quarter." }), item("Backups encrypted", [], { area: "SECURITY" })], { area: "DBA" }),
    item("Indexes reviewed", [], { area: "DBA" }),
  ],
  Security: [item("TLS everywhere", [], { area: "SECURITY" }), item("Secrets in a vault", [item("Rotation documented")], { area: "SECURITY" })],
});

const keyOf = (checklist: ReturnType<typeof keyed>, title: string) => flattenKeyed(checklist).find((entry) => entry.item.title === title)?.item.key;

describe("diffTemplates", () => {
  it("finds nothing between a version and itself, or an identical copy", () => {
    expect(diffTemplates(v1, v1)).toEqual({ added: [], removed: [], changed: [] });
    expect(diffTemplates(v1, keyed({
      Database: [
        item("Backups run nightly", [item("Restore tested", [], { area: "DBA", details: "Once a quarter." }), item("Backups encrypted", [], { area: "SECURITY" })], { area: "DBA" }),
        item("Indexes reviewed", [], { area: "DBA" }),
      ],
      Security: [item("TLS everywhere", [], { area: "SECURITY" }), item("Secrets in a vault", [item("Rotation documented")], { area: "SECURITY" })],
    }))).toEqual({ added: [], removed: [], changed: [] });
  });

  it("reports added items, top-level and nested, and in a new section, with their section, area and required flag", () => {
    const v2 = keyed({
      Database: [
        item("Backups run nightly", [item("Restore tested", [], { area: "DBA", details: "Once a quarter." }), item("Backups encrypted", [], { area: "SECURITY" }), item("Point-in-time recovery", [], { area: "DBA", required: false })], { area: "DBA" }),
        item("Indexes reviewed", [], { area: "DBA" }),
        item("Connection pool sized", [], { area: "DBA" }),
      ],
      Security: [item("TLS everywhere", [], { area: "SECURITY" }), item("Secrets in a vault", [item("Rotation documented")], { area: "SECURITY" })],
      Monitoring: [item("Alerts on error rate", [], { area: "DEVOPS" })],
    });
    const diff = diffTemplates(v1, v2);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.added).toEqual([
      { key: keyOf(v2, "Point-in-time recovery"), section: "Database", title: "Point-in-time recovery", area: "DBA", required: false },
      { key: keyOf(v2, "Connection pool sized"), section: "Database", title: "Connection pool sized", area: "DBA", required: true },
      { key: keyOf(v2, "Alerts on error rate"), section: "Monitoring", title: "Alerts on error rate", area: "DEVOPS", required: true },
    ]);
  });

  it("reports removed items, nested ones included, and everything under a removed parent", () => {
    const v2 = keyed({
      Database: [item("Backups run nightly", [item("Backups encrypted", [], { area: "SECURITY" })], { area: "DBA" }), item("Indexes reviewed", [], { area: "DBA" })],
      Security: [item("TLS everywhere", [], { area: "SECURITY" })],
    });
    const diff = diffTemplates(v1, v2);
    expect(diff.added).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.removed).toEqual([
      { key: keyOf(v1, "Restore tested"), section: "Database", title: "Restore tested", area: "DBA", required: true },
      { key: keyOf(v1, "Secrets in a vault"), section: "Security", title: "Secrets in a vault", area: "SECURITY", required: true },
      { key: keyOf(v1, "Rotation documented"), section: "Security", title: "Rotation documented", area: "GENERAL", required: true },
    ]);
  });

  it("reports changed details, area and required flag, each named, on nested items too, with the new values", () => {
    const v2 = keyed({
      Database: [
        item("Backups run nightly", [item("Restore tested", [], { area: "DBA", details: "Once a month, timed." }), item("Backups encrypted", [], { area: "SECURITY" })], { area: "DBA", required: false }),
        item("Indexes reviewed", [], { area: "DBA" }),
      ],
      Security: [
        item("TLS everywhere", [], { area: "DEVOPS", details: "Terminate at the load balancer.", required: false }),
        item("Secrets in a vault", [item("Rotation documented", [], { area: "SECURITY" })], { area: "SECURITY" }),
      ],
    });
    const diff = diffTemplates(v1, v2);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([
      { key: keyOf(v1, "Backups run nightly"), section: "Database", title: "Backups run nightly", area: "DBA", required: false, fields: ["required"] },
      { key: keyOf(v1, "Restore tested"), section: "Database", title: "Restore tested", area: "DBA", required: true, fields: ["details"] },
      { key: keyOf(v1, "TLS everywhere"), section: "Security", title: "TLS everywhere", area: "DEVOPS", required: false, fields: ["details", "area", "required"] },
      { key: keyOf(v1, "Rotation documented"), section: "Security", title: "Rotation documented", area: "SECURITY", required: true, fields: ["area"] },
    ]);
  });

  it("sees a rename as one item removed and one added, and does not report a reorder", () => {
    const v2 = keyed({
      Security: [item("Secrets in a vault", [item("Rotation documented")], { area: "SECURITY" }), item("TLS on every endpoint", [], { area: "SECURITY" })],
      Database: [
        item("Indexes reviewed", [], { area: "DBA" }),
        item("Backups run nightly", [item("Backups encrypted", [], { area: "SECURITY" }), item("Restore tested", [], { area: "DBA", details: "Once a quarter." })], { area: "DBA" }),
      ],
    });
    const diff = diffTemplates(v1, v2);
    expect(diff.changed).toEqual([]);
    expect(diff.added.map((ref) => ref.title)).toEqual(["TLS on every endpoint"]);
    expect(diff.removed.map((ref) => ref.title)).toEqual(["TLS everywhere"]);
  });

  it("adds, removes and changes at once, and reversing the versions swaps added and removed", () => {
    const v2 = keyed({
      Database: [item("Backups run nightly", [item("Restore tested", [], { area: "DBA", details: "Monthly." })], { area: "DBA" }), item("Indexes reviewed", [], { area: "DBA" })],
      Security: [item("TLS everywhere", [], { area: "SECURITY" }), item("Secrets in a vault", [item("Rotation documented"), item("Access logged")], { area: "SECURITY" })],
    });
    const forward = diffTemplates(v1, v2);
    expect(forward.added.map((ref) => ref.title)).toEqual(["Access logged"]);
    expect(forward.removed.map((ref) => ref.title)).toEqual(["Backups encrypted"]);
    expect(forward.changed.map((ref) => [ref.title, ref.fields])).toEqual([["Restore tested", ["details"]]]);

    const backward = diffTemplates(v2, v1);
    expect(backward.added.map((ref) => ref.title)).toEqual(["Backups encrypted"]);
    expect(backward.removed.map((ref) => ref.title)).toEqual(["Access logged"]);
    expect(backward.changed).toEqual([{ key: keyOf(v1, "Restore tested"), section: "Database", title: "Restore tested", area: "DBA", required: true, fields: ["details"] }]);
  });
});
