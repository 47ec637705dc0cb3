import Link from "next/link";
import type { ProjectGate } from "@/lib/signoffs/data";
import { gateHeadline, type GateReason } from "@/lib/signoffs/gate";

const SHOWN = 8;
const SHOWN_COMPACT = 3;

/** Sign-off reasons first (few, and each names who must act), then the items. */
function ordered(reasons: readonly GateReason[]): GateReason[] {
  const isItem = (reason: GateReason) => reason.code === "ITEM_OPEN" || reason.code === "WAIVER_EXPIRED";
  return [...reasons.filter((reason) => !isItem(reason)), ...reasons.filter(isItem)];
}

/**
 * Whether the project may go live, with the reasons it may not: all of them (the first items,
 * then a count) on the sign-off page; the first few and a link to the rest where space is short.
 * A live project whose gate closed again (items added or reopened, sign-offs stale) says so.
 */
export function GatePanel({ gate, zone, compact = false, allReasonsHref }: { gate: ProjectGate; zone: string; compact?: boolean; allReasonsHref?: string }) {
  const reasons = ordered(gate.reasons);
  const shown = reasons.slice(0, compact ? SHOWN_COMPACT : SHOWN + reasons.filter((reason) => reason.code !== "ITEM_OPEN" && reason.code !== "WAIVER_EXPIRED").length);
  const rest = reasons.length - shown.length;
  const relapsed = gate.liveAt !== null && !gate.open;
  const tone = relapsed ? "border-red-300 bg-red-50" : gate.liveAt ? "border-indigo-300 bg-indigo-50" : gate.open ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50";
  return (
    <section aria-label="Go-live gate" data-testid="gate" className={`rounded-lg border p-4 ${tone}`}>
      <p className="font-semibold" data-testid="gate-status">
        {gateHeadline(gate, zone)}
      </p>
      {!gate.open && (
        <ul className="mt-2 list-disc pl-5 text-sm" data-testid="gate-reasons">
          {shown.map((reason) => (
            <li key={reason.message}>{reason.message}</li>
          ))}
          {rest > 0 && (
            <li>
              {allReasonsHref ? (
                <Link href={allReasonsHref} className="text-indigo-800 underline">
                  {`…and ${rest} more: every reason`}
                </Link>
              ) : (
                `…and ${rest} more.`
              )}
            </li>
          )}
        </ul>
      )}
    </section>
  );
}
