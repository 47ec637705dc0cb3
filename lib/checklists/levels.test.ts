import { describe, expect, it } from "vitest";
import { countsForTarget, levelChangeWords, levelProgress, NO_LEVELS, remapLevels } from "@/lib/checklists/levels";

// The levels rule: what counts for the gate at a target level, the highest level reached and
// what the next one lacks, and where items go when the level names change.

const levels = ["Experiment", "Beta", "GA"];

describe("countsForTarget", () => {
  it("counts every item of a checklist without levels, whatever its level says", () => {
    expect(countsForTarget(NO_LEVELS, 0)).toBe(true);
    expect(countsForTarget(NO_LEVELS, 5)).toBe(true);
  });

  it("counts the items at or below the target level, never those above it", () => {
    const beta = { levels, targetLevel: 1 };
    expect([0, 1, 2].map((level) => countsForTarget(beta, level))).toEqual([true, true, false]);
    expect([0, 1, 2].map((level) => countsForTarget({ levels, targetLevel: 0 }, level))).toEqual([true, false, false]);
    expect([0, 1, 2].map((level) => countsForTarget({ levels, targetLevel: 2 }, level))).toEqual([true, true, true]);
  });
});

describe("levelProgress", () => {
  const item = (level: number, ready: boolean, required = true) => ({ id: `${level}-${ready}-${required}`, level, ready, required });

  it("is null for a checklist without levels", () => {
    expect(levelProgress(0, [item(0, false)])).toBeNull();
  });

  it("reaches the highest level whose required items, and those of every level below, are ready", () => {
    const open = item(2, false);
    expect(levelProgress(3, [item(0, true), item(1, true), open])).toEqual({ reached: 1, next: 2, missing: [open] });
  });

  it("reaches no level while a required item of the lowest is not ready, and then lists what the lowest lacks", () => {
    const lowest = item(0, false);
    const higher = item(1, false);
    expect(levelProgress(3, [lowest, higher, item(2, true)])).toEqual({ reached: null, next: 0, missing: [lowest] });
  });

  it("stops at the first level that lacks something, even when a higher one is complete", () => {
    expect(levelProgress(3, [item(0, true), item(1, false), item(2, true)])).toMatchObject({ reached: 0, next: 1 });
  });

  it("counts required items only: an optional item that is not ready holds no level back", () => {
    expect(levelProgress(3, [item(0, true), item(1, false, false)])).toEqual({ reached: 2, next: null, missing: [] });
  });

  it("reaches a level without items, and the highest once nothing is missing", () => {
    expect(levelProgress(3, [])).toEqual({ reached: 2, next: null, missing: [] });
    expect(levelProgress(3, [item(0, true), item(2, true)])).toEqual({ reached: 2, next: null, missing: [] });
  });

  it("reads a level past the highest as the highest", () => {
    const stray = item(7, false);
    expect(levelProgress(3, [item(0, true), stray])).toEqual({ reached: 1, next: 2, missing: [stray] });
  });
});

describe("remapLevels", () => {
  it("keeps each level by name through a reordering or an insertion (letter case aside)", () => {
    expect(remapLevels(levels, ["Experiment", "Alpha", "Beta", "GA"])).toEqual([0, 2, 3]);
    expect(remapLevels(levels, ["ga", "beta", "experiment"])).toEqual([2, 1, 0]);
  });

  it("takes a renamed level for the one now at its position", () => {
    expect(remapLevels(levels, ["Experiment", "Preview", "GA"])).toEqual([0, 1, 2]);
  });

  it("moves a removed level's items to the level now at its place, the highest if fewer remain", () => {
    expect(remapLevels(levels, ["Experiment", "GA"])).toEqual([0, 1, 1]);
    expect(remapLevels(["Bronze", "Silver", "Gold", "Platinum"], ["Low", "High"])).toEqual([0, 1, 1, 1]);
  });

  it("puts everything at 0 when the levels are removed, and maps nothing from a checklist without levels", () => {
    expect(remapLevels(levels, [])).toEqual([0, 0, 0]);
    expect(remapLevels([], levels)).toEqual([]);
  });
});

describe("levelChangeWords", () => {
  it("names a new target, new levels, or their removal", () => {
    expect(levelChangeWords({ levels, targetLevel: 1 }, { levels, targetLevel: 2 })).toBe("target from Beta to GA");
    expect(levelChangeWords(NO_LEVELS, { levels: ["Bronze", "Silver", "Gold"], targetLevel: 0 })).toBe("levels Bronze, Silver, Gold, target Bronze");
    expect(levelChangeWords({ levels, targetLevel: 1 }, NO_LEVELS)).toBe("levels removed");
  });
});
