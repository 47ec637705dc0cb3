"use client";

import { useActionState, useId } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** Sets or removes the project's notification webhook; the saved URL is never shown back. */
export function WebhookForm({ action, projectId, origin }: { action: Action; projectId: string; origin: string | null }) {
  const [state, formAction] = useActionState(action, initialFormState);
  const id = useId();
  const errors = state.fieldErrors?.webhookUrl;
  return (
    <form action={formAction} className="flex max-w-2xl flex-col gap-3" aria-label="Notification webhook">
      <FormMessage state={state} />
      <input type="hidden" name="projectId" value={projectId} />
      <p className="text-sm text-slate-700" data-testid="webhook-state">
        {origin ? (
          <>
            Posting to <code className="font-mono">{origin}</code>
          </>
        ) : (
          "No webhook set."
        )}
      </p>
      <div className="flex flex-col gap-1">
        <label htmlFor={id} className="text-sm font-medium text-slate-800">
          {origin ? "Replace with" : "Webhook URL"}
        </label>
        <input id={id} key={state.submittedAt} name="webhookUrl" type="url" inputMode="url" autoComplete="off" placeholder="https://hooks.slack.com/services/…" aria-invalid={errors ? true : undefined} aria-describedby={`${id}-hint${errors ? ` ${id}-error` : ""}`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm aria-invalid:border-red-600" />
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          Each notification about this project (assignments, due dates, comments, evidence, stale sign-offs) is POSTed as JSON with a Slack-compatible <code>text</code> field. It must be https:// and lead to a public address: loopback and private-network addresses only where the server&apos;s configuration allows them, link-local and cloud metadata addresses never. Treat the URL as a secret: it is stored, never shown again, and the history records only its origin.
        </p>
        {errors && (
          <p id={`${id}-error`} className="text-xs font-medium text-red-700">
            {errors.join(" ")}
          </p>
        )}
      </div>
      <div className="flex gap-2">
        <SubmitButton pendingLabel="Saving…">Save webhook</SubmitButton>
        {origin && (
          <button type="submit" name="remove" value="true" className="rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-700 shadow-sm hover:bg-red-50">
            Remove webhook
          </button>
        )}
      </div>
    </form>
  );
}
