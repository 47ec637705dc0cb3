import Link from "next/link";
import type { LevelsView } from "@/lib/checklists/data";
import { plural } from "@/lib/words";

/**
 * Where a checklist with levels stands: the highest level reached, the target, and what the next
 * level lacks, with a link to those items (the open items of that level).
 */
export function LevelSummary({ levels, checklistHref }: { levels: LevelsView; checklistHref: string }) {
  const reached = levels.reached === null ? "none yet" : levels.names[levels.reached];
  const target = levels.names[levels.target];
  const next = levels.next === null ? null : levels.names[levels.next];
  const aboveTarget = levels.target < levels.names.length - 1;
  return (
    <section aria-label="Maturity level" data-testid="level-summary" className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm shadow-sm">
      <p>
        <span className="font-semibold">Level reached: {reached}</span> · target {target}
      </p>
      {levels.next !== null && next ? (
        <p data-testid="level-missing">
          Missing for {next}:{" "}
          <Link href={`${checklistHref}?level=${levels.next}&status=OPEN`} className="text-indigo-800 underline">
            {plural(levels.missing, "required item")} not ready
          </Link>
        </p>
      ) : (
        <p>Every level is reached.</p>
      )}
      {aboveTarget && <p className="text-slate-600">Items above {target} show on the checklist but do not hold up the gate, readiness or sign-offs.</p>}
    </section>
  );
}
