"use client";

import { useActionState } from "react";
import { FormMessage, SelectField, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** Which team owns the project: the teams the viewer may give it to, the one that owns it now, or none. */
export function OwningTeamForm({ action, projectId, current, teams }: { action: Action; projectId: string; current: { id: string; name: string } | null; teams: { id: string; name: string }[] }) {
  const [state, formAction] = useActionState(action, initialFormState);
  const options = [{ value: "", label: "No team" }, ...(current && !teams.some((team) => team.id === current.id) ? [{ value: current.id, label: current.name }] : []), ...teams.map((team) => ({ value: team.id, label: team.name }))];
  return (
    <form action={formAction} className="flex flex-col gap-3" noValidate aria-label="Owning team">
      <FormMessage state={state} />
      <input type="hidden" name="projectId" value={projectId} />
      <input type="hidden" name="expectedTeamId" value={current?.id ?? ""} />
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64">
          <SelectField label="Team" name="teamId" options={options} state={state} defaultValue={current?.id ?? ""} />
        </div>
        <SubmitButton variant="secondary" pendingLabel="Saving…">
          Save team
        </SubmitButton>
      </div>
    </form>
  );
}
