import type { Metadata } from "next";
import Link from "next/link";
import { getSignoffPage, type SlotView } from "@/lib/signoffs/data";
import { ConfigureSlotsForm, MarkLiveForm, SignSlotForm } from "@/components/signoffs/signoff-forms";
import { capacityInSentence, plural, proofInWords } from "@/lib/words";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime } from "@/lib/time";
import { GatePanel } from "@/components/signoffs/gate-panel";
import { StatusBadge } from "@/components/checklist/status";
import { configureLevelsAction, configureSlotsAction, markLiveAction, signSlotAction } from "./actions";
import { getLevelSettings } from "@/lib/checklists/data";
import { LevelsForm } from "@/components/projects/levels-form";
import { loadProject } from "../load";

export const metadata: Metadata = { title: "Sign-offs" };

const slotNames = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "Go-live" } as const;
const LIST_LIMIT = 12;

function SlotCard({ view, projectId, zone, approveWithOpenItems, proofNeeded, proofMethods }: { view: SlotView; projectId: string; zone: string; approveWithOpenItems: boolean; proofNeeded: boolean; proofMethods: ("password" | "totp")[] }) {
  const { latest, readiness } = view;
  const state = latest ? (latest.state === "STALE" ? "Stale" : latest.decision === "APPROVED" ? "Approved" : "Rejected") : "Awaiting sign-off";
  const stateStyle = !latest ? "bg-slate-100 text-slate-800" : latest.state === "STALE" ? "bg-amber-100 text-amber-950" : latest.decision === "APPROVED" ? "bg-emerald-100 text-emerald-900" : "bg-red-100 text-red-900";
  return (
    <section aria-labelledby={`slot-${view.slot}`} className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid={`slot-${view.slot}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={`slot-${view.slot}`} className="text-lg font-semibold">
          {slotNames[view.slot]} sign-off
        </h2>
        <span className={`rounded px-2 py-0.5 text-sm font-semibold ${stateStyle}`} data-testid="slot-state">
          {state}
        </span>
      </div>
      {latest && (
        <div className="text-sm text-slate-800">
          <p>
            Round {latest.round}: {latest.decision === "APPROVED" ? "approved" : "rejected"} by <strong>{latest.approver.name}</strong>
            {latest.approver.title && `, ${latest.approver.title}`} (as {capacityInSentence(latest.approver.capacity)}), {formatDateTime(new Date(latest.signedAt), zone)}
          </p>
          {latest.openItems > 0 && (
            <p className="font-medium text-amber-900" data-testid="approved-with-open">
              Approved with {plural(latest.openItems, "required item")} not ready, confirmed by the approver.
            </p>
          )}
          {latest.meaning && (
            <p data-testid="signoff-meaning">
              <span className="font-medium">Meaning:</span> {latest.meaning}
            </p>
          )}
          {proofInWords({ reauthMethod: latest.reauth?.method, reauthAt: latest.reauth?.at, reauthBasis: latest.reauth?.basis }, latest.signedAt) && (
            <p data-testid="signoff-proof">
              <span className="font-medium">Identity:</span> {proofInWords({ reauthMethod: latest.reauth?.method, reauthAt: latest.reauth?.at, reauthBasis: latest.reauth?.basis }, latest.signedAt)}
            </p>
          )}
          {latest.reason && <p>Reason: {latest.reason}</p>}
          {latest.comment && <p>Comment: {latest.comment}</p>}
          <p className="text-xs text-slate-600">
            Digest <code className="font-mono">{latest.digest.slice(0, 16)}…</code>
            {latest.staleAt && ` · stale since ${formatDateTime(new Date(latest.staleAt), zone)}`}
          </p>
          {view.staleCause && <p data-testid="stale-cause">Why it went stale: {view.staleCause}.</p>}
        </div>
      )}
      <p className="text-sm">
        {readiness.items} items in scope: {readiness.done} done, {readiness.waived} waived, {readiness.notApplicable} not applicable, <strong>{readiness.open} open</strong>.
      </p>
      {view.waivers.length > 0 && (
        <div className="text-sm">
          <h3 className="font-semibold">Waivers</h3>
          <ul className="list-disc pl-5">
            {view.waivers.map((waiver) => (
              <li key={waiver.id}>
                {waiver.title}: risk owner {waiver.riskOwner}, expires {waiver.expiresAt?.slice(0, 10)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {view.openRequired.length > 0 && (
        <div className="text-sm">
          <h3 className="font-semibold">Required items still open</h3>
          <ul className="mt-1 flex flex-col gap-1">
            {view.openRequired.slice(0, LIST_LIMIT).map((item) => (
              <li key={item.id} className="flex items-center gap-2">
                <StatusBadge status={item.status as "TODO"} /> {item.title}
              </li>
            ))}
            {view.openRequired.length > LIST_LIMIT && <li className="text-slate-600">…and {view.openRequired.length - LIST_LIMIT} more</li>}
          </ul>
        </div>
      )}
      {view.changes && (
        <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="changes-since">
          <h3 className="font-semibold">Changed since round {latest?.round}</h3>
          <ul className="list-disc pl-5">
            {view.changes.changed.map((change) => (
              <li key={change.after.id}>
                {change.after.title}: {change.fields.map((field) => (field === "status" ? `status ${change.before.status} → ${change.after.status}` : field === "evidenceIds" ? "evidence changed" : field === "result" ? `latest result ${change.before.result ?? "none"} → ${change.after.result ?? "none"}` : `${field} changed`)).join(", ")}
              </li>
            ))}
            {view.changes.added.map((item) => (
              <li key={item.id}>Added: {item.title}</li>
            ))}
            {view.changes.removed.map((item) => (
              <li key={item.id}>Removed: {item.title}</li>
            ))}
          </ul>
        </div>
      )}
      {view.canSign && (
        <SignSlotForm
          action={signSlotAction}
          projectId={projectId}
          slot={view.slot}
          round={latest?.round ?? 0}
          digest={view.digest}
          openRequired={view.openRequired.length}
          approveWithOpenItems={approveWithOpenItems}
          approveRefusal={view.approveRefusal}
          meaning={view.meaning}
          proofNeeded={proofNeeded}
          proofMethods={proofMethods}
        />
      )}
      {view.signRefusal && (
        <p className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-800" data-testid="sign-refusal">
          {view.signRefusal}
        </p>
      )}
    </section>
  );
}

export default async function SignoffsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const [page, zone, levels] = await Promise.all([getSignoffPage(actor, slug), getViewerTimeZone(actor), getLevelSettings(actor, project)]);
  return (
    <div className="flex flex-col gap-5">
      <GatePanel gate={page.gate} zone={zone} />
      {page.goLives.length > 0 && (
        <p className="text-sm">
          Go-live record:{" "}
          {page.goLives.map((goLive) => (
            <Link key={goLive.id} href={`/projects/${slug}/go-live/${goLive.id}`} className="text-indigo-800 underline">
              marked live by {goLive.markedByName}, {formatDateTime(new Date(goLive.markedAt), zone)}
            </Link>
          ))}
        </p>
      )}
      {page.canMarkLive && (
        <section aria-labelledby="live-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="live-heading" className="mb-2 text-lg font-semibold">
            Go live
          </h2>
          <MarkLiveForm
            action={markLiveAction}
            projectId={page.project.id}
            projectName={page.project.name}
            signoffs={page.gate.signoffs.filter((signoff) => signoff.state === "CURRENT").length}
            refusals={[
              ...(page.gate.open ? [] : ["The project can be marked live once the gate is open."]),
              ...page.markLive.reasons.filter((reason) => reason.code === "GO_LIVE_NOT_REQUIRED" || reason.code === "GO_LIVE_NOT_INDEPENDENT").map((reason) => reason.message),
            ]}
            proofNeeded={page.proofNeeded}
            proofMethods={page.proofMethods}
          />
        </section>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        {page.slots.map((view) => (
          <SlotCard key={view.slot} view={view} projectId={page.project.id} zone={zone} approveWithOpenItems={page.approveWithOpenItems} proofNeeded={page.proofNeeded} proofMethods={page.proofMethods} />
        ))}
      </div>
      {page.slots.length === 0 && <p className="text-sm text-slate-600">This project requires no sign-offs.</p>}
      {page.canConfigure && (
        <section aria-labelledby="settings-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="settings-heading" className="mb-2 text-lg font-semibold">
            Sign-off settings
          </h2>
          <p className="mb-3 text-sm text-slate-600">These can change until the project is live. Changing the required sign-offs makes every current sign-off stale: its approver is told and signs again, and the change is in the go-live decision package.</p>
          <ConfigureSlotsForm
            action={configureSlotsAction}
            projectId={page.project.id}
            requiredSlots={page.gate.requiredSlots}
            ownersMayApprove={page.ownersMayApprove}
            approveWithOpenItems={page.approveWithOpenItems}
            separationOfDuties={page.separationOfDuties}
          />
        </section>
      )}
      {levels.canConfigure && (
        <section aria-labelledby="levels-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="levels-heading" className="mb-2 text-lg font-semibold">
            Levels
          </h2>
          <p className="mb-3 text-sm text-slate-600">Maturity levels say how ready the project aims to be (for example Experiment, Beta, GA). Each item belongs to one level; the gate, readiness and sign-offs consider the items at or below the target level.</p>
          <LevelsForm action={configureLevelsAction} projectId={project.id} levels={levels.levels} targetLevel={levels.targetLevel} />
        </section>
      )}
    </div>
  );
}
