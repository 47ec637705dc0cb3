import type { PortfolioRow } from "@/lib/portfolio/data";
import { firstAndLast } from "@/components/charts/geometry";
import { LineChart, type LineSeries } from "@/components/charts/line-chart";
import { formatShortDay } from "@/lib/time";

/** How many projects get a line of their own; the rest are in the "all projects" line. */
export const CHARTED_PROJECTS = 6;

function change(values: readonly (number | null)[]): string {
  const span = firstAndLast(values);
  if (!span) return "no items yet";
  return span.first === span.last ? `${span.last}%, unchanged` : `from ${span.first}% to ${span.last}%`;
}

/**
 * Percent of items ready per day: all visible projects together, and the first projects in the
 * table's current order, so that sorting the table also chooses what the chart compares.
 */
export function ProgressOverTime({ rows, overall, days, teams }: { rows: readonly PortfolioRow[]; overall: readonly (number | null)[]; days: readonly string[]; teams?: readonly { key: string; name: string; values: readonly (number | null)[] }[] }) {
  // Grouped by team, the lines are the teams' (each over its visible projects), not projects'.
  const charted = teams ? teams.slice(0, CHARTED_PROJECTS) : rows.slice(0, CHARTED_PROJECTS).map((row) => ({ key: row.id, name: row.name, values: row.history }));
  const series: LineSeries[] = [
    ...(rows.length > 1 ? [{ key: "all", name: `All ${rows.length} projects`, values: overall, emphasis: true }] : []),
    ...charted.map((line) => ({ key: line.key, name: line.name, values: line.values })),
  ];
  const first = days[0] ? formatShortDay(days[0]) : "";
  const last = days.at(-1) ? formatShortDay(days.at(-1) ?? "") : "";
  const daysWithItems = overall.filter((value) => value !== null).length;
  const since = days[overall.findIndex((value) => value !== null)];
  if (daysWithItems < 2) {
    return (
      <section aria-labelledby="progress-over-time" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="progress-over-time" className="text-base font-semibold">
          Ready items over the last {days.length} days
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          {since ? `No history to chart yet: the first checklist items arrived on ${formatShortDay(since)}.` : "No history to chart yet: no checklist has items."} The
          chart fills in day by day as items are worked on.
        </p>
      </section>
    );
  }
  const description = `Share of checklist items ready at the end of each day from ${first} to ${last}. ${series.map((line) => `${line.name}: ${change(line.values)}`).join("; ")}.`;
  return (
    <section aria-labelledby="progress-over-time" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="progress-over-time" className="text-base font-semibold">
          Ready items over the last {days.length} days
        </h2>
        <p className="text-xs text-slate-600">
          {teams
            ? teams.length > CHARTED_PROJECTS
              ? `All projects, and the first ${CHARTED_PROJECTS} teams`
              : "Each team, and all projects together"
            : rows.length > CHARTED_PROJECTS
              ? `All projects, and the first ${CHARTED_PROJECTS} in the table's order`
              : "Each project, and all of them together"}{" "}
          · from the audit trail
        </p>
      </div>
      <LineChart
        title={`Percent of items ready per day, ${first} to ${last}`}
        description={description}
        labels={days}
        series={series}
        formatValue={(value) => `${value}%`}
        formatLabel={formatShortDay}
        tableCaption={`Percent of items ready at the end of each day, ${first} to ${last}`}
        width={1060}
        height={200}
      />
    </section>
  );
}
