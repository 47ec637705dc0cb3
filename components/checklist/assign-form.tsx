"use client";

import { rolesInWords } from "@/lib/words";
import { useActionState, useEffect, useId, useRef } from "react";
import { useRouter } from "next/navigation";
import { ConfirmSubmit } from "@/components/confirm-submit";
import { FormMessage, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";
import type { Area } from "@/lib/checklists/types";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** A project member and the areas whose items they may hold. */
export type AssignableMember = { id: string; name: string; roles: string[]; areas: Area[] };

export type AssignSetup = { action: Action; projectId: string; members: AssignableMember[]; timeZone: string };

const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm shadow-sm aria-invalid:border-red-600";

/** What the person submitted, kept after a refusal so they can correct it. */
function submittedText(state: FormState, name: string, fallback: string): string {
  const value = state.values?.[name];
  return typeof value === "string" ? value : fallback;
}

function useRefreshOnSuccess(state: FormState) {
  const router = useRouter();
  const { ok, submittedAt } = state;
  useEffect(() => {
    if (ok && submittedAt) router.refresh();
  }, [ok, submittedAt, router]);
}

function FieldErrors({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-700">
      {errors.join(" ")}
    </p>
  );
}

/** One item's assignee and due date, for leads, inside the item's panel. */
export function AssignItemForm({ setup, item }: { setup: AssignSetup; item: { id: string; version: number; area: Area; assigneeId: string | null; dueDay: string | null } }) {
  const [state, formAction] = useActionState(setup.action, initialFormState);
  useRefreshOnSuccess(state);
  const id = useId();
  const eligible = setup.members.filter((member) => member.areas.includes(item.area) || member.id === item.assigneeId);
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 bg-slate-50 p-3" aria-label="Assignment">
      <input type="hidden" name="projectId" value={setup.projectId} />
      <input type="hidden" name="items" value={`${item.id}:${item.version}`} />
      <input type="hidden" name="timeZone" value={setup.timeZone} />
      <input type="hidden" name="single" value="true" />
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-assignee`} className="text-sm font-medium text-slate-800">
          Assigned to
        </label>
        <select key={`${item.version}-${state.submittedAt}`} id={`${id}-assignee`} name="assigneeId" defaultValue={item.assigneeId ?? "none"} aria-invalid={state.fieldErrors?.assigneeId ? true : undefined} aria-describedby={`${id}-assignee-error`} className={control}>
          <option value="none">Nobody</option>
          {eligible.map((member) => (
            <option key={member.id} value={member.id}>
              {member.name}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={`${id}-due`} className="text-sm font-medium text-slate-800">
          Due by end of
        </label>
        <input key={`${item.version}-${state.submittedAt}`} id={`${id}-due`} type="date" name="dueDate" defaultValue={item.dueDay ?? ""} aria-invalid={state.fieldErrors?.dueDate ? true : undefined} aria-describedby={`${id}-due-hint ${id}-due-error`} className={control} />
      </div>
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save assignment
      </SubmitButton>
      <p id={`${id}-due-hint`} className="w-full text-xs text-slate-600">
        Only members who hold this item&apos;s area role (or lead the project) are listed. The due date ends at midnight in {setup.timeZone}.
      </p>
      <FieldErrors id={`${id}-assignee-error`} errors={state.fieldErrors?.assigneeId} />
      <FieldErrors id={`${id}-due-error`} errors={state.fieldErrors?.dueDate ?? state.fieldErrors?.timeZone} />
      <div className="w-full">
        <FormMessage state={state} />
      </div>
    </form>
  );
}

/** The lead's bar above a (filtered) checklist: assign or date every item shown, all or nothing. */
export function BulkAssignForm({ setup, slug, filter, selection, count, filtered }: { setup: AssignSetup; slug: string; filter: Record<string, string | undefined>; selection: string; count: number; filtered: boolean }) {
  const [state, formAction] = useActionState(setup.action, initialFormState);
  useRefreshOnSuccess(state);
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const noun = count === 1 ? "item" : "items";
  return (
    <form ref={formRef} action={formAction} className="flex flex-col gap-2 rounded-lg border border-indigo-200 bg-indigo-50/50 p-3" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="text-sm font-semibold text-slate-900">
        {!filtered ? "Assign or date many items at once" : count === 0 ? "No items shown to assign" : `Assign or date the ${count} ${noun} shown`}
      </h2>
      {!filtered && <p className="text-sm text-slate-700">Filter the checklist first (by area, status, person, due date or section): the change then applies to the items the filter shows, never to the whole checklist by default.</p>}
      <input type="hidden" name="projectId" value={setup.projectId} />
      <input type="hidden" name="timeZone" value={setup.timeZone} />
      {/* What was shown: the filter and a digest of its items and their versions (409 if either moved). */}
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="selection" value={selection} />
      {Object.entries(filter).map(([key, value]) => (value ? <input key={key} type="hidden" name={key} value={value} /> : null))}
      {filtered && (
      <div className="flex flex-wrap items-end gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-assignee`} className="text-sm font-medium text-slate-800">
            Assign to
          </label>
          <select key={state.submittedAt} id={`${id}-assignee`} name="assigneeId" defaultValue={state.ok ? "keep" : submittedText(state, "assigneeId", "keep")} aria-invalid={state.fieldErrors?.assigneeId ? true : undefined} aria-describedby={`${id}-assignee-error`} className={control}>
            <option value="keep">Keep as is</option>
            <option value="none">Nobody (unassign)</option>
            {setup.members
              .filter((member) => member.areas.length > 0)
              .map((member) => (
                <option key={member.id} value={member.id}>
                  {member.name} ({rolesInWords(member.roles)})
                </option>
              ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-due`} className="text-sm font-medium text-slate-800">
            Due by end of
          </label>
          <input key={state.submittedAt} id={`${id}-due`} type="date" name="dueDate" defaultValue={state.ok ? "" : submittedText(state, "dueDate", "")} aria-invalid={state.fieldErrors?.dueDate ? true : undefined} aria-describedby={`${id}-due-error`} className={control} />
        </div>
        <label className="inline-flex items-center gap-1.5 pb-2 text-sm text-slate-800">
          <input key={state.submittedAt} type="checkbox" name="clearDue" className="size-4 accent-indigo-700" />
          Clear due dates
        </label>
        {filtered && count > 0 && (
          <ConfirmSubmit
            variant="primary"
            title={`Change ${count} ${noun}?`}
            description={`The person and due date you chose apply to all ${count} ${noun} the filter shows, in one change: all of them or, if any changed meanwhile, none. Each is recorded in the history, and new assignees are told.`}
            confirmLabel={`Apply to ${count} ${noun}`}
            pendingLabel={`Applying to ${count} ${noun}…`}
          >
            {`Apply to ${count} ${noun}`}
          </ConfirmSubmit>
        )}
      </div>
      )}
      <FieldErrors id={`${id}-assignee-error`} errors={state.fieldErrors?.assigneeId ?? state.fieldErrors?.items} />
      <FieldErrors id={`${id}-due-error`} errors={state.fieldErrors?.dueDate ?? state.fieldErrors?.timeZone} />
      <FormMessage state={state} />
    </form>
  );
}
