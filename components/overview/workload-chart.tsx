import { rolesInWords } from "@/lib/words";
import Link from "next/link";
import type { Workload } from "@/lib/checklists/overview";

/** Open items per person as bars (the overdue part in red), with the next due time. */
export function WorkloadChart({ workload, checklistHref }: { workload: (Workload & { nextDueLabel: string | null })[]; checklistHref: string }) {
  const largest = Math.max(1, ...workload.map((entry) => entry.open));
  return (
    <table className="w-full text-sm">
      <thead className="text-left text-xs text-slate-600">
        <tr>
          <th scope="col" className="py-1 font-medium">
            Person
          </th>
          <th scope="col" className="w-2/5 py-1 font-medium">
            Open items
          </th>
          <th scope="col" className="py-1 text-right font-medium">
            Overdue
          </th>
          <th scope="col" className="py-1 pl-3 text-right font-medium">
            Next due
          </th>
        </tr>
      </thead>
      <tbody>
        {workload.map((entry) => (
          <tr key={entry.userId} className="border-t border-slate-100" data-testid="workload-row">
            <th scope="row" className="py-2 pr-2 text-left font-medium">
              <Link href={`${checklistHref}?assignee=${entry.userId}&status=OPEN`} className="text-indigo-800 hover:underline">
                {entry.name}
              </Link>
              {entry.roles.length > 0 && <span className="ml-1 text-xs font-normal text-slate-600">{rolesInWords(entry.roles)}</span>}
            </th>
            <td className="py-2">
              <div className="flex items-center gap-2">
                <div className="flex h-3 overflow-hidden rounded-sm bg-indigo-500" style={{ width: `${(entry.open / largest) * 85}%` }} aria-hidden>
                  {entry.overdue > 0 && <div className="bg-red-600" style={{ width: `${(entry.overdue / entry.open) * 100}%` }} />}
                </div>
                <span className="tabular-nums" data-testid="workload-open">
                  {entry.open}
                </span>
              </div>
            </td>
            <td className={`py-2 text-right tabular-nums ${entry.overdue > 0 ? "font-semibold text-red-800" : ""}`}>{entry.overdue}</td>
            <td className="py-2 pl-3 text-right text-slate-700">{entry.nextDueLabel ?? "—"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
