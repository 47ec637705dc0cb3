import { decisionWords, inWords, signoffStateWords, slotWords } from "@/lib/words";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime } from "@/lib/time";
import { AppError } from "@/lib/errors";
import { getGoLive } from "@/lib/signoffs/data";
import { AreaBadge, StatusBadge } from "@/components/checklist/status";
import { ExportLinks } from "@/components/export-links";
import { loadProject } from "../../load";

export const metadata: Metadata = { title: "Go-live record" };

export default async function GoLivePage({ params }: { params: Promise<{ slug: string; id: string }> }) {
  const { slug, id } = await params;
  const { actor } = await loadProject(slug);
  const zone = await getViewerTimeZone(actor);
  const { goLive } = await getGoLive(actor, slug, id).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const { snapshot } = goLive;
  return (
    <div className="flex flex-col gap-5">
      <section aria-labelledby="record-heading" className="rounded-lg border border-indigo-300 bg-indigo-50 p-4">
        <h2 id="record-heading" className="text-lg font-semibold">
          Go-live record
        </h2>
        <p className="text-sm">
          Marked live by {goLive.markedByName} on {formatDateTime(new Date(goLive.markedAt), zone)}. This is the checklist and its sign-offs exactly as they stood then; later changes do not alter it.
        </p>
        <div className="mt-2">
          <ExportLinks
            label="Decision package (checklist, every sign-off round, waivers, audit excerpt, integrity):"
            links={[
              { href: `/api/v1/projects/${slug}/go-live/${id}/package?format=pdf`, label: "PDF" },
              { href: `/api/v1/projects/${slug}/go-live/${id}/package?format=md`, label: "Markdown" },
            ]}
          />
        </div>
      </section>
      <section aria-labelledby="record-signoffs" className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <h2 id="record-signoffs" className="px-4 pt-3 font-semibold">
          Sign-offs
        </h2>
        <table className="w-full text-left text-sm">
          <thead className="text-xs tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-4 py-2">Slot</th>
              <th scope="col" className="px-4 py-2">Round</th>
              <th scope="col" className="px-4 py-2">Decision</th>
              <th scope="col" className="px-4 py-2">Approver</th>
              <th scope="col" className="px-4 py-2">Signed</th>
              <th scope="col" className="px-4 py-2">Digest</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {snapshot.signoffs.map((signoff) => (
              <tr key={signoff.id}>
                <td className="px-4 py-2">{inWords(slotWords, signoff.slot)}</td>
                <td className="px-4 py-2">{signoff.round}</td>
                <td className="px-4 py-2">
                  {inWords(decisionWords, signoff.decision)} ({inWords(signoffStateWords, signoff.state)})
                </td>
                <td className="px-4 py-2">
                  {signoff.approverName}
                  {signoff.approverTitle && `, ${signoff.approverTitle}`}
                </td>
                <td className="px-4 py-2">{formatDateTime(new Date(signoff.signedAt), zone)}</td>
                <td className="px-4 py-2 font-mono text-xs break-all">{signoff.digest}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {snapshot.sections.map((section) => (
        <section key={section.id} aria-label={section.title} className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 className="mb-2 font-semibold">{section.title}</h2>
          <ul className="flex flex-col gap-1 text-sm">
            {snapshot.items
              .filter((item) => item.sectionId === section.id)
              .map((item) => (
                <li key={item.id} className={`flex flex-wrap items-center gap-2 ${item.parentId ? "ml-6" : ""}`}>
                  <StatusBadge status={item.status} />
                  <span className="flex-1">{item.title}</span>
                  <AreaBadge area={item.area} />
                  <span className="text-xs text-slate-600">{item.evidence.length} evidence</span>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
