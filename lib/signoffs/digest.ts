import { createHash } from "node:crypto";
import type { Area, ItemStatus } from "@/lib/checklists/types";

// What a sign-off covers, made canonical: the same state always gives the same digest, and
// any change to an in-scope item's title, status, area, required flag, evidence, waiver
// (its substance, who owns the risk, and whether and by whom it was accepted) or the outcome
// of its latest result gives another. Details and comments are not part of it; nor is a result
// that says what the one before it said.

export const signoffSlots = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"] as const;
export type SignoffSlot = (typeof signoffSlots)[number];

export type ScopeItem = {
  id: string;
  title: string;
  status: ItemStatus;
  area: Area;
  required: boolean;
  evidenceIds: string[];
  waiver: ScopeWaiver | null;
  /** The outcome of the item's latest result; absent (and not in the digest) while it has none. */
  result?: "PASS" | "FAIL" | null;
};

/**
 * A waiver as a sign-off covers it. The member and acceptance fields are absent from scopes
 * signed before waivers needed acceptance: they read as null (a request nobody accepted).
 */
export type ScopeWaiver = {
  reason: string | null;
  riskOwner: string | null;
  riskOwnerId?: string | null;
  controls: string | null;
  expiresAt: string | null;
  acceptedById?: string | null;
  acceptedByName?: string | null;
  acceptedAt?: string | null;
};

/** An area slot covers its own area's items; GO_LIVE covers the whole checklist. */
export function slotCovers(slot: SignoffSlot, area: Area): boolean {
  return slot === "GO_LIVE" || slot === area;
}

export function canonicalScope(items: readonly ScopeItem[]): ScopeItem[] {
  return [...items]
    .map((item) => ({
      id: item.id,
      title: item.title,
      status: item.status,
      area: item.area,
      required: item.required,
      evidenceIds: [...item.evidenceIds].sort(),
      waiver:
        item.status === "WAIVED" && item.waiver
          ? {
              reason: item.waiver.reason,
              riskOwner: item.waiver.riskOwner,
              riskOwnerId: item.waiver.riskOwnerId ?? null,
              controls: item.waiver.controls,
              expiresAt: item.waiver.expiresAt,
              acceptedById: item.waiver.acceptedById ?? null,
              acceptedByName: item.waiver.acceptedByName ?? null,
              acceptedAt: item.waiver.acceptedAt ?? null,
            }
          : null,
      // Only when there is one, so the digests of items without results stay what they were.
      ...(item.result ? { result: item.result } : {}),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** SHA-256 (hex) of the canonical scope; object keys are written in a fixed order above. */
export function scopeDigest(items: readonly ScopeItem[]): string {
  return createHash("sha256").update(JSON.stringify(canonicalScope(items))).digest("hex");
}

export type ScopeDiff = {
  added: ScopeItem[];
  removed: ScopeItem[];
  changed: { before: ScopeItem; after: ScopeItem; fields: string[] }[];
};

/** What changed in a scope between a sign-off and now, item by item. */
export function diffScopes(before: readonly ScopeItem[], after: readonly ScopeItem[]): ScopeDiff {
  const old = new Map(canonicalScope(before).map((item) => [item.id, item]));
  const now = new Map(canonicalScope(after).map((item) => [item.id, item]));
  const diff: ScopeDiff = { added: [], removed: [], changed: [] };
  for (const [id, item] of now) {
    const previous = old.get(id);
    if (!previous) {
      diff.added.push(item);
      continue;
    }
    const fields = (["title", "status", "area", "required", "evidenceIds", "waiver", "result"] as const).filter((field) => JSON.stringify(previous[field] ?? null) !== JSON.stringify(item[field] ?? null));
    if (fields.length > 0) diff.changed.push({ before: previous, after: item, fields });
  }
  for (const [id, item] of old) if (!now.has(id)) diff.removed.push(item);
  return diff;
}
