import type { VerifyReport } from "@/lib/audit/verify";
import { describeChainBreak } from "@/lib/audit/format";
import { formatDateTime } from "@/lib/time";

/** A full verification's result in words: intact, or the first event that does not fit and why. */
export function ChainVerification({ report, zone }: { report: VerifyReport; zone: string }) {
  const events = `${report.checked.toLocaleString("en-US")} ${report.checked === 1 ? "event" : "events"}`;
  const facts = (
    <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
      <dt className="font-medium">Events verified</dt>
      <dd>{events}</dd>
      <dt className="font-medium">{report.ok ? "Newest event" : "Last intact event"}</dt>
      <dd>
        {report.lastSeq === 0 ? "none" : `number ${report.lastSeq.toLocaleString("en-US")}`}
        {report.lastOccurredAt ? `, recorded ${formatDateTime(new Date(report.lastOccurredAt), zone)}` : ""}
      </dd>
      <dt className="font-medium">{report.ok ? "Head hash" : "Its hash"}</dt>
      <dd>
        <code className="font-mono text-xs break-all">{report.lastHash}</code>
      </dd>
    </dl>
  );
  if (report.ok) {
    return (
      <section role="status" aria-labelledby="verify-result" className="flex flex-col gap-3 rounded-lg border border-emerald-300 bg-emerald-50 p-4 text-emerald-950">
        <h2 id="verify-result" className="text-lg font-semibold">
          The chain is intact
        </h2>
        <p className="text-sm">No event was edited, deleted, inserted or reordered since it was written. To prove later that nothing was rewritten after this point either, keep a signed checkpoint outside this server.</p>
        {facts}
      </section>
    );
  }
  const broken = report.firstBroken;
  return (
    <section role="alert" aria-labelledby="verify-result" className="flex flex-col gap-3 rounded-lg border border-red-300 bg-red-50 p-4 text-red-950">
      <h2 id="verify-result" className="text-lg font-semibold">
        The chain is broken
      </h2>
      {broken && (
        <p className="text-sm">
          At event number {broken.seq.toLocaleString("en-US")}
          {broken.id ? ` (database id ${broken.id})` : ""}: {describeChainBreak(broken.reason)} {broken.message}
        </p>
      )}
      <p className="text-sm">Everything before it verifies; nothing from there on can be trusted until it is explained.</p>
      {facts}
    </section>
  );
}
