"use client";

import { useActionState, useCallback, useEffect, useId, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import Markdown from "react-markdown";
import { FormMessage, SubmitButton } from "@/components/form";
import { ConfirmSubmit } from "@/components/confirm-submit";
import { initialFormState, type FormState } from "@/lib/form-state";
import type { ItemDetail, ItemRowData } from "@/lib/checklists/data";
import { areas, itemStatuses, type ItemStatus } from "@/lib/checklists/types";
import { useChecklistActions } from "./checklist-actions";
import { AssignItemForm } from "./assign-form";
import { ChecksSection } from "./item-checks";
import { announceItemSaved } from "./saved-announcer";
import { areaLabels, statusLabels } from "./status";
import { waiverRequestWords } from "@/lib/words";
import { ProofField, type ProofChoice } from "@/components/signoffs/signoff-forms";

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm aria-invalid:border-red-600";

/** Re-fetches server data after a successful change, so versions and counts stay current. */
function useRefreshOnSuccess(state: FormState, after?: () => void) {
  const router = useRouter();
  const afterRef = useRef(after);
  useEffect(() => {
    afterRef.current = after;
  });
  const { ok, submittedAt } = state;
  useEffect(() => {
    if (ok && submittedAt) {
      router.refresh();
      afterRef.current?.();
    }
  }, [ok, submittedAt, router]);
}

/**
 * A refusal is about the item as it was then: once a later change to the item succeeds (its
 * version moved on), the old error is hidden rather than left standing beside the new state.
 */
function useFreshState(state: FormState, version: number): FormState {
  const [answeredAt, setAnsweredAt] = useState({ submittedAt: state.submittedAt, version });
  if (state.submittedAt !== answeredAt.submittedAt) setAnsweredAt({ submittedAt: state.submittedAt, version });
  return state.ok || answeredAt.version === version ? state : initialFormState;
}

function Field({ label, name, state, children, hint }: { label: string; name: string; state: FormState; children: (id: string, invalid: boolean) => React.ReactNode; hint?: string }) {
  const id = useId();
  const errors = state.fieldErrors?.[name];
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
      </label>
      {children(id, Boolean(errors))}
      {/* An error replaces the hint: it says what to fix, so the help is not repeated. */}
      {errors ? <p className="text-xs font-medium text-red-700">{errors.join(" ")}</p> : hint && <p className="text-xs text-slate-600">{hint}</p>}
    </div>
  );
}

function ConflictNotice({ state }: { state: FormState }) {
  const router = useRouter();
  const current = state.data?.current as { status?: string; statusReason?: string | null; version?: number; details?: string } | undefined;
  if (!current) return null;
  const yours = typeof state.values?.status === "string" ? (state.values.status as ItemStatus) : null;
  return (
    <div role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
      <p className="font-medium">This item changed while you were editing it. Your change was not saved; what you chose is still in the form.</p>
      <dl className="mt-1 grid grid-cols-[max-content_1fr] gap-x-3">
        <dt>Now</dt>
        <dd>
          <strong>{statusLabels[(current.status ?? "TODO") as ItemStatus]}</strong>
          {current.statusReason ? `: ${current.statusReason}` : ""} (version {current.version})
        </dd>
        {yours && (
          <>
            <dt>Yours</dt>
            <dd>
              <strong>{statusLabels[yours]}</strong>
              {typeof state.values?.statusReason === "string" && state.values.statusReason ? `: ${state.values.statusReason}` : ""}
            </dd>
          </>
        )}
      </dl>
      <button type="button" onClick={() => router.refresh()} className="mt-2 rounded border border-amber-400 bg-white px-2 py-1 font-medium hover:bg-amber-100">
        Show the latest version
      </button>
    </div>
  );
}

/**
 * What a field shows: after a refused save, what the person had typed (the form keeps their work);
 * otherwise the item's value.
 */
function kept(state: FormState, name: string, fallback: string): string {
  const value = state.values?.[name];
  return !state.ok && typeof value === "string" ? value : fallback;
}

function UpdateForm({ item, details }: { item: ItemRowData; details: string | null }) {
  const { updateItem, permissions, riskOwners, levels } = useChecklistActions();
  // Announced when the answer arrives, not from an effect of this form: the refreshed page that
  // comes with the answer may no longer hold this row (My work lists open items only).
  const saveAndAnnounce = useCallback(
    async (previous: FormState, formData: FormData) => {
      const result = await updateItem(previous, formData);
      if (result.ok) announceItemSaved(result.message);
      return result;
    },
    [updateItem],
  );
  const [answer, action] = useActionState(saveAndAnnounce, initialFormState);
  const state = useFreshState(answer, item.version);
  // Remounts the text fields with `kept` values after each answer (React resets a form after its action).
  const fieldKey = `${item.id}-${item.version}-${state.submittedAt ?? 0}`;
  const [status, setStatus] = useState<ItemStatus>(item.status);
  const [seenVersion, setSeenVersion] = useState(item.version);
  if (seenVersion !== item.version) {
    // A newer version arrived from the server: show its status.
    setSeenVersion(item.version);
    setStatus(item.status);
  }
  useRefreshOnSuccess(state);
  // A waiver names a member as its risk owner: it is requested where the members are listed.
  const statusOptions = itemStatuses.filter((option) => option !== "WAIVED" || (permissions[item.area].waive && riskOwners) || item.status === "WAIVED");
  const needsReason = status === "NOT_APPLICABLE" || status === "BLOCKED" || status === "WAIVED";
  const reasonLabel = status === "WAIVED" ? "Risk accepted (reason)" : status === "BLOCKED" ? "What blocks it" : "Why it does not apply";
  return (
    <form action={action} className="flex flex-col gap-3" aria-label={`Update ${item.title}`}>
      <input type="hidden" name="itemId" value={item.id} />
      <input type="hidden" name="expectedVersion" value={item.version} />
      <ConflictNotice state={state} />
      {!state.data?.current && <FormMessage state={state} />}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Status" name="status" state={state}>
          {(id) => (
            <select id={id} name="status" value={status} onChange={(event) => setStatus(event.target.value as ItemStatus)} className={inputClass}>
              {statusOptions.map((option) => (
                <option key={option} value={option}>
                  {statusLabels[option]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Area" name="area" state={state}>
          {(id) => (
            <select id={id} name="area" defaultValue={kept(state, "area", item.area)} key={fieldKey} className={inputClass}>
              {areas.map((area) => (
                <option key={area} value={area}>
                  {areaLabels[area]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {levels && levels.names.length > 0 && (
          <Field label="Level" name="level" state={state} hint={`Items above the target level (${levels.names[levels.target] ?? ""}) do not hold up the gate.`}>
            {(id, invalid) => (
              <select id={id} name="level" defaultValue={kept(state, "level", String(item.level ?? 0))} key={fieldKey} aria-invalid={invalid || undefined} className={inputClass}>
                {levels.names.map((name, index) => (
                  <option key={name} value={index}>
                    {name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
      </div>
      {needsReason && (
        <Field label={reasonLabel} name="statusReason" state={state}>
          {(id, invalid) => <textarea id={id} key={fieldKey} name="statusReason" rows={2} defaultValue={kept(state, "statusReason", item.status === status ? (item.statusReason ?? "") : "")} aria-invalid={invalid || undefined} className={inputClass} />}
        </Field>
      )}
      {status === "WAIVED" && (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="Risk owner"
            name="waiverRiskOwnerId"
            state={state}
            hint={item.waiver && !item.waiver.riskOwnerId && item.waiver.riskOwner ? `Recorded as “${item.waiver.riskOwner}” before risk owners were members: choose the member who owns the risk.` : "The member accountable for the accepted risk; they are told."}
          >
            {(id, invalid) =>
              riskOwners ? (
                <select id={id} key={fieldKey} name="waiverRiskOwnerId" defaultValue={kept(state, "waiverRiskOwnerId", item.waiver?.riskOwnerId ?? "")} aria-invalid={invalid || undefined} className={inputClass}>
                  <option value="">Choose a member</option>
                  {riskOwners.map((member) => (
                    <option key={member.id} value={member.id}>
                      {member.name}
                    </option>
                  ))}
                </select>
              ) : (
                <>
                  <input id={id} readOnly value={item.waiver?.riskOwner ?? ""} className={`${inputClass} bg-slate-50`} />
                  {item.waiver?.riskOwnerId && <input type="hidden" name="waiverRiskOwnerId" value={item.waiver.riskOwnerId} />}
                </>
              )
            }
          </Field>
          <Field label="Waiver expires on" name="waiverExpiresAt" state={state} hint="After this date the item counts as not done again.">
            {(id, invalid) => <input id={id} key={fieldKey} type="date" name="waiverExpiresAt" defaultValue={kept(state, "waiverExpiresAt", item.waiver?.expiresAt ?? "")} aria-invalid={invalid || undefined} className={inputClass} />}
          </Field>
          <div className="sm:col-span-2">
            <Field label="Compensating controls (optional)" name="waiverControls" state={state}>
              {(id) => <textarea id={id} key={fieldKey} name="waiverControls" rows={2} defaultValue={kept(state, "waiverControls", item.waiver?.controls ?? "")} className={inputClass} />}
            </Field>
          </div>
        </div>
      )}
      <fieldset className="flex flex-col gap-2">
        <legend className="text-sm font-medium text-slate-800">Evidence with this change</legend>
        <p className="text-xs text-slate-600">{item.required ? "A required item is done only with evidence: add a link or a note here unless it already has some." : "A link or a note, recorded as evidence with this change."}</p>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Link" name="link" state={state}>
            {(id, invalid) => <input id={id} key={fieldKey} name="link" type="url" inputMode="url" placeholder="https://…" defaultValue={kept(state, "link", "")} aria-invalid={invalid || undefined} className={inputClass} />}
          </Field>
          <Field label="Note" name="note" state={state}>
            {(id, invalid) => <textarea id={id} key={fieldKey} name="note" rows={2} placeholder="How was it checked?" defaultValue={kept(state, "note", "")} aria-invalid={invalid || undefined} className={inputClass} />}
          </Field>
        </div>
      </fieldset>
      {details !== null && (
        <details>
          <summary className="cursor-pointer text-sm text-indigo-800">Edit details</summary>
          <Field label="Details (Markdown)" name="details" state={state}>
            {(id) => <textarea id={id} name="details" rows={5} defaultValue={kept(state, "details", details)} key={fieldKey} className={`${inputClass} font-mono`} />}
          </Field>
        </details>
      )}
      <div>
        <SubmitButton pendingLabel="Saving…">Save</SubmitButton>
      </div>
    </form>
  );
}

function EvidenceSection({ item, detail, reload }: { item: ItemRowData; detail: ItemDetail | null; reload: () => void }) {
  const { addEvidence, removeEvidence, permissions } = useChecklistActions();
  const canWork = permissions[item.area].work;
  const [added, action] = useActionState(addEvidence, initialFormState);
  const [removed, removeAction] = useActionState(removeEvidence, initialFormState);
  const state = useFreshState(added, item.version);
  const removeState = useFreshState(removed, item.version);
  useRefreshOnSuccess(state, reload);
  useRefreshOnSuccess(removeState, reload);
  return (
    <section aria-label="Evidence" className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold">Evidence</h4>
      {!detail ? (
        <p className="text-sm text-slate-600" role="status">
          Loading…
        </p>
      ) : detail.evidence.length === 0 ? (
        <p className="text-sm text-slate-600">No evidence yet.</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {detail.evidence.map((entry) => (
            <li key={entry.id} className="flex flex-wrap items-baseline gap-2" data-testid="evidence">
              {entry.url ? (
                <a href={entry.url} rel="noopener noreferrer nofollow" target="_blank" className="break-all text-indigo-800 underline">
                  {entry.url}
                </a>
              ) : null}
              {entry.note && <span className="whitespace-pre-wrap">{entry.note}</span>}
              <span className="text-xs text-slate-600">
                {entry.addedByName}, <time dateTime={entry.createdAt}>{entry.createdLabel}</time>
              </span>
              {canWork && (
                <form action={removeAction}>
                  <input type="hidden" name="itemId" value={item.id} />
                  <input type="hidden" name="expectedVersion" value={item.version} />
                  <input type="hidden" name="evidenceId" value={entry.id} />
                  <button type="submit" className="text-xs text-red-700 underline">
                    Remove<span className="sr-only"> evidence {entry.url ?? entry.note}</span>
                  </button>
                </form>
              )}
            </li>
          ))}
        </ul>
      )}
      <FormMessage state={removeState} />
      {canWork && (
        <form action={action} className="flex flex-col gap-2 sm:flex-row sm:items-end" aria-label="Add evidence link">
          <input type="hidden" name="itemId" value={item.id} />
          <input type="hidden" name="expectedVersion" value={item.version} />
          <input type="hidden" name="kind" value="LINK" />
          <div className="flex-1">
            <Field label="Link" name="url" state={state}>
              {(id, invalid) => <input id={id} name="url" type="url" placeholder="https://…" aria-invalid={invalid || undefined} className={inputClass} />}
            </Field>
          </div>
          <div className="flex-1">
            <Field label="Note about the link (optional)" name="note" state={state}>
              {(id) => <input id={id} name="note" className={inputClass} />}
            </Field>
          </div>
          <SubmitButton variant="secondary" pendingLabel="Adding…">
            Add link
          </SubmitButton>
        </form>
      )}
      {state.data?.current ? <ConflictNotice state={state} /> : <FormMessage state={state} />}
    </section>
  );
}

/** Results pushed by pipelines or checks: the latest one, and the ones before it. Shown once there is one. */
function ResultsSection({ detail }: { detail: ItemDetail | null }) {
  if (!detail || detail.results.length === 0) return null;
  const [latest, ...earlier] = detail.results;
  if (!latest) return null;
  return (
    <section aria-label="Results" className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold">Results</h4>
      <ResultLine result={latest} latest />
      {earlier.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer text-slate-700">
            {earlier.length} earlier {earlier.length === 1 ? "result" : "results"}
          </summary>
          <ul className="mt-1 flex flex-col gap-1">
            {earlier.map((result) => (
              <li key={result.id}>
                <ResultLine result={result} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** Re-attestation: how often the evidence of the item must be renewed, by when, and (for leads) the setting. */
function RenewalSection({ item, detail }: { item: ItemRowData; detail: ItemDetail | null }) {
  const { updateItem } = useChecklistActions();
  const [answer, action] = useActionState(updateItem, initialFormState);
  const state = useFreshState(answer, item.version);
  useRefreshOnSuccess(state);
  const id = useId();
  if (!detail || (!detail.renewal.everyDays && !detail.canEditRequirements)) return null;
  const { everyDays, dueAt, dueLabel } = detail.renewal;
  const errors = state.fieldErrors?.renewEveryDays;
  return (
    <section aria-label="Evidence renewal" className="flex flex-col gap-2 text-sm">
      <h4 className="font-semibold">Evidence renewal</h4>
      <p className="text-slate-700">
        {everyDays ? (
          <>
            Renewed every {everyDays} days
            {dueAt && dueLabel && (
              <>
                : next by <time dateTime={dueAt}>{dueLabel}</time>, or the item goes back to to do
              </>
            )}
            .
          </>
        ) : (
          "Not required: evidence stays valid until someone changes the item."
        )}
      </p>
      {detail.canEditRequirements && (
        <form action={action} className="flex flex-wrap items-end gap-2" aria-label={`Evidence renewal of ${item.title}`}>
          <input type="hidden" name="itemId" value={item.id} />
          <input type="hidden" name="expectedVersion" value={item.version} />
          <div className="flex flex-col gap-1">
            <label htmlFor={id} className="font-medium text-slate-800">
              Renew every (days)
            </label>
            <input
              id={id}
              name="renewEveryDays"
              inputMode="numeric"
              defaultValue={everyDays ?? ""}
              key={`${item.version}-${everyDays}`}
              placeholder="never"
              aria-invalid={errors ? true : undefined}
              aria-describedby={errors ? `${id}-error` : undefined}
              className="w-28 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm shadow-sm aria-invalid:border-red-600"
            />
          </div>
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            Save renewal
          </SubmitButton>
          {errors && (
            <p id={`${id}-error`} className="w-full text-xs font-medium text-red-700">
              {errors.join(" ")}
            </p>
          )}
          {!errors && <FormMessage state={state} />}
        </form>
      )}
    </section>
  );
}

function ResultLine({ result, latest = false }: { result: ItemDetail["results"][number]; latest?: boolean }) {
  const facts = Object.entries(result.facts);
  return (
    <div className="flex flex-col gap-0.5 text-sm" data-testid={latest ? "latest-result" : "result"}>
      <div className="flex flex-wrap items-baseline gap-2">
        <span className={`rounded px-1.5 py-0.5 text-xs font-semibold ${result.outcome === "PASS" ? "bg-emerald-100 text-emerald-900" : "bg-red-100 text-red-900"}`}>{result.outcome === "PASS" ? "Passed" : "Failed"}</span>
        {!result.counted && <span className="rounded border border-amber-400 px-1.5 py-0.5 text-xs text-amber-900">not counted yet: waiting for it to fail again</span>}
        <span className="whitespace-pre-wrap">{result.summary}</span>
        {result.url && (
          <a href={result.url} rel="noopener noreferrer nofollow" target="_blank" className="text-indigo-800 underline">
            run<span className="sr-only"> of {result.recordedLabel}</span>
          </a>
        )}
        <span className="text-xs text-slate-600">
          {result.actorName}, <time dateTime={result.recordedAt}>{result.recordedLabel}</time>
        </span>
      </div>
      {latest && facts.length > 0 && (
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 text-xs text-slate-700">
          {facts.map(([name, value]) => (
            <div key={name} className="contents">
              <dt className="font-medium">{name}</dt>
              <dd className="break-all font-mono">{typeof value === "string" ? value : JSON.stringify(value)}</dd>
            </div>
          ))}
        </dl>
      )}
    </div>
  );
}

function CommentsSection({ item, detail, reload, canComment }: { item: ItemRowData; detail: ItemDetail | null; reload: () => void; canComment: boolean }) {
  const { addComment } = useChecklistActions();
  const [state, action] = useActionState(addComment, initialFormState);
  useRefreshOnSuccess(state, reload);
  return (
    <section aria-label="Comments" className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold">Comments</h4>
      {detail && detail.comments.length === 0 && <p className="text-sm text-slate-600">No comments yet.</p>}
      {detail && detail.comments.length > 0 && (
        <ul className="flex flex-col gap-2 text-sm">
          {detail.comments.map((comment) => (
            <li key={comment.id} className="rounded-md bg-slate-50 p-2" data-testid="comment">
              <p className="text-xs text-slate-600">
                {comment.authorName}, <time dateTime={comment.createdAt}>{comment.createdLabel}</time>
              </p>
              <p className="whitespace-pre-wrap">{comment.body}</p>
            </li>
          ))}
        </ul>
      )}
      {canComment && (
        <form action={action} className="flex flex-col gap-2" aria-label="Add comment">
          <input type="hidden" name="itemId" value={item.id} />
          <Field label="Comment" name="body" state={state}>
            {(id, invalid) => <textarea id={id} name="body" rows={2} aria-invalid={invalid || undefined} className={inputClass} />}
          </Field>
          <div>
            <SubmitButton variant="secondary" pendingLabel="Posting…">
              Post comment
            </SubmitButton>
          </div>
        </form>
      )}
      <FormMessage state={state} />
    </section>
  );
}

/**
 * The ways of proving who they are a refused signing offered (lib/users/proof.ts puts them in
 * `data.proofRequired`), the authenticator's code first as on the sign-off page.
 */
function proofMethodsAsked(state: FormState): ProofChoice[] {
  const asked = (state.data?.proofRequired as { methods?: unknown } | undefined)?.methods;
  const methods: unknown[] = Array.isArray(asked) ? asked : [];
  return (["totp", "password"] as const).filter((method) => methods.includes(method));
}

/**
 * A pending waiver request: says who asked, and lets an approver or lead other than them accept or
 * decline it. Accepting is a signature: when the session's last proof is older than the signing
 * window the server refuses it and the password (or code) field comes up, to accept again with it.
 */
function WaiverDecision({ item }: { item: ItemRowData }) {
  const { acceptWaiver, declineWaiver } = useChecklistActions();
  const noop = useCallback(async (previous: FormState) => previous, []);
  const [accepted, acceptAction] = useActionState(acceptWaiver ?? noop, initialFormState);
  const [declined, declineAction] = useActionState(declineWaiver ?? noop, initialFormState);
  const acceptState = useFreshState(accepted, item.version);
  const declineState = useFreshState(declined, item.version);
  useRefreshOnSuccess(acceptState);
  useRefreshOnSuccess(declineState);
  const waiver = item.waiver;
  if (!waiver) return null;
  const expired = item.effectiveStatus === "WAIVER_EXPIRED";
  return (
    <section aria-label="Waiver request" className="flex flex-col gap-2 rounded-md border border-fuchsia-300 bg-fuchsia-50 p-3 text-sm text-fuchsia-950">
      <p className="font-medium">{waiverRequestWords(waiver.grantedByName)}</p>
      {waiver.canDecide && acceptWaiver && declineWaiver ? (
        <div className="flex flex-col gap-3">
          {!expired && waiver.riskOwnerId && (
            <form action={acceptAction} className="flex flex-col gap-2" aria-label={`Accept the waiver of ${item.title}`}>
              <input type="hidden" name="itemId" value={item.id} />
              <input type="hidden" name="expectedVersion" value={item.version} />
              <ProofField id={`accept-proof-${item.id}`} state={acceptState} needed={false} methods={proofMethodsAsked(acceptState)} />
              <div>
                <ConfirmSubmit
                  variant="primary"
                  title="Accept this waiver?"
                  description={
                    <p>
                      You accept the risk of not doing “{item.title}” until {waiver.expiresAt}, owned by {waiver.riskOwner}. The item then counts as ready for go-live, and sign-offs covering it must be given again.
                    </p>
                  }
                  confirmLabel="Accept waiver"
                  pendingLabel="Accepting…"
                >
                  Accept waiver
                </ConfirmSubmit>
              </div>
            </form>
          )}
          <form action={declineAction} className="flex flex-col gap-2" aria-label={`Decline the waiver of ${item.title}`}>
            <input type="hidden" name="itemId" value={item.id} />
            <input type="hidden" name="expectedVersion" value={item.version} />
            <Field label="Why decline (sent to the requester)" name="reason" state={declineState}>
              {(id, invalid) => <textarea id={id} name="reason" rows={2} aria-invalid={invalid || undefined} className={inputClass} />}
            </Field>
            <div>
              <ConfirmSubmit title="Decline this waiver?" description={<p>“{item.title}” goes back to to do, and {waiver.grantedByName ?? "the requester"} is told why.</p>} confirmLabel="Decline waiver" pendingLabel="Declining…">
                Decline waiver
              </ConfirmSubmit>
            </div>
          </form>
          <FormMessage state={acceptState} />
          <FormMessage state={declineState} />
        </div>
      ) : (
        <p>An approver or lead of the project other than the requester can accept or decline it.</p>
      )}
    </section>
  );
}

export function ItemEditor({ item }: { item: ItemRowData }) {
  const { loadItemDetail, permissions, assign } = useChecklistActions();
  const allowed = permissions[item.area];
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [, startTransition] = useTransition();
  const reload = useCallback(() => {
    startTransition(async () => {
      try {
        setDetail(await loadItemDetail(item.id));
        setLoadError(null);
      } catch {
        setLoadError("Could not load evidence and comments. Reload the page.");
      }
    });
  }, [item.id, loadItemDetail]);
  useEffect(reload, [reload, item.version]);
  const [checksSettled, setChecksSettled] = useState(false);
  const settleChecks = useCallback(() => setChecksSettled(true), []);
  // Busy until the first answers arrive: the panel grows when they do.
  const busy = (!detail && !loadError) || !checksSettled;

  return (
    <div className="flex flex-col gap-4 py-3" aria-busy={busy || undefined} data-testid="item-panel">
      {detail?.details && (
        <div className="max-w-none text-sm text-slate-800 [&_a]:text-indigo-800 [&_a]:underline [&_code]:rounded [&_code]:bg-slate-100 [&_code]:px-1 [&_ul]:list-disc [&_ul]:pl-5">
          {/* react-markdown renders no raw HTML and neutralises javascript: links. */}
          <Markdown>{detail.details}</Markdown>
        </div>
      )}
      {(item.statusReason || item.waiver) && (
        <dl className="grid grid-cols-[max-content_1fr] gap-x-3 gap-y-1 rounded-md bg-slate-50 p-3 text-sm">
          {item.statusReason && (
            <>
              <dt className="text-slate-600">Reason</dt>
              <dd>{item.statusReason}</dd>
            </>
          )}
          {item.waiver && (
            <>
              <dt className="text-slate-600">Risk owner</dt>
              <dd>{item.waiver.riskOwner}</dd>
              <dt className="text-slate-600">Expires</dt>
              <dd className={item.effectiveStatus === "WAIVER_EXPIRED" ? "font-semibold text-red-800" : ""}>
                {item.waiver.expiresAt}
                {item.effectiveStatus === "WAIVER_EXPIRED" && " (expired: counts as not done)"}
              </dd>
              {item.waiver.controls && (
                <>
                  <dt className="text-slate-600">Controls</dt>
                  <dd>{item.waiver.controls}</dd>
                </>
              )}
              <dt className="text-slate-600">Requested by</dt>
              <dd>{item.waiver.grantedByName}</dd>
              <dt className="text-slate-600">Accepted by</dt>
              <dd>{item.waiver.acceptedByName ?? "Nobody yet: the waiver does not count until an approver or lead other than the requester accepts it."}</dd>
            </>
          )}
        </dl>
      )}
      {item.waiver && !item.waiver.acceptedByName && <WaiverDecision item={item} />}
      {assign && <AssignItemForm setup={assign} item={{ id: item.id, version: item.version, area: item.area, assigneeId: item.assigneeId ?? null, dueDay: item.dueDay ?? null }} />}
      {allowed.work ? <UpdateForm item={item} details={detail?.details ?? null} /> : <p className="text-sm text-slate-600">You can read this item; its area owners and the project leads work it.</p>}
      {loadError && (
        <p role="alert" className="text-sm text-red-700">
          {loadError}
        </p>
      )}
      <ChecksSection itemId={item.id} onRun={reload} onSettled={settleChecks} />
      <ResultsSection detail={detail} />
      <RenewalSection item={item} detail={detail} />
      <EvidenceSection item={item} detail={detail} reload={reload} />
      <CommentsSection item={item} detail={detail} reload={reload} canComment={allowed.comment} />
    </div>
  );
}
