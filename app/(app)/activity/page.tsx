import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { listAllActivity } from "@/lib/audit/data";
import { AuditTable } from "@/components/audit-table";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage({ searchParams }: { searchParams: Promise<{ before?: string }> }) {
  const actor = await requireActor();
  if (!can(actor, "audit.viewAll", { kind: "global" })) notFound();
  const { before } = await searchParams;
  const page = await listAllActivity(actor, before ?? null);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Activity</h1>
        <p className="text-sm text-slate-600">Every recorded change across all projects, newest first. The record is append-only.</p>
      </div>
      <AuditTable events={page.events} caption="All activity" />
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {before && (
          <Link href="/activity" className="text-indigo-800 hover:underline">
            Newest
          </Link>
        )}
        {page.nextCursor && (
          <Link href={`/activity?before=${encodeURIComponent(page.nextCursor)}`} className="text-indigo-800 hover:underline">
            Older events
          </Link>
        )}
      </nav>
    </div>
  );
}
