import { z } from "zod";

// How the portfolio table is sorted: read from the URL (`?sort=target&dir=asc`) so that a view
// can be shared. Anything unknown falls back to the default instead of failing the page.

export const portfolioSortKeys = ["name", "target", "progress", "blockers"] as const;
export type PortfolioSortKey = (typeof portfolioSortKeys)[number];
export type SortDirection = "asc" | "desc";

/** The direction a column sorts in when first chosen: the order most worth seeing first. */
export const defaultSortDirection: Record<PortfolioSortKey, SortDirection> = {
  name: "asc",
  // Soonest go-live first.
  target: "asc",
  // Furthest behind first.
  progress: "asc",
  // Most blocked first.
  blockers: "desc",
};

export const portfolioSortSchema = z
  .object({
    sort: z.enum(portfolioSortKeys).catch("name"),
    dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  })
  .transform(({ sort, dir }) => ({ sort, dir: dir ?? defaultSortDirection[sort] }));

export type PortfolioSort = z.infer<typeof portfolioSortSchema>;

/**
 * Which projects the portfolio shows and how it groups them, also from the URL: `team` (a team's
 * slug, or `none`), `reached` and `target` (level names, `reached=none` for not even the lowest),
 * `group=team`. Unknown values show everything rather than failing the page.
 */
export const portfolioViewSchema = z.object({
  team: z.string().max(60).optional().catch(undefined),
  reached: z.string().max(40).optional().catch(undefined),
  target: z.string().max(40).optional().catch(undefined),
  group: z.enum(["team"]).optional().catch(undefined),
});

export type PortfolioView = z.infer<typeof portfolioViewSchema>;
