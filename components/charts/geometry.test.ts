import { describe, expect, it } from "vitest";
import { firstAndLast, isolatedIndexes, linearScale, linePath, tickIndexes } from "./geometry";

describe("linearScale", () => {
  it("maps a domain onto a range, also inverted (SVG y grows downwards)", () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(25)).toBe(150);
    expect(y(100)).toBe(0);
  });

  it("maps a zero-width domain to the start of the range", () => {
    expect(linearScale([3, 3], [10, 20])(3)).toBe(10);
  });
});

describe("linePath", () => {
  const x = (index: number) => index * 10;
  const y = (value: number) => 100 - value;

  it("draws through the values", () => {
    expect(linePath([0, 50, 100], x, y)).toBe("M0 100L10 50L20 0");
  });

  it("breaks the line at missing values instead of bridging them", () => {
    expect(linePath([null, 10, 20, null, 30, 40], x, y)).toBe("M10 90L20 80M40 70L50 60");
  });

  it("draws nothing for no values", () => {
    expect(linePath([null, null], x, y)).toBe("");
  });

  it("rounds coordinates to two decimals", () => {
    expect(linePath([1 / 3], (index) => index + 1 / 3, (value) => value)).toBe("M0.33 0.33");
  });
});

describe("isolatedIndexes", () => {
  it("finds values with no neighbour to connect to", () => {
    expect(isolatedIndexes([5, null, 6, 7, null, 8])).toEqual([0, 5]);
    expect(isolatedIndexes([null, null, 4])).toEqual([2]);
  });
});

describe("firstAndLast", () => {
  it("skips missing values", () => {
    expect(firstAndLast([null, 12, 30, null])).toEqual({ first: 12, last: 30 });
    expect(firstAndLast([null])).toBeNull();
  });
});

describe("tickIndexes", () => {
  it("labels every n-th point counted back from the last, so the last is always labelled", () => {
    expect(tickIndexes(30, 7)).toEqual([1, 8, 15, 22, 29]);
    expect(tickIndexes(3, 7)).toEqual([2]);
  });
});
