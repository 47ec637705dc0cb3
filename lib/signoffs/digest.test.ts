import { describe, expect, expectTypeOf, it } from "vitest";
import { areas, type Area } from "@/lib/checklists/types";
import { canonicalScope, diffScopes, scopeDigest, signoffSlots, slotCovers, type ScopeItem, type SignoffSlot } from "@/lib/signoffs/digest";

// What a sign-off covers, made canonical: the digest depends on the state of the items in scope
// and on nothing else (not their order, not their details or comments).

const ID_A = "0b5c6a8e-0000-4000-8000-00000000000a";
const ID_B = "0b5c6a8e-0000-4000-8000-00000000000b";
const ID_C = "0b5c6a8e-0000-4000-8000-00000000000c";
const EVIDENCE_1 = "e0000000-0000-4000-8000-000000000001";
const EVIDENCE_2 = "e0000000-0000-4000-8000-000000000002";
const EVIDENCE_3 = "e0000000-0000-4000-8000-000000000003";

const DANA = "a0000000-0000-4000-8000-00000000000d";
const AVERY = "a0000000-0000-4000-8000-00000000000a";
const waiver = {
  reason: "Accepting the risk until the replica exists.",
  riskOwner: "Dana DBA",
  riskOwnerId: DANA,
  controls: "Hourly snapshots.",
  expiresAt: "2026-07-15T23:59:59.999Z",
  acceptedById: AVERY,
  acceptedByName: "Avery Approver",
  acceptedAt: "2026-06-01T09:00:00.000Z",
};

function scopeItem(overrides: Partial<ScopeItem> = {}): ScopeItem {
  return { id: ID_A, title: "Backups run nightly", status: "DONE", area: "DBA", required: true, evidenceIds: [EVIDENCE_1, EVIDENCE_2], waiver: null, ...overrides };
}

/** A scope of three items: a done one with evidence, a waived one, an open optional one. */
function scope(): ScopeItem[] {
  return [
    scopeItem(),
    scopeItem({ id: ID_B, title: "Replica in another zone", status: "WAIVED", evidenceIds: [], waiver: { ...waiver } }),
    scopeItem({ id: ID_C, title: "Slow query log reviewed", status: "TODO", required: false, evidenceIds: [EVIDENCE_3] }),
  ];
}

/** The scope with one item (by id) replaced by `change(item)`. */
function changed(id: string, change: (item: ScopeItem) => ScopeItem): ScopeItem[] {
  return scope().map((item) => (item.id === id ? change(item) : item));
}

/** Every kind of change to what a sign-off covers, each applied to scope(). */
const inScopeChanges: [string, ScopeItem[]][] = [
  ["an item's title", changed(ID_A, (item) => ({ ...item, title: "Backups run hourly" }))],
  ["an item's status", changed(ID_A, (item) => ({ ...item, status: "IN_PROGRESS" }))],
  ["an item's area", changed(ID_A, (item) => ({ ...item, area: "DEVOPS" }))],
  ["an item's required flag", changed(ID_C, (item) => ({ ...item, required: true }))],
  ["an evidence id added", changed(ID_A, (item) => ({ ...item, evidenceIds: [...item.evidenceIds, EVIDENCE_3] }))],
  ["an evidence id removed", changed(ID_A, (item) => ({ ...item, evidenceIds: [EVIDENCE_1] }))],
  ["an evidence id replaced by another", changed(ID_A, (item) => ({ ...item, evidenceIds: [EVIDENCE_1, EVIDENCE_3] }))],
  ["evidence moved from one item to another", scope().map((item) => (item.id === ID_A ? { ...item, evidenceIds: [EVIDENCE_1] } : item.id === ID_C ? { ...item, evidenceIds: [EVIDENCE_2, EVIDENCE_3] } : item))],
  ["a waiver's reason", changed(ID_B, (item) => ({ ...item, waiver: { ...waiver, reason: "Accepting the risk for another quarter." } }))],
  ["a waiver's risk owner", changed(ID_B, (item) => ({ ...item, waiver: { ...waiver, riskOwner: "Sam Security" } }))],
  ["a waiver's compensating controls", changed(ID_B, (item) => ({ ...item, waiver: { ...waiver, controls: null } }))],
  ["a waiver's expiry", changed(ID_B, (item) => ({ ...item, waiver: { ...waiver, expiresAt: "2026-08-15T23:59:59.999Z" } }))],
  ["a waiver's risk owner, another member of the same name", changed(ID_B, (item) => ({ ...item, waiver: { ...waiver, riskOwnerId: "a0000000-0000-4000-8000-0000000000ee" } }))],
  ["a waiver's acceptance withdrawn (a new request)", changed(ID_B, (item) => ({ ...item, waiver: { ...waiver, acceptedById: null, acceptedByName: null, acceptedAt: null } }))],
  ["a waiver accepted by someone else", changed(ID_B, (item) => ({ ...item, waiver: { ...waiver, acceptedById: "a0000000-0000-4000-8000-0000000000ff", acceptedByName: "Lee Lead" } }))],
  ["a waiver ending (status back to TODO)", changed(ID_B, (item) => ({ ...item, status: "TODO", waiver: null }))],
  ["a first result for an item", changed(ID_A, (item) => ({ ...item, result: "PASS" }))],
  ["an item's latest result failing after passing", scope().map((item) => (item.id === ID_A ? { ...item, result: "FAIL" as const } : item))],
  ["an item added", [...scope(), scopeItem({ id: "0b5c6a8e-0000-4000-8000-00000000000d", title: "Connection limits set", status: "TODO", evidenceIds: [] })]],
  ["an item removed", scope().filter((item) => item.id !== ID_C)],
  ["an item's id (another item with the same content)", changed(ID_C, (item) => ({ ...item, id: "0b5c6a8e-0000-4000-8000-00000000000e" }))],
];

describe("scopeDigest", () => {
  it("is the digest of before results existed for items without one, and moves only when the latest outcome does", () => {
    expect(scopeDigest(scope().map((item) => ({ ...item, result: null })))).toBe(scopeDigest(scope()));
    const passing = changed(ID_A, (item) => ({ ...item, result: "PASS" }));
    expect(scopeDigest(passing.map((item) => ({ ...item })))).toBe(scopeDigest(passing));
    expect(scopeDigest(changed(ID_A, (item) => ({ ...item, result: "FAIL" })))).not.toBe(scopeDigest(passing));
  });

  it("is a SHA-256 hex string, the same for the same state computed twice", () => {
    expect(scopeDigest(scope())).toMatch(/^[0-9a-f]{64}$/);
    expect(scopeDigest(scope())).toBe(scopeDigest(scope()));
  });

  it("does not depend on the order of the items or of their evidence", () => {
    const reordered = scope()
      .reverse()
      .map((item) => ({ ...item, evidenceIds: [...item.evidenceIds].reverse() }));
    expect(reordered[0]?.id).toBe(ID_C);
    expect(reordered[2]?.evidenceIds).toEqual([EVIDENCE_2, EVIDENCE_1]);

    expect(scopeDigest(reordered)).toBe(scopeDigest(scope()));
  });

  it("does not depend on the order of an item's keys or of its waiver's keys", () => {
    const original = scope();
    const rebuilt = original.map(
      (item): ScopeItem => ({
        waiver: item.waiver
          ? {
              acceptedAt: item.waiver.acceptedAt ?? null,
              acceptedByName: item.waiver.acceptedByName ?? null,
              acceptedById: item.waiver.acceptedById ?? null,
              expiresAt: item.waiver.expiresAt,
              controls: item.waiver.controls,
              riskOwnerId: item.waiver.riskOwnerId ?? null,
              riskOwner: item.waiver.riskOwner,
              reason: item.waiver.reason,
            }
          : null,
        evidenceIds: item.evidenceIds,
        required: item.required,
        area: item.area,
        status: item.status,
        title: item.title,
        id: item.id,
      }),
    );
    expect(JSON.stringify(rebuilt)).not.toBe(JSON.stringify(original));
    expect(scopeDigest(rebuilt)).toBe(scopeDigest(original));
  });

  it("does not change when the input is used again: canonicalScope copies, it does not sort in place", () => {
    const input = scope().reverse();
    const before = JSON.stringify(input);
    scopeDigest(input);
    expect(JSON.stringify(input)).toBe(before);
  });


  it.each(inScopeChanges)("changes with %s", (_change, after) => {
    expect(scopeDigest(after)).not.toBe(scopeDigest(scope()));
  });

  it("gives every in-scope change above a digest of its own", () => {
    const digests = new Set([scopeDigest(scope()), ...inScopeChanges.map(([, after]) => scopeDigest(after))]);
    expect(digests.size).toBe(inScopeChanges.length + 1);
  });

  it("has no place for details or comments, and ignores them if a caller passes a wider object", () => {
    expectTypeOf<ScopeItem>().not.toHaveProperty("details");
    expectTypeOf<ScopeItem>().not.toHaveProperty("comments");
    const wider = scope().map((item) => ({ ...item, details: `Run \`pg_dump\` for ${item.title}.`, comments: ["Looks good.", "Checked on staging."] }));
    expect(scopeDigest(wider)).toBe(scopeDigest(scope()));
    expect(canonicalScope(wider).map((item) => Object.keys(item))).toEqual(canonicalScope(scope()).map(() => ["id", "title", "status", "area", "required", "evidenceIds", "waiver"]));
  });

  it("ignores waiver fields left on an item that is not WAIVED", () => {
    const leftover = changed(ID_A, (item) => ({ ...item, waiver: { ...waiver } }));
    expect(scopeDigest(leftover)).toBe(scopeDigest(scope()));
    expect(canonicalScope(leftover).find((item) => item.id === ID_A)?.waiver).toBeNull();
  });

  it("reads a waiver signed before acceptance existed (no member or acceptance fields) as a request nobody accepted", () => {
    const { riskOwnerId: _id, acceptedById: _by, acceptedByName: _name, acceptedAt: _at, ...old } = waiver;
    const request = { ...waiver, riskOwnerId: null, acceptedById: null, acceptedByName: null, acceptedAt: null };
    expect(scopeDigest(changed(ID_B, (item) => ({ ...item, waiver: old })))).toBe(scopeDigest(changed(ID_B, (item) => ({ ...item, waiver: request }))));
    expect(scopeDigest(changed(ID_B, (item) => ({ ...item, waiver: old })))).not.toBe(scopeDigest(scope()));
  });

  it("ignores extra keys inside a waiver", () => {
    const widerWaiver = { ...waiver, grantedByName: "Dana DBA" };
    expect(scopeDigest(changed(ID_B, (item) => ({ ...item, waiver: widerWaiver })))).toBe(scopeDigest(scope()));
  });

  it("is the same for an empty scope every time, and differs from any non-empty one", () => {
    expect(scopeDigest([])).toBe(scopeDigest([]));
    expect(scopeDigest([])).not.toBe(scopeDigest(scope().slice(0, 1)));
  });
});

describe("canonicalScope", () => {
  it("sorts items by id and evidence ids, keeping every in-scope field", () => {
    expect(canonicalScope(scope().reverse())).toEqual([
      { id: ID_A, title: "Backups run nightly", status: "DONE", area: "DBA", required: true, evidenceIds: [EVIDENCE_1, EVIDENCE_2], waiver: null },
      { id: ID_B, title: "Replica in another zone", status: "WAIVED", area: "DBA", required: true, evidenceIds: [], waiver },
      { id: ID_C, title: "Slow query log reviewed", status: "TODO", area: "DBA", required: false, evidenceIds: [EVIDENCE_3], waiver: null },
    ]);
  });
});

describe("slotCovers", () => {
  it("GO_LIVE covers every area, GENERAL included", () => {
    for (const area of areas) expect(slotCovers("GO_LIVE", area), area).toBe(true);
  });

  const areaSlots = signoffSlots.filter((slot): slot is Exclude<SignoffSlot, "GO_LIVE"> => slot !== "GO_LIVE");

  it.each(areaSlots)("the %s slot covers its own area and no other", (slot) => {
    const covered = areas.filter((area: Area) => slotCovers(slot, area));
    expect(covered).toEqual([slot]);
  });

  it("no area slot covers GENERAL items", () => {
    expect(areaSlots.filter((slot) => slotCovers(slot, "GENERAL"))).toEqual([]);
  });
});

describe("diffScopes", () => {
  it("reports nothing for the same state in another order", () => {
    expect(diffScopes(scope(), scope().reverse())).toEqual({ added: [], removed: [], changed: [] });
  });

  it("reports added, removed and changed items, each change with the names of the fields that differ", () => {
    const added = scopeItem({ id: "0b5c6a8e-0000-4000-8000-00000000000d", title: "Connection limits set", status: "TODO", evidenceIds: [] });
    const after = [
      ...scope()
        .filter((item) => item.id !== ID_C)
        .map((item) =>
          item.id === ID_A
            ? { ...item, title: "Backups run hourly", status: "IN_PROGRESS" as const, evidenceIds: [EVIDENCE_1] }
            : { ...item, required: false, area: "SECURITY" as const, waiver: { ...waiver, riskOwner: "Sam Security" } },
        ),
      added,
    ];

    const diff = diffScopes(scope(), after);

    expect(diff.added).toEqual([added]);
    expect(diff.removed.map((item) => item.id)).toEqual([ID_C]);
    expect(diff.changed.map((change) => [change.before.id, change.fields])).toEqual([
      [ID_A, ["title", "status", "evidenceIds"]],
      [ID_B, ["area", "required", "waiver"]],
    ]);
    const first = diff.changed[0];
    expect(first?.before).toMatchObject({ title: "Backups run nightly", status: "DONE", evidenceIds: [EVIDENCE_1, EVIDENCE_2] });
    expect(first?.after).toMatchObject({ title: "Backups run hourly", status: "IN_PROGRESS", evidenceIds: [EVIDENCE_1] });
  });

  it("reports evidence in another order as unchanged, and a waiver ending as a change of status and waiver", () => {
    const reordered = changed(ID_A, (item) => ({ ...item, evidenceIds: [EVIDENCE_2, EVIDENCE_1] }));
    expect(diffScopes(scope(), reordered).changed).toEqual([]);

    const ended = changed(ID_B, (item) => ({ ...item, status: "TODO", waiver: null }));
    expect(diffScopes(scope(), ended).changed.map((change) => change.fields)).toEqual([["status", "waiver"]]);
  });

  it("reports everything as added from an empty scope, and as removed to one", () => {
    expect(diffScopes([], scope()).added.map((item) => item.id).sort()).toEqual([ID_A, ID_B, ID_C]);
    expect(diffScopes(scope(), []).removed.map((item) => item.id).sort()).toEqual([ID_A, ID_B, ID_C]);
  });

  it("agrees with the digest: no differences exactly when the digests are equal", () => {
    for (const [, after] of [["the same state in another order", scope().reverse()] as const, ...inScopeChanges]) {
      const diff = diffScopes(scope(), after);
      const isEmpty = diff.added.length + diff.removed.length + diff.changed.length === 0;
      expect(isEmpty).toBe(scopeDigest(after) === scopeDigest(scope()));
    }
  });
});
