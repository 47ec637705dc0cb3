"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { ConfirmSubmit } from "@/components/confirm-submit";
import { FormMessage, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

const slotNames = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "Go-live" } as const;
type Slot = keyof typeof slotNames;

const inputClass = "w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm aria-invalid:border-red-600";

export type ProofChoice = "password" | "totp";

/** Whether the last refusal asked for a proof of identity (lib/users/proof.ts puts `proofRequired` in its data). */
function askedForProof(state: FormState): boolean {
  return !state.ok && Boolean(state.data?.proofRequired || state.fieldErrors?.password || state.fieldErrors?.totpCode);
}

function submittedText(state: FormState, name: string): string | undefined {
  const value = state.values?.[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * The proof asked again to sign when the session's last proof is older than the signing window:
 * a code from the authenticator app for someone who has one (or their password, if they choose),
 * else the password. The server decides: `needed` is what the page knew when it was drawn, and a
 * refusal for a missing or wrong proof brings the field up (and focuses it) whatever the page
 * knew. For people with neither (single sign-on) the refusal says to sign in again instead.
 * Also used by the other signing forms (accepting a waiver, components/checklist/item-editor.tsx).
 */
export function ProofField({ id, state, needed, methods }: { id: string; state: FormState; needed: boolean; methods: readonly ProofChoice[] }) {
  const input = useRef<HTMLInputElement>(null);
  const asked = askedForProof(state);
  const [chosen, setChosen] = useState<ProofChoice | null>(null);
  const method: ProofChoice | undefined = chosen ?? (state.fieldErrors?.password ? "password" : methods[0]);
  useEffect(() => {
    if (asked) input.current?.focus();
  }, [asked, state.submittedAt]);
  const reauthErrors = state.fieldErrors?.reauth;
  if (reauthErrors) {
    return (
      <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" data-testid="reauth-needed">
        {reauthErrors.join(" ")}
      </p>
    );
  }
  if (!(needed || asked) || !method) return null;
  const byCode = method === "totp";
  const errors = state.fieldErrors?.[byCode ? "totpCode" : "password"];
  const other = methods.find((candidate) => candidate !== method);
  return (
    <div className="flex flex-col gap-1" data-testid="proof-field">
      <label htmlFor={id} className="text-sm font-medium">
        {byCode ? "Code from your authenticator app, to sign" : "Your password, to sign"}
      </label>
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        A signature needs a recent proof that it is you: {byCode ? "enter the six digits your app shows now." : "enter the password you sign in with."}
      </p>
      <input
        ref={input}
        key={`${state.submittedAt}-${method}`}
        id={id}
        name={byCode ? "totpCode" : "password"}
        type={byCode ? "text" : "password"}
        inputMode={byCode ? "numeric" : undefined}
        autoComplete={byCode ? "one-time-code" : "current-password"}
        required
        aria-invalid={errors ? true : undefined}
        aria-describedby={[`${id}-hint`, errors ? `${id}-error` : null].filter(Boolean).join(" ")}
        className={`${inputClass} max-w-sm`}
      />
      {errors && (
        <p id={`${id}-error`} className="text-xs font-medium text-red-700">
          {errors.join(" ")}
        </p>
      )}
      {other && (
        <button type="button" onClick={() => setChosen(other)} className="self-start text-xs text-indigo-700 underline">
          {other === "password" ? "Use my password instead" : "Use a code from my authenticator app instead"}
        </button>
      )}
    </div>
  );
}

/**
 * `openRequired`: required items of the scope not ready now. Approving over them is a deliberate
 * act: offered only where the project allows it (`approveWithOpenItems`), and then only with a
 * confirmation that names the count; otherwise the scope can be rejected, not approved.
 */
export function SignSlotForm({
  action,
  projectId,
  slot,
  round,
  digest,
  openRequired,
  approveWithOpenItems,
  approveRefusal,
  meaning,
  proofNeeded,
  proofMethods,
}: {
  action: Action;
  projectId: string;
  slot: Slot;
  round: number;
  digest: string;
  openRequired: number;
  approveWithOpenItems: boolean;
  /** Why the viewer may not approve this slot (separation of duties), or null. */
  approveRefusal: string | null;
  /** What the signature means, per decision, as it will be recorded. */
  meaning: { APPROVED: string; REJECTED: string } | null;
  /** Whether the page knew the password would be asked (the server decides again on submit). */
  proofNeeded: boolean;
  proofMethods: readonly ProofChoice[];
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  const mayApprove = (openRequired === 0 || approveWithOpenItems) && !approveRefusal;
  const [decision, setDecision] = useState<"APPROVED" | "REJECTED">(mayApprove ? "APPROVED" : "REJECTED");
  const reasonErrors = state.fieldErrors?.reason;
  const confirmErrors = state.fieldErrors?.confirmOpenItems;
  const openWords = openRequired === 1 ? "1 required item" : `${openRequired} required items`;
  return (
    <form action={formAction} className="flex flex-col gap-3" aria-label={`Sign ${slotNames[slot]}`}>
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="slot" value={slot} />
      <input type="hidden" name="expectedRound" value={round} />
      <input type="hidden" name="expectedDigest" value={digest} />
      <FormMessage state={state} />
      <p className="text-xs text-slate-600">
        You sign the state with digest <code className="break-all rounded bg-slate-100 px-1 font-mono" data-testid="scope-digest">{digest}</code>
      </p>
      {openRequired > 0 && (
        <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950" id={`open-${slot}`} data-testid="open-in-scope">
          {mayApprove
            ? `${openWords} of this scope ${openRequired === 1 ? "is" : "are"} not ready (listed above). This project allows approving anyway: you confirm it, and the sign-off records the count.`
            : `${openWords} of this scope ${openRequired === 1 ? "is" : "are"} not ready (listed above): approve once ${openRequired === 1 ? "it is" : "they are"} ready, or reject. A lead may allow approving with open items in the sign-off settings.`}
        </p>
      )}
      {approveRefusal && (
        <p className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-800" id={`duties-${slot}`} data-testid="duties-refusal">
          {approveRefusal}
        </p>
      )}
      <fieldset className="flex flex-wrap gap-4" aria-describedby={[openRequired > 0 ? `open-${slot}` : null, approveRefusal ? `duties-${slot}` : null].filter(Boolean).join(" ") || undefined}>
        <legend className="sr-only">Decision</legend>
        {(["APPROVED", "REJECTED"] as const).map((option) => (
          <label key={option} className={`inline-flex items-center gap-1.5 text-sm ${option === "APPROVED" && !mayApprove ? "text-slate-500" : ""}`}>
            <input
              // Remounted after each submit: React resets the form after an action, which would
              // otherwise clear the DOM's choice while the state still holds it.
              key={`${option}-${state.submittedAt ?? 0}`}
              type="radio"
              name="decision"
              value={option}
              checked={decision === option}
              disabled={option === "APPROVED" && !mayApprove}
              onChange={() => setDecision(option)}
              className="accent-indigo-700"
            />
            {option === "APPROVED" ? "Approve" : "Reject"}
          </label>
        ))}
      </fieldset>
      {decision === "APPROVED" && openRequired > 0 && mayApprove && (
        <div className="flex flex-col gap-1">
          <label className="inline-flex items-start gap-1.5 text-sm font-medium">
            <input
              key={state.submittedAt}
              type="checkbox"
              name="confirmOpenItems"
              defaultChecked={submittedText(state, "confirmOpenItems") === "on"}
              aria-invalid={confirmErrors ? true : undefined}
              className="mt-0.5 accent-indigo-700"
            />
            {`I approve with ${openWords} not ready`}
          </label>
          {confirmErrors && <p className="text-xs font-medium text-red-700">{confirmErrors.join(" ")}</p>}
        </div>
      )}
      {decision === "REJECTED" && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`reason-${slot}`} className="text-sm font-medium">
            Reason for rejecting
          </label>
          <textarea key={state.submittedAt} id={`reason-${slot}`} name="reason" rows={2} defaultValue={submittedText(state, "reason")} aria-invalid={reasonErrors ? true : undefined} className={inputClass} />
          {reasonErrors && <p className="text-xs font-medium text-red-700">{reasonErrors.join(" ")}</p>}
        </div>
      )}
      <div className="flex flex-col gap-1">
        <label htmlFor={`comment-${slot}`} className="text-sm font-medium">
          Comment (optional)
        </label>
        <textarea key={state.submittedAt} id={`comment-${slot}`} name="comment" rows={2} defaultValue={submittedText(state, "comment")} className={inputClass} />
      </div>
      {meaning && (
        <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-800" data-testid="signature-meaning">
          <span className="font-medium">What you sign: </span>
          {meaning[decision]}
        </p>
      )}
      <ProofField id={`password-${slot}`} state={state} needed={proofNeeded} methods={proofMethods} />
      <div>
        <SubmitButton pendingLabel="Signing…" variant={decision === "APPROVED" ? "primary" : "danger"}>
          {decision === "APPROVED" ? `Approve ${slotNames[slot]}` : `Reject ${slotNames[slot]}`}
        </SubmitButton>
      </div>
    </form>
  );
}

export function ConfigureSlotsForm({
  action,
  projectId,
  requiredSlots,
  ownersMayApprove,
  approveWithOpenItems,
  separationOfDuties,
}: {
  action: Action;
  projectId: string;
  requiredSlots: Slot[];
  ownersMayApprove: boolean;
  approveWithOpenItems: boolean;
  separationOfDuties: boolean;
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-3" aria-label="Sign-off settings">
      <input type="hidden" name="projectId" value={projectId} />
      <FormMessage state={state} />
      <fieldset className="flex flex-col gap-1" aria-describedby="go-live-always">
        <legend className="text-sm font-medium">Required sign-offs</legend>
        <div className="flex flex-wrap gap-4">
          {(Object.keys(slotNames) as Slot[]).map((slot) =>
            slot === "GO_LIVE" ? (
              // A disabled box is not submitted: the hidden field sends the slot.
              <label key={slot} className="inline-flex items-center gap-1.5 text-sm">
                <input type="hidden" name="requiredSlots" value={slot} />
                <input type="checkbox" checked disabled className="accent-indigo-700" />
                {slotNames[slot]} (always required)
              </label>
            ) : (
              <label key={slot} className="inline-flex items-center gap-1.5 text-sm">
                <input type="checkbox" name="requiredSlots" value={slot} defaultChecked={requiredSlots.includes(slot)} className="accent-indigo-700" />
                {slotNames[slot]}
              </label>
            ),
          )}
        </div>
        <p id="go-live-always" className="text-xs text-slate-600">
          Go-live is the decision to go live, and someone other than the person who marks the project live must approve it, so it cannot be removed.
        </p>
      </fieldset>
      <label className="inline-flex items-center gap-1.5 text-sm">
        <input type="checkbox" name="ownersMayApprove" defaultChecked={ownersMayApprove} className="accent-indigo-700" />
        Area owners may sign their own area (approvers always may)
      </label>
      <label className="inline-flex items-center gap-1.5 text-sm">
        <input type="checkbox" name="approveWithOpenItems" defaultChecked={approveWithOpenItems} className="accent-indigo-700" />
        Approvers may approve a scope whose required items are not all ready (they confirm, and the count is recorded)
      </label>
      <label className="inline-flex items-start gap-1.5 text-sm">
        <input type="checkbox" name="separationOfDuties" defaultChecked={separationOfDuties} className="mt-0.5 accent-indigo-700" />
        Separation of duties: whoever marked an item done or waived it cannot approve a sign-off that covers it (they may still reject)
      </label>
      <div>
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          Save sign-off settings
        </SubmitButton>
      </div>
    </form>
  );
}

/**
 * `refusals`: why the viewer cannot mark it live now, in words (empty: they can). Going live
 * cannot be undone, so the button asks first and says what the record freezes.
 */
export function MarkLiveForm({
  action,
  projectId,
  projectName,
  signoffs,
  refusals,
  proofNeeded,
  proofMethods,
}: {
  action: Action;
  projectId: string;
  projectName: string;
  signoffs: number;
  refusals: string[];
  proofNeeded: boolean;
  proofMethods: readonly ProofChoice[];
}) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-2" aria-label="Mark live">
      <input type="hidden" name="projectId" value={projectId} />
      <FormMessage state={state} />
      {refusals.length === 0 && <ProofField id="password-live" state={state} needed={proofNeeded} methods={proofMethods} />}
      <div>
        {refusals.length > 0 ? (
          <ul className="flex flex-col gap-1 text-sm text-slate-600" data-testid="mark-live-refusals">
            {refusals.map((refusal) => (
              <li key={refusal}>{refusal}</li>
            ))}
          </ul>
        ) : (
          <ConfirmSubmit
            variant="primary"
            title={`Mark ${projectName} live?`}
            description={
              <>
                <p>The go-live record keeps the checklist as it stands now and the {signoffs === 1 ? "current sign-off" : `${signoffs} current sign-offs`}, with who marked it live and when. It cannot be undone or edited.</p>
                <p className="mt-2">From then on the required sign-offs no longer change, no new sign-off is given, and any later change to the checklist shows as a change since going live.</p>
              </>
            }
            confirmLabel="Mark live"
            pendingLabel="Marking live…"
          >
            Mark the project live
          </ConfirmSubmit>
        )}
      </div>
    </form>
  );
}
