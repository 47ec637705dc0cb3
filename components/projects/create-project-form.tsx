"use client";

import { useActionState, useState } from "react";
import { FormMessage, MarkdownFileField, SelectField, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Option = { value: string; label: string };

type Props = {
  action: (previous: FormState, formData: FormData) => Promise<FormState>;
  templateOptions: Option[];
  /** When given, the creator picks the lead (admins); otherwise the creator leads it. */
  leadOptions?: Option[];
};

type Source = "template" | "file" | "empty";

export function CreateProjectForm({ action, templateOptions, leadOptions }: Props) {
  const [state, formAction] = useActionState(action, initialFormState);
  const [source, setSource] = useState<Source>(templateOptions.length > 0 ? "template" : "empty");
  const sources: { value: Source; label: string }[] = [
    { value: "template", label: "A template" },
    { value: "file", label: "A Markdown file" },
    { value: "empty", label: "An empty checklist" },
  ];
  return (
    <form action={formAction} className="grid grid-cols-1 gap-4 sm:grid-cols-2 [&>*]:min-w-0" noValidate aria-label="New project">
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
      <TextField label="Name" name="name" required state={state} />
      <TextField label="Slug" name="slug" state={state} hint="Used in URLs and the API. Leave empty to derive it from the name." />
      <TextField label="Target go-live date" name="targetGoLive" type="date" state={state} />
      {leadOptions ? <SelectField label="Lead" name="leadUserId" options={leadOptions} required state={state} placeholder="Choose the project lead…" /> : <div />}
      <div className="sm:col-span-2">
        <TextField label="Description" name="description" state={state} />
      </div>
      <fieldset className="flex flex-col gap-2 sm:col-span-2">
        <legend className="text-sm font-medium">Start the checklist from</legend>
        <div className="flex flex-wrap gap-4">
          {sources.map((option) => (
            <label key={option.value} className="inline-flex items-center gap-1.5 text-sm">
              <input type="radio" name="source" value={option.value} checked={source === option.value} onChange={() => setSource(option.value)} className="accent-indigo-700" />
              {option.label}
            </label>
          ))}
        </div>
      </fieldset>
      {source === "template" && (
        <div className="sm:col-span-2">
          <SelectField label="Template" name="templateVersionId" options={templateOptions} required state={state} placeholder="Choose a template…" />
        </div>
      )}
      {source === "file" && (
        <div className="sm:col-span-2">
          <MarkdownFileField label="Markdown file" name="file" state={state} required hint="GitHub-style task lists under headings, up to 1 MB." />
        </div>
      )}
      <div>
        <SubmitButton pendingLabel="Creating…">Create project</SubmitButton>
      </div>
    </form>
  );
}
