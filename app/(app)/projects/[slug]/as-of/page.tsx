import { plural } from "@/lib/words";
import { decisionWords, signoffStateWords, slotWords } from "@/lib/words";
import type { Metadata } from "next";
import Link from "next/link";
import { getChecklistAsOf } from "@/lib/audit/as-of";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime, instantOf, localDateTimeIn } from "@/lib/time";
import { ChecklistActionsProvider } from "@/components/checklist/checklist-actions";
import { ChecklistSections } from "@/components/checklist/checklist-sections";
import { ProgressChart } from "@/components/checklist/progress-chart";
import { GatePanel } from "@/components/signoffs/gate-panel";
import { loadItemDetailAsOfAction, readOnlyAction } from "./actions";
import { loadProject } from "../load";

export const metadata: Metadata = { title: "As of" };

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<{ at?: string }> };

const readOnly = { work: false, waive: false, comment: false };

export default async function AsOfPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { actor } = await loadProject(slug);
  const zone = await getViewerTimeZone(actor);
  const { at: requested } = await searchParams;
  const now = new Date();
  const parsed = requested ? instantOf(requested, zone) : null;
  const at = parsed && parsed < now ? parsed : now;
  const view = await getChecklistAsOf(actor, slug, at, {}, zone);
  const base = `/projects/${slug}`;
  const atIso = at.toISOString();
  return (
    <div className="flex flex-col gap-5">
      <section aria-labelledby="as-of-heading" className="flex flex-col gap-3 rounded-lg border border-indigo-300 bg-indigo-50 p-4">
        <h2 id="as-of-heading" className="text-lg font-semibold">
          The checklist as of {formatDateTime(at, zone)} <span className="text-sm font-normal text-slate-700">({zone})</span>
        </h2>
        <p className="text-sm text-slate-800">Rebuilt from the audit trail ({plural(view.state.events, "event")}): statuses, assignees, evidence and sign-offs exactly as they stood then. Nothing here can be changed.</p>
        <form method="get" action={`${base}/as-of`} className="flex flex-wrap items-end gap-3" aria-label="Choose a moment">
          <label className="flex flex-col gap-1 text-sm font-medium">
            Moment ({zone})
            <input type="datetime-local" name="at" defaultValue={localDateTimeIn(at, zone)} max={localDateTimeIn(now, zone)} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal" />
          </label>
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
            Show
          </button>
          <Link href={`${base}/as-of`} className="py-1.5 text-sm text-indigo-800 underline">
            Now
          </Link>
          {view.state.liveAt && (
            <Link href={`${base}/as-of?at=${encodeURIComponent(localDateTimeIn(new Date(view.state.liveAt), zone))}`} className="py-1.5 text-sm text-indigo-800 underline">
              At go-live
            </Link>
          )}
        </form>
        {view.state.gaps.length > 0 && (
          <p role="note" className="rounded-md bg-amber-50 p-2 text-sm text-amber-950">
            {plural(view.state.gaps.length, "event")} could not be applied exactly (recorded before the history kept every field); the rows they touched may differ from what was shown then.
          </p>
        )}
      </section>
      <GatePanel gate={view.gate} zone={zone} compact />
      <ProgressChart counts={view.totals.byStatus} total={view.totals.items} required={view.totals.required} requiredSatisfied={view.totals.requiredSatisfied} />
      {view.sections.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">The checklist had no items at that moment.</p>
      ) : (
        <ChecklistActionsProvider
          permissions={{ DEVOPS: readOnly, DBA: readOnly, SECURITY: readOnly, GENERAL: readOnly }}
          actions={{ updateItem: readOnlyAction, addEvidence: readOnlyAction, removeEvidence: readOnlyAction, addComment: readOnlyAction, loadItemDetail: loadItemDetailAsOfAction.bind(null, slug, atIso) }}
        >
          <ChecklistSections sections={view.sections} flattened={false} timeZone={zone} />
        </ChecklistActionsProvider>
      )}
      <section aria-labelledby="as-of-signoffs" className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <h2 id="as-of-signoffs" className="px-4 pt-3 font-semibold">
          Sign-off rounds then
        </h2>
        {view.state.signoffs.length === 0 ? (
          <p className="px-4 py-3 text-sm text-slate-600">No sign-offs yet at that moment.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-xs tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-4 py-2">Slot</th>
                <th scope="col" className="px-4 py-2">Round</th>
                <th scope="col" className="px-4 py-2">Decision</th>
                <th scope="col" className="px-4 py-2">State then</th>
                <th scope="col" className="px-4 py-2">Approver</th>
                <th scope="col" className="px-4 py-2">Signed</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {view.state.signoffs.map((signoff) => (
                <tr key={signoff.id} data-testid="as-of-signoff">
                  <td className="px-4 py-2">{slotWords[signoff.slot]}</td>
                  <td className="px-4 py-2 tabular-nums">{signoff.round}</td>
                  <td className="px-4 py-2">{decisionWords[signoff.decision]}</td>
                  <td className="px-4 py-2">{signoffStateWords[signoff.state]}</td>
                  <td className="px-4 py-2">
                    {signoff.approverName}
                    {signoff.approverTitle && <span className="text-slate-600">, {signoff.approverTitle}</span>}
                  </td>
                  <td className="px-4 py-2 whitespace-nowrap">{formatDateTime(new Date(signoff.signedAt), zone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
