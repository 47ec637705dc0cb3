// Pure geometry for the SVG charts: scales and paths, kept apart from markup so it can be tested.

export type Scale = (value: number) => number;

/** Maps [domain0, domain1] onto [range0, range1] linearly (a zero-width domain maps to range0). */
export function linearScale([domain0, domain1]: readonly [number, number], [range0, range1]: readonly [number, number]): Scale {
  const span = domain1 - domain0;
  return (value) => (span === 0 ? range0 : range0 + ((value - domain0) / span) * (range1 - range0));
}

/**
 * An SVG path through the values at x(index), y(value), coordinates rounded to `decimals`. A
 * missing value (null) breaks the line: the next value starts a new subpath, so gaps stay visible
 * instead of being bridged.
 */
export function linePath(values: readonly (number | null)[], x: Scale, y: Scale, decimals = 2): string {
  const factor = 10 ** decimals;
  const round = (value: number) => Math.round(value * factor) / factor;
  let path = "";
  let drawing = false;
  values.forEach((value, index) => {
    if (value === null) {
      drawing = false;
      return;
    }
    path += `${drawing ? "L" : "M"}${round(x(index))} ${round(y(value))}`;
    drawing = true;
  });
  return path;
}

/** Indexes of values with no neighbour to draw a line to: they are shown as dots. */
export function isolatedIndexes(values: readonly (number | null)[]): number[] {
  return values.flatMap((value, index) => (value !== null && (values[index - 1] ?? null) === null && (values[index + 1] ?? null) === null ? [index] : []));
}

/** The first and last values that are present, or null when there are none. */
export function firstAndLast(values: readonly (number | null)[]): { first: number; last: number } | null {
  const present = values.filter((value): value is number => value !== null);
  const first = present[0];
  const last = present.at(-1);
  return first === undefined || last === undefined ? null : { first, last };
}

/** Indexes to label on an axis of `count` points: every `step`-th, counted back from the last. */
export function tickIndexes(count: number, step: number): number[] {
  const ticks: number[] = [];
  for (let index = count - 1; index >= 0; index -= step) ticks.unshift(index);
  return ticks;
}
