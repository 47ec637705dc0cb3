import type { VerifiedChainStatus } from "@/lib/audit/verify";
import { describeChainBreak } from "@/lib/audit/format";
import { formatDateTime } from "@/lib/time";

/**
 * The audit chain's state at a glance, saying what it covers: the chain is verified event by
 * event as events arrive, from the position verified last (cheap on every view); the full
 * re-verification of every event is `npm run cli -- audit verify` or GET /api/v1/audit/verify.
 */
export function ChainBadge({ status, zone }: { status: VerifiedChainStatus; zone: string }) {
  const when = (instant: string | null) => (instant ? formatDateTime(new Date(instant), zone) : "never");
  if (status.ok) {
    const count = (value: number) => value.toLocaleString("en-US");
    return (
      <p role="status" data-testid="chain-badge" className="inline-flex flex-wrap items-center gap-2 rounded-md bg-emerald-50 px-3 py-1.5 text-sm text-emerald-900 ring-1 ring-emerald-300">
        <span className="font-semibold">Chain intact</span>
        <span>
          {status.verifiedSeq === 0 ? "no events yet" : `verified up to event ${count(status.verifiedSeq)} at ${when(status.verifiedAt)}`}
          {status.unverified > 0 ? `; ${count(status.unverified)} newer events not verified yet (the next views verify them)` : status.verifiedSeq > 0 ? ", the newest" : ""}
        </span>
        <code className="font-mono text-xs" title={status.verifiedHash}>
          {status.verifiedHash.slice(0, 16)}…
        </code>
        <span className="text-emerald-800">Whole chain last re-verified: {when(status.fullyVerifiedAt)}.</span>
        <a href="/activity/verify" className="underline">
          Verify the whole chain
        </a>
      </p>
    );
  }
  return (
    <p role="alert" data-testid="chain-badge" className="rounded-md bg-red-50 px-3 py-1.5 text-sm text-red-900 ring-1 ring-red-300">
      <span className="font-semibold">Chain broken</span> at event number {status.firstBroken?.seq ?? "?"}
      {status.brokenFoundAt ? ` (found by the full verification at ${when(status.brokenFoundAt)})` : ""}: {status.firstBroken ? describeChainBreak(status.firstBroken.reason) : ""} {status.firstBroken?.message}{" "}
      <a href="/activity/verify" className="underline">
        Verify the whole chain
      </a>
    </p>
  );
}
