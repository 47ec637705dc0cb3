"use client";

import { useActionState } from "react";
import { FormMessage, MarkdownFileField, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

export function ImportForm({ action, projectId }: { action: (previous: FormState, formData: FormData) => Promise<FormState>; projectId: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-4" aria-label="Import checklist">
      <input type="hidden" name="projectId" value={projectId} />
      <FormMessage state={state} />
      <MarkdownFileField
        label="Markdown file"
        name="file"
        state={state}
        hint="GitHub-style task lists (- [ ] item, - [x] done) under headings; up to 1 MB. Checked items arrive done, with a note saying so."
      />
      <div>
        <SubmitButton pendingLabel="Importing…">Import</SubmitButton>
      </div>
    </form>
  );
}
