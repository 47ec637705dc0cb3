import { describe, expect, it } from "vitest";
import { portfolioSortSchema } from "@/lib/portfolio/schema";
import { filterPortfolio, sortPortfolio, type SortableRow } from "@/lib/portfolio/sort";

const rows: SortableRow[] = [
  { name: "Billing", targetGoLive: "2027-01-10", percent: 40, blockers: 3 },
  { name: "auth", targetGoLive: null, percent: 90, blockers: 1 },
  { name: "Catalog", targetGoLive: "2026-12-01", percent: null, blockers: 3 },
  { name: "Deploys", targetGoLive: "2026-12-01", percent: 10, blockers: 0 },
];
const names = (sorted: SortableRow[]) => sorted.map((row) => row.name);

describe("portfolioSortSchema", () => {
  it("defaults to name, ascending", () => {
    expect(portfolioSortSchema.parse({})).toEqual({ sort: "name", dir: "asc" });
  });

  it("gives each column its most useful first direction", () => {
    expect(portfolioSortSchema.parse({ sort: "target" })).toEqual({ sort: "target", dir: "asc" });
    expect(portfolioSortSchema.parse({ sort: "blockers" })).toEqual({ sort: "blockers", dir: "desc" });
    expect(portfolioSortSchema.parse({ sort: "progress", dir: "desc" })).toEqual({ sort: "progress", dir: "desc" });
  });

  it("falls back on anything it does not know, rather than failing the page", () => {
    expect(portfolioSortSchema.parse({ sort: "owner", dir: "sideways" })).toEqual({ sort: "name", dir: "asc" });
    expect(portfolioSortSchema.parse({ sort: ["target", "name"], dir: ["asc"] })).toEqual({ sort: "name", dir: "asc" });
  });
});

describe("sortPortfolio", () => {
  it("sorts names without regard to case", () => {
    expect(names(sortPortfolio(rows, { sort: "name", dir: "asc" }))).toEqual(["auth", "Billing", "Catalog", "Deploys"]);
    expect(names(sortPortfolio(rows, { sort: "name", dir: "desc" }))).toEqual(["Deploys", "Catalog", "Billing", "auth"]);
  });

  it("puts rows without a target date last in either direction, ties by name", () => {
    expect(names(sortPortfolio(rows, { sort: "target", dir: "asc" }))).toEqual(["Catalog", "Deploys", "Billing", "auth"]);
    expect(names(sortPortfolio(rows, { sort: "target", dir: "desc" }))).toEqual(["Billing", "Catalog", "Deploys", "auth"]);
  });

  it("sorts by progress with empty checklists last", () => {
    expect(names(sortPortfolio(rows, { sort: "progress", dir: "asc" }))).toEqual(["Deploys", "Billing", "auth", "Catalog"]);
    expect(names(sortPortfolio(rows, { sort: "progress", dir: "desc" }))).toEqual(["auth", "Billing", "Deploys", "Catalog"]);
  });

  it("sorts by number of blockers", () => {
    expect(names(sortPortfolio(rows, { sort: "blockers", dir: "desc" }))).toEqual(["Billing", "Catalog", "auth", "Deploys"]);
  });

  it("does not change the rows it was given", () => {
    const copy = [...rows];
    sortPortfolio(rows, { sort: "target", dir: "desc" });
    expect(rows).toEqual(copy);
  });
});

describe("filterPortfolio", () => {
  const row = (name: string, team: string | null, level: { reached: string | null; target: string | null } | null) => ({ name, team: team ? { slug: team, name: team } : null, level });
  const rows = [row("a", "core", { reached: "Beta", target: "GA" }), row("b", null, { reached: null, target: "Beta" }), row("c", "core", null), row("d", "edge", { reached: "GA", target: "GA" })];
  const names = (view: Parameters<typeof filterPortfolio>[1]) => filterPortfolio(rows, view).map((entry) => entry.name);

  it("keeps every row without a filter, and filters by team, no team, level reached and target", () => {
    expect(names({})).toEqual(["a", "b", "c", "d"]);
    expect(names({ team: "core" })).toEqual(["a", "c"]);
    expect(names({ team: "none" })).toEqual(["b"]);
    expect(names({ reached: "beta" })).toEqual(["a"]);
    expect(names({ reached: "none" })).toEqual(["b"]);
    expect(names({ target: "GA" })).toEqual(["a", "d"]);
    expect(names({ team: "core", target: "GA" })).toEqual(["a"]);
  });
});
