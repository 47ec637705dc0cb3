// Maturity levels: a checklist may define ordered levels (lowest first, e.g. Experiment, Beta,
// GA); each item belongs to one (an index into the list, 0 by default) and the project aims for
// a target level. The rule, in one place: an item counts for the gate, the readiness figures and
// the sign-off scopes only if the project has no levels or the item is at or below the target.
// An item above the target still shows on the checklist but holds nothing up. The database
// queries that count items in SQL apply the same rule (lib/portfolio/data.ts).

/** A project's levels (lowest first; empty: none) and its target, an index into them. */
export type LevelSetting = { levels: readonly string[]; targetLevel: number };

/** A checklist without levels: every item counts. */
export const NO_LEVELS: LevelSetting = { levels: [], targetLevel: 0 };

export const MIN_LEVELS = 2;
export const MAX_LEVELS = 10;
export const MAX_LEVEL_NAME = 40;

/** Whether an item at `level` counts for the gate, readiness figures and sign-off scopes. */
export function countsForTarget(setting: LevelSetting, level: number): boolean {
  return setting.levels.length === 0 || level <= setting.targetLevel;
}

export type LevelProgress<T> = {
  /** The highest level reached (null: not even the lowest). */
  reached: number | null;
  /** The level to reach next (null: the highest is reached). */
  next: number | null;
  /** The required items at the next level that are not ready: what is missing for it. */
  missing: T[];
};

/**
 * The highest level L such that every required item at a level up to L is ready (in the gate's
 * sense of ready), whatever the target; and what is missing for the level after it. Null for a
 * checklist without levels. An item whose level is past the highest counts as the highest.
 */
export function levelProgress<T extends { level: number; required: boolean; ready: boolean }>(levelCount: number, items: readonly T[]): LevelProgress<T> | null {
  if (levelCount === 0) return null;
  const top = levelCount - 1;
  const levelOf = (item: T) => Math.min(item.level, top);
  let firstOpen = levelCount;
  for (const item of items) if (item.required && !item.ready) firstOpen = Math.min(firstOpen, levelOf(item));
  const reached = firstOpen === 0 ? null : firstOpen - 1;
  const next = firstOpen === levelCount ? null : firstOpen;
  return { reached, next, missing: next === null ? [] : items.filter((item) => item.required && !item.ready && levelOf(item) === next) };
}

/**
 * Where each old level goes when a checklist's level names change (old index → new index): to
 * the new level of the same name (letter case aside), else to the level now at its position (a
 * renamed level), the highest if fewer remain. With no levels left, everything is at 0.
 */
export function remapLevels(before: readonly string[], after: readonly string[]): number[] {
  const byName = new Map(after.map((name, index) => [name.toLowerCase(), index]));
  return before.map((name, index) => (after.length === 0 ? 0 : (byName.get(name.toLowerCase()) ?? Math.min(index, after.length - 1))));
}

/** A level's name, or null when the checklist has no such level. */
export function levelName(setting: Pick<LevelSetting, "levels">, level: number | null): string | null {
  return level === null ? null : (setting.levels[level] ?? null);
}

/** Whether two level lists are the same names in the same order. */
export function sameLevels(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, index) => name === b[index]);
}

/** A change of levels or target in a few words: "target from Beta to GA", "levels Bronze, Silver, Gold, target Bronze", "levels removed". */
export function levelChangeWords(before: LevelSetting, after: LevelSetting): string {
  if (after.levels.length === 0) return before.levels.length === 0 ? "no levels" : "levels removed";
  const target = levelName(after, after.targetLevel) ?? "none";
  if (sameLevels(before.levels, after.levels)) return `target from ${levelName(before, before.targetLevel) ?? "none"} to ${target}`;
  return `levels ${after.levels.join(", ")}, target ${target}`;
}
