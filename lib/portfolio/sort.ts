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

/** The rows a view asks for (see portfolioViewSchema); an empty filter keeps every row. */
export function filterPortfolio<Row extends { team: { slug: string } | null; level: { reached: string | null; target: string | null } | null }>(rows: readonly Row[], view: { team?: string | undefined; reached?: string | undefined; target?: string | undefined }): Row[] {
  const same = (a: string | null | undefined, b: string) => (a ?? "").toLowerCase() === b.toLowerCase();
  return rows.filter(
    (row) =>
      (!view.team || (view.team === "none" ? row.team === null : row.team?.slug === view.team)) &&
      (!view.reached || (row.level !== null && (view.reached === "none" ? row.level.reached === null : same(row.level.reached, view.reached)))) &&
      (!view.target || (row.level !== null && same(row.level.target, view.target))),
  );
}
