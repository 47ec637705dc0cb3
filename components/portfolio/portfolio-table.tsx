import { plural } from "@/lib/words";
import Link from "next/link";
import type { PortfolioRow } from "@/lib/portfolio/data";
import { defaultSortDirection, type PortfolioSort, type PortfolioSortKey } from "@/lib/portfolio/schema";
import type { AreaProgress } from "@/lib/portfolio/summary";
import { firstAndLast } from "@/components/charts/geometry";
import { Sparkline } from "@/components/charts/sparkline";
import { StackedBar } from "@/components/charts/stacked-bar";
import { areaLabels } from "@/components/checklist/status";
import { RoleBadge } from "@/components/role-badge";
import { formatDay } from "@/lib/time";

const sortLabels: Record<PortfolioSortKey, string> = { name: "name", target: "target go-live", progress: "progress", blockers: "number of blockers" };

function sortHref(column: PortfolioSortKey, current: PortfolioSort, keep: Record<string, string>): string {
  const dir = current.sort === column ? (current.dir === "asc" ? "desc" : "asc") : defaultSortDirection[column];
  return `/?${new URLSearchParams({ ...keep, sort: column, dir }).toString()}`;
}

/** A column header that sorts the table: a link to the same page with the order in the URL. */
function SortableHeader({ column, label, sort, keep, className = "" }: { column: PortfolioSortKey; label: string; sort: PortfolioSort; keep: Record<string, string>; className?: string }) {
  const active = sort.sort === column;
  return (
    <th scope="col" aria-sort={active ? (sort.dir === "asc" ? "ascending" : "descending") : undefined} className={`px-3 py-2 ${className}`}>
      <Link href={sortHref(column, sort, keep)} className="inline-flex items-center gap-1 hover:text-indigo-800 hover:underline">
        {label}
        <span aria-hidden className={active ? "text-indigo-800" : "text-slate-500"}>
          {active ? (sort.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </Link>
    </th>
  );
}

function AreaCell({ area }: { area: AreaProgress }) {
  const name = areaLabels[area.area];
  if (area.total === 0) {
    return (
      <td className="pf-cell text-xs text-slate-600">
        <span aria-hidden>–</span>
        <span className="sr-only">no {name} items</span>
      </td>
    );
  }
  const label = `${name}: ${area.ready} of ${area.total} ready${area.blocked > 0 ? `, ${area.blocked} blocked` : ""}`;
  return (
    <td className="pf-cell">
      <StackedBar
        label={label}
        total={area.total}
        segments={[
          { label: "ready", value: area.ready, tone: "ready" },
          { label: "blocked", value: area.blocked, tone: "blocked" },
        ]}
      />
      <span className="pf-figures" aria-hidden>
        <span>{`${area.ready}/${area.total}`}</span>
        {area.blocked > 0 && <span className="text-orange-800">{`${area.blocked} blocked`}</span>}
      </span>
    </td>
  );
}

function trendLabel(history: readonly (number | null)[], days: number): string {
  const span = firstAndLast(history);
  if (!span) return `No items in the last ${days} days`;
  return span.first === span.last ? `Ready share unchanged at ${span.last}% over the last ${days} days` : `Ready share went from ${span.first}% to ${span.last}% over the last ${days} days`;
}

function Blockers({ row }: { row: PortfolioRow }) {
  // "Live" never hides a gate that closed again after going live.
  if (row.liveAt && row.gate.open) return <span className="text-slate-600">Nothing: live</span>;
  if (row.gate.open) return <span className="font-medium text-emerald-800">Nothing: ready to go live</span>;
  return (
    <ul className="flex flex-col gap-0.5">
      {row.liveAt && <li className="font-semibold text-red-800">Changed since going live:</li>}
      {row.gate.parts.map((part) => (
        <li key={part}>{part}</li>
      ))}
    </ul>
  );
}

function GoLive({ row }: { row: PortfolioRow }) {
  return (
    <>
      {row.targetGoLive ? (
        <time dateTime={row.targetGoLive} className={row.isPastTarget ? "font-semibold text-red-800" : undefined}>
          {formatDay(row.targetGoLive)}
        </time>
      ) : (
        <span className="text-slate-600">No target</span>
      )}
      {row.liveAt ? (
        <span className={`mt-1 block w-fit rounded px-1.5 py-0.5 text-xs font-semibold ${row.gate.open ? "bg-emerald-100 text-emerald-900" : "bg-red-100 text-red-900"}`} data-testid="live-badge">
          Live since {formatDay(row.liveAt.slice(0, 10))}
          {!row.gate.open && ", changed since"}
        </span>
      ) : row.isPastTarget ? (
        <span className="mt-1 block w-fit rounded bg-red-100 px-1.5 py-0.5 text-xs font-semibold text-red-900">
          Past target<span className="sr-only">, not live</span>
        </span>
      ) : (
        <span className="sr-only">, not live yet</span>
      )}
    </>
  );
}

/** What the bars in the area columns show. */
export function AreaBarLegend() {
  const swatch = (className: string) => <span aria-hidden className={`inline-block size-2.5 rounded-sm ${className}`} />;
  return (
    <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
      <span>Per area, items ready of all items:</span>
      <span className="flex items-center gap-1">{swatch("bg-emerald-600")} ready</span>
      <span className="flex items-center gap-1">{swatch("bg-orange-500")} blocked</span>
      <span className="flex items-center gap-1">{swatch("bg-slate-300")} not yet ready</span>
    </p>
  );
}

/** `keep`: the view's other query parameters (filters, grouping), kept by the sort links. */
export function PortfolioTable({ rows, sort, days, keep = {}, caption }: { rows: readonly PortfolioRow[]; sort: PortfolioSort; days: number; keep?: Record<string, string>; caption?: string }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="w-full min-w-[68rem] table-fixed text-left text-sm">
        <caption className="sr-only">
          {caption ?? "Projects"}, sorted by {sortLabels[sort.sort]}, {sort.dir === "asc" ? "ascending" : "descending"}
        </caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-700">
          <tr>
            <SortableHeader keep={keep} column="name" label="Project" sort={sort} className="w-[11rem]" />
            <SortableHeader keep={keep} column="target" label="Target go-live" sort={sort} className="w-[8rem] whitespace-nowrap" />
            {(["DEVOPS", "DBA", "SECURITY", "GENERAL"] as const).map((area) => (
              <th key={area} scope="col" className="w-[6.5rem] px-2 py-2">
                {areaLabels[area]}
              </th>
            ))}
            <SortableHeader keep={keep} column="progress" label="Ready" sort={sort} className="w-[8.5rem]" />
            <SortableHeader keep={keep} column="blockers" label="Blocking go-live" sort={sort} />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} data-testid="portfolio-row" className="align-top hover:bg-slate-50">
              <th scope="row" className="px-3 py-2 font-normal">
                <Link href={`/projects/${row.slug}`} className="font-semibold break-words text-indigo-800 hover:underline">
                  {row.name}
                </Link>
                {(row.team || row.level) && (
                  <span className="mt-0.5 block text-xs text-slate-600">
                    {row.team?.name}
                    {row.team && row.level ? " · " : ""}
                    {row.level ? `Level ${row.level.reached ?? "none yet"} (target ${row.level.target ?? "none"})` : ""}
                  </span>
                )}
                {row.myRoles.length > 0 && (
                  <ul className="mt-1 flex flex-wrap gap-1" aria-label="Your roles">
                    {row.myRoles.map((role) => (
                      <li key={role}>
                        <RoleBadge role={role} />
                      </li>
                    ))}
                  </ul>
                )}
              </th>
              <td className="px-3 py-2">
                <GoLive row={row} />
              </td>
              {row.areas.map((area) => (
                <AreaCell key={area.area} area={area} />
              ))}
              <td className="px-3 py-2">
                <div className="flex items-center gap-2">
                  <span className="w-9 text-right font-semibold tabular-nums">{row.percent === null ? "–" : `${row.percent}%`}</span>
                  <Sparkline values={row.history} label={trendLabel(row.history, days)} width={64} />
                </div>
                <span className="mt-0.5 block text-xs text-slate-600 tabular-nums">{`${row.ready}/${plural(row.total, "item")}`}</span>
              </td>
              <td className="px-3 py-2" data-testid="blockers">
                <Blockers row={row} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
