import type { AreaProgress } from "@/lib/checklists/overview";
import { percent } from "@/lib/words";
import { areaLabels, statusStyles } from "@/components/checklist/status";

const segments = [
  { key: "done", label: "Done", bar: statusStyles.DONE.bar },
  { key: "waived", label: "Waived", bar: statusStyles.WAIVED.bar },
  { key: "notApplicable", label: "Not applicable", bar: statusStyles.NOT_APPLICABLE.bar },
  { key: "blocked", label: "Blocked", bar: statusStyles.BLOCKED.bar },
  { key: "open", label: "Open", bar: statusStyles.TODO.bar },
] as const;

/**
 * One stacked bar per area, on a common scale so areas compare by size too, with the counts
 * as a table and readiness with and without waivers side by side.
 */
export function AreaProgressChart({ areas }: { areas: AreaProgress[] }) {
  const largest = Math.max(1, ...areas.map((area) => area.total));
  return (
    <figure className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">Progress by area</span>
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-700" aria-label="Legend">
          {segments.map((segment) => (
            <li key={segment.key} className="flex items-center gap-1">
              <span aria-hidden className={`inline-block size-2.5 rounded-sm ${segment.bar}`} />
              {segment.label}
            </li>
          ))}
        </ul>
      </figcaption>
      <div className="relative overflow-x-auto">
      <table className="w-full min-w-[30rem] text-sm">
        <caption className="sr-only">Items per area by state; readiness counts required items, with and without waivers.</caption>
        <thead className="text-left text-xs text-slate-600">
          <tr>
            <th scope="col" className="w-24 py-1 font-medium">
              Area
            </th>
            <th scope="col" className="py-1 font-medium">
              <span className="sr-only">Chart</span>
            </th>
            {segments.map((segment) => (
              <th key={segment.key} scope="col" className="w-16 py-1 text-right font-medium">
                {segment.label}
              </th>
            ))}
            <th scope="col" className="w-24 py-1 pl-3 text-right font-medium">
              Ready
            </th>
            <th scope="col" className="w-28 py-1 text-right font-medium">
              Ready without waivers
            </th>
          </tr>
        </thead>
        <tbody>
          {areas.map((area) => (
            <tr key={area.area} className="border-t border-slate-100" data-testid={`area-${area.area}`}>
              <th scope="row" className="py-2 text-left font-medium">
                {areaLabels[area.area]}
              </th>
              <td className="py-2 pr-3">
                <div className="flex h-3 overflow-hidden rounded-full bg-slate-100" style={{ width: `${Math.max(8, (area.total / largest) * 100)}%` }} aria-hidden>
                  {segments.map((segment) => (area[segment.key] > 0 ? <div key={segment.key} className={segment.bar} style={{ width: `${(area[segment.key] / area.total) * 100}%` }} /> : null))}
                </div>
              </td>
              {segments.map((segment) => (
                <td key={segment.key} className="py-2 text-right tabular-nums">
                  {area[segment.key]}
                </td>
              ))}
              <td className="py-2 pl-3 text-right font-semibold tabular-nums">{percent(area.readyWithWaivers, area.required)}%</td>
              <td className={`py-2 text-right tabular-nums ${area.readyWithoutWaivers < area.readyWithWaivers ? "text-violet-800" : "text-slate-700"}`}>{percent(area.readyWithoutWaivers, area.required)}%</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
