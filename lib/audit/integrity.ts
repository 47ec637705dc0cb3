import type { Integrity } from "@/lib/audit/decision-package";
import { verifyAuditChain } from "@/lib/audit/verify";

/**
 * The audit record's integrity now, for documents that state it: the whole chain verified, and
 * the hash it was verified up to (what a reader compares with a checkpoint kept elsewhere).
 */
export async function currentIntegrity(): Promise<Integrity> {
  const report = await verifyAuditChain();
  return {
    ok: report.ok,
    checked: report.checked,
    headSeq: String(report.lastSeq),
    headHash: report.lastHash,
    detail: report.ok
      ? "Every event's hash matches its content and links to the one before; no event is missing, inserted or reordered up to this hash."
      : `First break at event seq ${report.firstBroken?.seq ?? "?"} (${report.firstBroken?.reason ?? "unknown"}): ${report.firstBroken?.message ?? ""}`,
  };
}
