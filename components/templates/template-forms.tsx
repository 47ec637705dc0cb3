"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

function MarkdownField({ state, defaultValue, withFile }: { state: FormState; defaultValue?: string; withFile: boolean }) {
  const errors = state.fieldErrors?.markdown;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor="template-markdown" className="text-sm font-medium">
        Checklist (Markdown)
      </label>
      <textarea
        id="template-markdown"
        name="markdown"
        rows={16}
        defaultValue={typeof state.values?.markdown === "string" ? state.values.markdown : defaultValue}
        key={state.submittedAt}
        aria-invalid={errors ? true : undefined}
        aria-describedby="template-markdown-hint"
        className="rounded-md border border-slate-300 px-3 py-2 font-mono text-xs shadow-sm"
      />
      <p id="template-markdown-hint" className="text-xs text-slate-600">
        Headings become sections and <code>- [ ]</code> lines become items; indent to nest.
      </p>
      {errors && <p className="text-xs font-medium text-red-700">{errors.join(" ")}</p>}
      {withFile && (
        <>
          <label htmlFor="template-file" className="mt-2 text-sm font-medium">
            …or upload a file
          </label>
          <input id="template-file" name="file" type="file" accept=".md,.markdown,.txt,text/markdown,text/plain" className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5" />
        </>
      )}
    </div>
  );
}

export function CreateTemplateForm({ action, defaults }: { action: Action; defaults?: { name: string; description: string; markdown: string } }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-4" aria-label="New template" noValidate>
      <FormMessage state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Name" name="name" required state={state} defaultValue={defaults?.name} />
        <TextField label="Slug" name="slug" state={state} hint="Leave empty to derive it from the name." />
        <div className="sm:col-span-2">
          <TextField label="Description" name="description" state={state} defaultValue={defaults?.description} />
        </div>
      </div>
      <MarkdownField state={state} withFile defaultValue={defaults?.markdown} />
      <div>
        <SubmitButton pendingLabel="Creating…">Create template</SubmitButton>
      </div>
    </form>
  );
}

export function NewVersionForm({ action, templateId, version, markdown }: { action: Action; templateId: string; version: number; markdown: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-4" aria-label="Edit template">
      <input type="hidden" name="templateId" value={templateId} />
      <input type="hidden" name="expectedVersion" value={version} />
      <FormMessage state={state} />
      <MarkdownField state={state} defaultValue={markdown} withFile={false} />
      <div>
        <SubmitButton pendingLabel="Saving…">Save as version {version + 1}</SubmitButton>
      </div>
    </form>
  );
}

export function UpgradeProjectForm({ action, projectId, fromVersionId, toVersionId, label }: { action: Action; projectId: string; fromVersionId: string; toVersionId: string; label: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-2" aria-label={label}>
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="fromVersionId" value={fromVersionId} />
      <input type="hidden" name="toVersionId" value={toVersionId} />
      <div>
        <SubmitButton variant="secondary" pendingLabel="Moving…">
          {label}
        </SubmitButton>
      </div>
      <FormMessage state={state} />
    </form>
  );
}
