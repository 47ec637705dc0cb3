import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { getGlobalHistory, isHistoryCursorParam } from "@/lib/audit/history";
import { listProjectsForActor } from "@/lib/projects/data";
import { getViewerTimeZone } from "@/lib/request";
import { HistoryView, MalformedCursorNotice } from "@/components/audit/history-view";
import { ChainBadge } from "@/components/audit/chain-badge";
import { getVerifiedChainStatus } from "@/lib/audit/verify";

export const metadata: Metadata = { title: "Activity" };

export default async function ActivityPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  if (!can(actor, "audit.viewAll", { kind: "global" })) notFound();
  const zone = await getViewerTimeZone(actor);
  // A malformed cursor is refused by the history (422 on the API); here the newest page is shown, saying why.
  const given = await searchParams;
  const malformedCursor = !isHistoryCursorParam(given.before);
  const search = malformedCursor ? { ...given, before: undefined } : given;
  const [page, projects, chain] = await Promise.all([getGlobalHistory(actor, search, zone), listProjectsForActor(actor), getVerifiedChainStatus(actor)]);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Activity</h1>
        <p className="text-sm text-slate-600">Every recorded change across all projects, newest first. The record is append-only and hash-chained; the filters stay in the address, to share a view.</p>
      </div>
      <ChainBadge status={chain} zone={zone} />
      {malformedCursor && <MalformedCursorNotice />}
      <HistoryView events={page.events} filter={page.filter} nextCursor={page.nextCursor} basePath="/activity" zone={zone} projects={projects.map((project) => ({ slug: project.slug, name: project.name }))} caption="All activity" />
    </div>
  );
}
