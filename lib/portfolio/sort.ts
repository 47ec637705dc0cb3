import type { PortfolioSort } from "@/lib/portfolio/schema";

/** What sorting needs of a portfolio row. */
export type SortableRow = {
  name: string;
  /** YYYY-MM-DD, or null when not set. */
  targetGoLive: string | null;
  /** Percent of items ready, or null for an empty checklist. */
  percent: number | null;
  blockers: number;
};

const byName = new Intl.Collator("en", { sensitivity: "base", numeric: true });

/**
 * Rows in the chosen order. Rows without a value (no target date, no items) come last in either
 * direction; ties are broken by name, so the order is stable and predictable.
 */
export function sortPortfolio<T extends SortableRow>(rows: readonly T[], sort: PortfolioSort): T[] {
  const sign = sort.dir === "asc" ? 1 : -1;
  const value = (row: T): string | number | null => {
    switch (sort.sort) {
      case "target":
        return row.targetGoLive;
      case "progress":
        return row.percent;
      case "blockers":
        return row.blockers;
      case "name":
        return null;
    }
  };
  return [...rows].sort((a, b) => {
    if (sort.sort === "name") return sign * byName.compare(a.name, b.name);
    const left = value(a);
    const right = value(b);
    if (left !== right) {
      if (left === null) return 1;
      if (right === null) return -1;
      return sign * (left < right ? -1 : 1);
    }
    return byName.compare(a.name, b.name);
  });
}
