import type { Metadata } from "next";
import Link from "next/link";
import { getProjectHistory, isHistoryCursorParam } from "@/lib/audit/history";
import { getViewerTimeZone } from "@/lib/request";
import { HistoryView, MalformedCursorNotice } from "@/components/audit/history-view";
import { ChainBadge } from "@/components/audit/chain-badge";
import { getVerifiedChainStatus } from "@/lib/audit/verify";
import { can } from "@/lib/policy";
import { loadProject } from "../load";

export const metadata: Metadata = { title: "Activity" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function ProjectActivityPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const zone = await getViewerTimeZone(actor);
  // A malformed cursor is refused by the history (422 on the API); here the newest page is shown, saying why.
  const given = await searchParams;
  const malformedCursor = !isHistoryCursorParam(given.before);
  const search = malformedCursor ? { ...given, before: undefined } : given;
  const [page, chain] = await Promise.all([getProjectHistory(actor, slug, search, zone), can(actor, "audit.viewAll", { kind: "global" }) ? getVerifiedChainStatus(actor) : null]);
  return (
    <section aria-labelledby="activity-heading" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="activity-heading" className="text-lg font-semibold">
          History
        </h2>
        <Link href={`/projects/${project.slug}/as-of`} className="text-sm text-indigo-800 underline">
          The checklist as of any moment
        </Link>
      </div>
      {chain && <ChainBadge status={chain} zone={zone} />}
      {malformedCursor && <MalformedCursorNotice />}
      <HistoryView events={page.events} filter={page.filter} nextCursor={page.nextCursor} basePath={`/projects/${project.slug}/activity`} zone={zone} caption={`History of ${project.name}`} project={project.slug} />
    </section>
  );
}
