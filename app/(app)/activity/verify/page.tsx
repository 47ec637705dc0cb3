import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { requireActor } from "@/lib/auth";
import { can, type Actor } from "@/lib/policy";
import { verifyAuditTrail } from "@/lib/audit/verify";
import { getViewerTimeZone } from "@/lib/request";
import { ChainVerification } from "@/components/audit/chain-verification";

export const metadata: Metadata = { title: "Verify the audit chain" };

async function Result({ actor }: { actor: Actor }) {
  const [report, zone] = await Promise.all([verifyAuditTrail(actor), getViewerTimeZone(actor)]);
  return <ChainVerification report={report} zone={zone} />;
}

export default async function VerifyPage() {
  const actor = await requireActor();
  if (!can(actor, "audit.viewAll", { kind: "global" })) notFound();
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Verify the audit chain</h1>
        <p className="text-sm text-slate-600">
          Every event of the history is read in order and its hash recomputed from its content, so an event edited, deleted, inserted or reordered since it was written is found. The same check
          answers as JSON at{" "}
          <a href="/api/v1/audit/verify" className="text-indigo-800 underline">
            /api/v1/audit/verify
          </a>
          .
        </p>
      </div>
      <Suspense
        fallback={
          <div role="status" className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4">
            <p className="font-medium">Verifying every event…</p>
            <p className="text-sm text-slate-600">This reads the whole history: about 15 seconds per million events.</p>
            <progress className="h-2 w-full" aria-label="Verifying the audit chain" />
          </div>
        }
      >
        <Result actor={actor} />
      </Suspense>
      <p>
        <Link href="/activity" className="text-indigo-800 hover:underline">
          Back to the activity
        </Link>
      </p>
    </div>
  );
}
