import type { ChainStatus } from "@/lib/audit/verify";
import { describeChainBreak } from "@/lib/audit/format";

/**
 * The audit chain's state at a glance: the newest events checked against the chain head on
 * every view (cheap); the full proof is `npm run cli -- audit verify` or GET /api/v1/audit/verify.
 */
export function ChainBadge({ status }: { status: ChainStatus }) {
  if (status.ok) {
    return (
      <p role="status" data-testid="chain-badge" className="inline-flex flex-wrap items-center gap-2 rounded-md bg-emerald-50 px-3 py-1.5 text-sm text-emerald-900 ring-1 ring-emerald-300">
        <span className="font-semibold">Chain intact</span>
        <span>
          events {status.fromSeq.toLocaleString("en-US")}–{status.lastSeq.toLocaleString("en-US")} verified against the head
        </span>
        <code className="font-mono text-xs" title={status.lastHash}>
          {status.lastHash.slice(0, 16)}…
        </code>
        <a href="/activity/verify" className="underline">
          Verify the whole chain
        </a>
      </p>
    );
  }
  return (
    <p role="alert" data-testid="chain-badge" className="rounded-md bg-red-50 px-3 py-1.5 text-sm text-red-900 ring-1 ring-red-300">
      <span className="font-semibold">Chain broken</span> at event number {status.firstBroken?.seq ?? "?"}: {status.firstBroken ? describeChainBreak(status.firstBroken.reason) : ""} {status.firstBroken?.message}{" "}
      <a href="/activity/verify" className="underline">
        Verify the whole chain
      </a>
    </p>
  );
}
