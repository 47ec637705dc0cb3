import { plural } from "@/lib/words";
import type { StatusCounts } from "@/lib/checklists/data";
import type { EffectiveStatus } from "@/lib/checklists/rules";
import { statusLabels, statusStyles } from "./status";
import { percent } from "@/lib/words";

const order: EffectiveStatus[] = ["DONE", "WAIVED", "NOT_APPLICABLE", "IN_PROGRESS", "BLOCKED", "WAIVER_EXPIRED", "TODO"];

/** A stacked bar of the checklist by status, with the counts as a legend (the numbers stay readable without the colours). */
export function ProgressChart({ counts, total, required, requiredSatisfied }: { counts: StatusCounts; total: number; required: number; requiredSatisfied: number }) {
  const ready = percent(requiredSatisfied, required);
  return (
    <figure className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <figcaption className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-medium">
          {requiredSatisfied} of {required} required items ready <span className="text-slate-600">({ready}%)</span>
        </span>
        <span className="text-sm text-slate-600">{plural(total, "item")} in all</span>
      </figcaption>
      <div className="flex h-3 w-full overflow-hidden rounded-full bg-slate-100" role="img" aria-label={order.map((status) => `${statusLabels[status]}: ${counts[status]}`).join(", ")}>
        {total > 0 &&
          order.map((status) =>
            counts[status] > 0 ? <div key={status} className={statusStyles[status].bar} style={{ width: `${(counts[status] / total) * 100}%` }} /> : null,
          )}
      </div>
      <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm" aria-label="Items by status">
        {order.map((status) => (
          <li key={status} className="flex items-center gap-1.5">
            <span aria-hidden className={`inline-block size-2.5 rounded-sm ${statusStyles[status].bar}`} />
            {statusLabels[status]} <span className="font-semibold tabular-nums">{counts[status]}</span>
          </li>
        ))}
      </ul>
    </figure>
  );
}
