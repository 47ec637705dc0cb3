import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { getPortfolio } from "@/lib/portfolio/data";
import { portfolioSortSchema, portfolioViewSchema, type PortfolioView } from "@/lib/portfolio/schema";
import { filterPortfolio, sortPortfolio } from "@/lib/portfolio/sort";
import type { PortfolioRow } from "@/lib/portfolio/data";
import { AreaBarLegend, PortfolioTable } from "@/components/portfolio/portfolio-table";
import { ProgressOverTime } from "@/components/portfolio/progress-over-time";

export const metadata: Metadata = { title: "Projects" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function count(value: number, one: string, many: string): string {
  return `${value} ${value === 1 ? one : many}`;
}

export default async function PortfolioPage({ searchParams }: Props) {
  const actor = await requireActor();
  const params = await searchParams;
  const sort = portfolioSortSchema.parse(params);
  const view = portfolioViewSchema.parse(params);
  const portfolio = await getPortfolio(actor);
  const rows = sortPortfolio(filterPortfolio(portfolio.rows, view), sort);
  const keep = Object.fromEntries(Object.entries(view).filter((entry): entry is [string, string] => typeof entry[1] === "string" && entry[1] !== ""));
  const filtered = Object.keys(keep).some((key) => key !== "group");
  const groups = view.group === "team" ? byTeam(rows) : null;
  const mayCreate = can(actor, "project.create", { kind: "global" });
  const live = rows.filter((row) => row.liveAt).length;
  const relapsed = rows.filter((row) => row.liveAt && !row.gate.open).length;
  const gateOpen = rows.filter((row) => !row.liveAt && row.gate.open).length;
  const pastTarget = rows.filter((row) => row.isPastTarget).length;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Projects</h1>
          <p className="text-sm text-slate-600" data-testid="portfolio-summary">
            {count(rows.length, "project", "projects")} you can see · {live} live
            {relapsed > 0 && <span className="font-semibold text-red-800">{` (${relapsed} changed since)`}</span>} · {gateOpen} ready to go live ·{" "}
            <span className={pastTarget > 0 ? "font-semibold text-red-800" : undefined}>{pastTarget} past target date</span>
          </p>
        </div>
        {mayCreate && (
          <Link href="/projects/new" className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-800">
            New project
          </Link>
        )}
      </div>
      {portfolio.rows.length > 0 && <ViewForm rows={portfolio.rows} view={view} sort={sort} />}
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          {filtered ? "No project matches this view." : "You are not a member of any project yet. A project lead or an admin can add you."}
        </p>
      ) : (
        <>
          <div className="flex flex-col gap-2">
            <AreaBarLegend />
            {groups ? (
              groups.map((group) => (
                <section key={group.key} aria-labelledby={`team-${group.key || "none"}`} className="flex flex-col gap-2">
                  <h2 id={`team-${group.key || "none"}`} className="mt-2 text-base font-semibold">
                    {group.name} <span className="font-normal text-slate-600">· {count(group.rows.length, "project", "projects")}</span>
                  </h2>
                  <PortfolioTable rows={group.rows} sort={sort} days={portfolio.days.length} keep={keep} caption={`Projects of ${group.name}`} />
                </section>
              ))
            ) : (
              <PortfolioTable rows={rows} sort={sort} days={portfolio.days.length} keep={keep} />
            )}
          </div>
          <ProgressOverTime
            rows={rows}
            overall={portfolio.overall}
            days={portfolio.days}
            {...(groups ? { teams: groups.map((group) => ({ key: group.key || "none", name: group.name, values: portfolio.byTeam.get(group.key) ?? [] })) } : {})}
          />
        </>
      )}
    </div>
  );
}

function byTeam(rows: readonly PortfolioRow[]): { key: string; name: string; rows: PortfolioRow[] }[] {
  const groups = new Map<string, { key: string; name: string; rows: PortfolioRow[] }>();
  for (const row of rows) {
    const key = row.team?.slug ?? "";
    const group = groups.get(key) ?? { key, name: row.team?.name ?? "No team", rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  // Teams by name, projects without one last.
  return [...groups.values()].sort((a, b) => (a.key === "" ? 1 : b.key === "" ? -1 : a.name.localeCompare(b.name)));
}

/** Filters and grouping, as a plain GET form: the view is in the URL, to share or bookmark. */
function ViewForm({ rows, view, sort }: { rows: readonly PortfolioRow[]; view: PortfolioView; sort: { sort: string; dir: string } }) {
  const teams = [...new Map(rows.flatMap((row) => (row.team ? [[row.team.slug, row.team.name] as const] : []))).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const levelNames = (pick: (level: NonNullable<PortfolioRow["level"]>) => string | null) => [...new Set(rows.flatMap((row) => (row.level && pick(row.level) ? [pick(row.level)!] : [])))].sort();
  const reached = levelNames((level) => level.reached);
  const targets = levelNames((level) => level.target);
  const hasLevels = rows.some((row) => row.level);
  const select = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";
  return (
    <form method="get" action="/" aria-label="Filter projects" className="flex flex-wrap items-end gap-3 text-sm">
      <input type="hidden" name="sort" value={sort.sort} />
      <input type="hidden" name="dir" value={sort.dir} />
      {teams.length > 0 && (
        <label className="flex flex-col gap-1">
          Team
          <select name="team" defaultValue={view.team ?? ""} className={select}>
            <option value="">All teams</option>
            {teams.map(([slug, name]) => (
              <option key={slug} value={slug}>
                {name}
              </option>
            ))}
            <option value="none">No team</option>
          </select>
        </label>
      )}
      {hasLevels && (
        <>
          <label className="flex flex-col gap-1">
            Level reached
            <select name="reached" defaultValue={view.reached ?? ""} className={select}>
              <option value="">Any</option>
              {reached.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
              <option value="none">Not the lowest yet</option>
            </select>
          </label>
          <label className="flex flex-col gap-1">
            Target level
            <select name="target" defaultValue={view.target ?? ""} className={select}>
              <option value="">Any</option>
              {targets.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      <label className="flex flex-col gap-1">
        Group
        <select name="group" defaultValue={view.group ?? ""} className={select}>
          <option value="">No grouping</option>
          <option value="team">By team</option>
        </select>
      </label>
      <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1 font-medium hover:bg-slate-50">
        Show
      </button>
    </form>
  );
}
