import { describe, expect, it } from "vitest";
import type { ChecklistData, ChecklistItemData } from "@/lib/checklists/types";
import type { KeyedChecklist, KeyedItem } from "@/lib/checklists/materialize";
import { flattenKeyed, withTemplateKeys } from "@/lib/templates/keys";

// A template item's key comes from where it stands (section, enclosing items, its own title and
// which occurrence of that path it is), so the same item has the same key in every version.

function item(title: string, children: ChecklistItemData[] = [], overrides: Partial<ChecklistItemData> = {}): ChecklistItemData {
  return { title, details: "", area: "GENERAL", required: true, status: "TODO", children, ...overrides };
}

function checklist(sections: Record<string, ChecklistItemData[]>): ChecklistData {
  return { title: "Readiness", sections: Object.entries(sections).map(([title, items]) => ({ title, items })) };
}

/** Title path ("Section > Parent > Item") → key, for every item. */
function keysByPath(keyed: KeyedChecklist): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (items: KeyedItem[], path: string) => {
    for (const entry of items) {
      const here = `${path} > ${entry.title}`;
      expect(out.has(here), `duplicate path ${here}: use keysInOrder`).toBe(false);
      out.set(here, entry.key ?? "");
      walk(entry.children, here);
    }
  };
  for (const section of keyed.sections) walk(section.items, section.title);
  return out;
}

function keysInOrder(keyed: KeyedChecklist): string[] {
  return flattenKeyed(keyed).map((entry) => entry.item.key ?? "");
}

const v1 = checklist({
  Database: [item("Backups run nightly", [item("Restore tested"), item("Backups encrypted")]), item("Indexes reviewed")],
  Security: [item("TLS everywhere"), item("Secrets in a vault", [item("Rotation documented")])],
});

describe("withTemplateKeys", () => {
  it("gives every item, nested ones included, a distinct non-empty key", () => {
    const keys = keysInOrder(withTemplateKeys(v1));
    expect(keys).toHaveLength(7);
    expect(keys.every((key) => /^[A-Za-z0-9_-]{16}$/.test(key))).toBe(true);
    expect(new Set(keys).size).toBe(7);
  });

  it("is deterministic: the same content gives the same keys", () => {
    expect(keysInOrder(withTemplateKeys(v1))).toEqual(keysInOrder(withTemplateKeys(structuredClone(v1))));
  });

  it("keeps the keys of unchanged items when a later version adds, removes, reorders and edits others", () => {
    const v2 = checklist({
      Monitoring: [item("Alerts on error rate")],
      Security: [
        item("Secrets in a vault", [item("Rotation documented", [], { details: "Every 90 days." })], { area: "SECURITY", required: false }),
        item("CORS restricted"),
        item("TLS everywhere", [], { details: "Including internal traffic." }),
      ],
      Database: [item("Indexes reviewed"), item("Backups run nightly", [item("Backups encrypted"), item("Point-in-time recovery")])],
    });
    const before = keysByPath(withTemplateKeys(v1));
    const after = keysByPath(withTemplateKeys(v2));

    for (const path of [
      "Database > Backups run nightly",
      "Database > Backups run nightly > Backups encrypted",
      "Database > Indexes reviewed",
      "Security > TLS everywhere",
      "Security > Secrets in a vault",
      "Security > Secrets in a vault > Rotation documented",
    ]) {
      expect(after.get(path), path).toBe(before.get(path));
    }
    const oldKeys = new Set(before.values());
    for (const path of ["Monitoring > Alerts on error rate", "Security > CORS restricted", "Database > Backups run nightly > Point-in-time recovery"]) {
      expect(oldKeys.has(after.get(path) ?? ""), path).toBe(false);
    }
    expect(new Set(after.values()).has(before.get("Database > Backups run nightly > Restore tested") ?? "")).toBe(false);
  });

  it("ignores case and runs of white space in titles", () => {
    const spaced = checklist({ "  database ": [item("BACKUPS   run\tnightly", [item("restore TESTED")])] });
    expect(keysInOrder(withTemplateKeys(spaced))).toEqual(keysInOrder(withTemplateKeys(v1)).slice(0, 2));
  });

  it("gives a renamed item, or one moved to another section or parent, a new key", () => {
    const original = keysByPath(withTemplateKeys(v1));
    const renamed = keysByPath(withTemplateKeys(checklist({ Database: [item("Backups run hourly", [item("Restore tested")])] })));
    const otherSection = keysByPath(withTemplateKeys(checklist({ Operations: [item("Backups run nightly")] })));
    const otherParent = keysByPath(withTemplateKeys(checklist({ Database: [item("Indexes reviewed", [item("Restore tested")])] })));
    const topLevel = keysByPath(withTemplateKeys(checklist({ Database: [item("Restore tested")] })));

    expect(renamed.get("Database > Backups run hourly")).not.toBe(original.get("Database > Backups run nightly"));
    // A child's key includes its parent's title, so renaming the parent re-keys the child too.
    expect(renamed.get("Database > Backups run hourly > Restore tested")).not.toBe(original.get("Database > Backups run nightly > Restore tested"));
    expect(otherSection.get("Operations > Backups run nightly")).not.toBe(original.get("Database > Backups run nightly"));
    expect(otherParent.get("Database > Indexes reviewed > Restore tested")).not.toBe(original.get("Database > Backups run nightly > Restore tested"));
    expect(topLevel.get("Database > Restore tested")).not.toBe(original.get("Database > Backups run nightly > Restore tested"));
  });

  it("tells items with the same title apart by occurrence, stably across versions", () => {
    const twice = checklist({ Operations: [item("Check the logs"), item("Runbook written"), item("Check the logs")] });
    const [first, runbook, second] = keysInOrder(withTemplateKeys(twice));
    expect(first).not.toBe(second);

    const again = keysInOrder(withTemplateKeys(checklist({ Operations: [item("Check the logs"), item("Check the logs"), item("Runbook written"), item("On-call rota")] })));
    expect(again.slice(0, 3)).toEqual([first, second, runbook]);
  });

  it("does not confuse the same title in different sections or under different parents with a duplicate", () => {
    const sameTitles = withTemplateKeys(checklist({ Web: [item("Logging", [item("Enabled")]), item("Metrics", [item("Enabled")])], Worker: [item("Logging")] }));
    const keys = keysInOrder(sameTitles);
    expect(new Set(keys).size).toBe(5);
    // "Worker > Logging" is the first of its path, exactly like a checklist with only that item.
    expect(keysInOrder(withTemplateKeys(checklist({ Worker: [item("Logging")] })))).toEqual([keys[4]]);
  });

  it("keeps the content and resets every status to TODO (a template holds no work)", () => {
    const checked = checklist({ Database: [item("Backups run nightly", [item("Restore tested", [], { status: "DONE" })], { status: "DONE", details: "**Daily** at 02:00", area: "DBA", required: false })] });
    const keyed = withTemplateKeys(checked);
    expect(keyed.title).toBe("Readiness");
    const [parent] = keyed.sections[0]?.items ?? [];
    expect(parent).toMatchObject({ title: "Backups run nightly", details: "**Daily** at 02:00", area: "DBA", required: false, status: "TODO" });
    expect(parent?.children[0]).toMatchObject({ title: "Restore tested", status: "TODO" });
    // The input is not modified.
    expect(checked.sections[0]?.items[0]?.status).toBe("DONE");
  });
});

describe("flattenKeyed", () => {
  it("lists every item in document order with its section and its parent's key", () => {
    const keyed = withTemplateKeys(v1);
    const flat = flattenKeyed(keyed);
    const keyOf = (title: string) => flat.find((entry) => entry.item.title === title)?.item.key ?? null;
    expect(flat.map((entry) => [entry.section, entry.item.title, entry.parentKey])).toEqual([
      ["Database", "Backups run nightly", null],
      ["Database", "Restore tested", keyOf("Backups run nightly")],
      ["Database", "Backups encrypted", keyOf("Backups run nightly")],
      ["Database", "Indexes reviewed", null],
      ["Security", "TLS everywhere", null],
      ["Security", "Secrets in a vault", null],
      ["Security", "Rotation documented", keyOf("Secrets in a vault")],
    ]);
  });
});
