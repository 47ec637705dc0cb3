import type { Metadata } from "next";
import Link from "next/link";
import { z } from "zod";
import { getChecklist, type ItemView } from "@/lib/checklists/data";
import { summarizeOverview, type OverviewItem } from "@/lib/checklists/overview";
import { areas } from "@/lib/checklists/types";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime } from "@/lib/time";
import { AreaProgressChart } from "@/components/overview/area-progress";
import { WorkloadChart } from "@/components/overview/workload-chart";
import { areaLabels } from "@/components/checklist/status";
import { InlineCode } from "@/components/checklist/item-row";
import { AreaSelect } from "@/components/checklist/area-select";
import { LevelSummary } from "@/components/checklist/level-summary";
import { loadProject } from "../load";

export const metadata: Metadata = { title: "Overview" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const filterSchema = z.object({ area: z.enum(areas).optional().catch(undefined) });
const LIST_LIMIT = 8;

function flatten(items: ItemView[]): ItemView[] {
  return items.flatMap((item) => [item, ...flatten(item.children)]);
}

function ItemList({ items, href, empty, zone, show }: { items: OverviewItem[]; href: string; empty: string; zone: string; show: "due" | "reason" | "area" }) {
  if (items.length === 0) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <>
      <ul className="flex flex-col divide-y divide-slate-100 text-sm">
        {items.slice(0, LIST_LIMIT).map((item) => (
          <li key={item.id} className="flex flex-col py-1.5">
            <Link href={`${href}#item-${item.id}`} className="text-indigo-900 hover:underline">
              <InlineCode text={item.title} />
            </Link>
            <span className="text-xs text-slate-600">
              {areaLabels[item.area]}
              {item.assigneeName ? ` · ${item.assigneeName}` : " · unassigned"}
              {show === "due" && item.dueAt && ` · due ${formatDateTime(new Date(item.dueAt), zone)}`}
              {show === "reason" && item.statusReason && ` · ${item.statusReason}`}
            </span>
          </li>
        ))}
      </ul>
      {items.length > LIST_LIMIT && <p className="mt-1 text-xs text-slate-600">and {items.length - LIST_LIMIT} more</p>}
    </>
  );
}

function Panel({ title, count, href, linkLabel, tone = "neutral", children }: { title: string; count: number; href: string; linkLabel: string; tone?: "neutral" | "bad" | "warn"; children: React.ReactNode }) {
  const tones = { neutral: "text-slate-900", bad: "text-red-800", warn: "text-amber-900" };
  const id = title.toLowerCase().replaceAll(" ", "-");
  return (
    <section aria-labelledby={id} className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex items-baseline justify-between gap-2">
        <h2 id={id} className="text-base font-semibold">
          {title} <span className={`tabular-nums ${count > 0 ? tones[tone] : "text-slate-600"}`}>({count})</span>
        </h2>
        {count > 0 && (
          <Link href={href} className="text-sm text-indigo-800 underline">
            {linkLabel}
          </Link>
        )}
      </div>
      {children}
    </section>
  );
}

export default async function OverviewPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const filter = filterSchema.parse(await searchParams);
  const [checklist, zone] = await Promise.all([getChecklist(actor, slug), getViewerTimeZone(actor)]);
  const items = checklist.sections.flatMap((section) => flatten(section.items)).filter((item) => !filter.area || item.area === filter.area);
  const overview = summarizeOverview(items, project.members.filter((member) => !member.disabled), areas);
  const base = `/projects/${slug}`;
  const areaQuery = filter.area ? `&area=${filter.area}` : "";
  const workload = overview.workload.map((entry) => ({ ...entry, nextDueLabel: entry.nextDueAt ? formatDateTime(new Date(entry.nextDueAt), zone) : null }));

  return (
    <div className="flex flex-col gap-5">
      <form method="get" action={`${base}/overview`} className="flex flex-wrap items-end gap-3" aria-label="Filter the overview">
        <AreaSelect value={filter.area} />
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
          Show
        </button>
        <p className="pb-1.5 text-sm text-slate-600">Times in {zone}. The address of this page keeps the filter, to share the view.</p>
      </form>

      {checklist.levels && <LevelSummary levels={checklist.levels} checklistHref={base} />}

      {overview.areas.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">No items {filter.area ? `in ${areaLabels[filter.area]}` : "yet"}.</p>
      ) : (
        <AreaProgressChart areas={overview.areas} />
      )}

      <div className="grid gap-4 md:grid-cols-2">
        <Panel title="Overdue" count={overview.overdue.length} href={`${base}?due=overdue${areaQuery}`} linkLabel="Open in checklist" tone="bad">
          <ItemList items={overview.overdue} href={base} empty="Nothing is overdue." zone={zone} show="due" />
        </Panel>
        <Panel title="Unassigned" count={overview.unassigned.length} href={`${base}?assignee=none&status=OPEN${areaQuery}`} linkLabel="Assign them" tone="warn">
          <ItemList items={overview.unassigned} href={base} empty="Every open item has someone." zone={zone} show="area" />
        </Panel>
        <Panel title="Blocked" count={overview.blocked.length} href={`${base}?status=BLOCKED${areaQuery}`} linkLabel="Open in checklist" tone="bad">
          <ItemList items={overview.blocked} href={base} empty="Nothing is blocked." zone={zone} show="reason" />
        </Panel>
        <Panel title="Due within two days" count={overview.dueSoon.length} href={`${base}?due=soon${areaQuery}`} linkLabel="Open in checklist" tone="warn">
          <ItemList items={overview.dueSoon} href={base} empty="Nothing is due in the next two days." zone={zone} show="due" />
        </Panel>
      </div>

      <section aria-labelledby="workload" className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
        <h2 id="workload" className="mb-2 text-base font-semibold">
          Workload
        </h2>
        {workload.length === 0 ? <p className="text-sm text-slate-600">Nobody holds open items.</p> : <WorkloadChart workload={workload} checklistHref={base} />}
      </section>
    </div>
  );
}
