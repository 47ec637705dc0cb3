"use client";

import { useActionState } from "react";
import { FormMessage, SelectField, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";
import { MAX_LEVEL_NAME, MAX_LEVELS, MIN_LEVELS } from "@/lib/checklists/levels";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** What the editor saw: a change by someone else since is refused (CONFLICT) instead of overwritten. */
function Expected({ levels, targetLevel }: { levels: string[]; targetLevel: number }) {
  return (
    <>
      {levels.map((name) => (
        <input key={name} type="hidden" name="expectedLevels" value={name} />
      ))}
      <input type="hidden" name="expectedTargetLevel" value={targetLevel} />
    </>
  );
}

/**
 * A project's maturity levels, one per line lowest first, and its target level. Two forms on the
 * same action: the names (the target stays with its level), and the target among the names saved.
 */
export function LevelsForm({ action, projectId, levels, targetLevel }: { action: Action; projectId: string; levels: string[]; targetLevel: number }) {
  const [namesState, namesAction] = useActionState(action, initialFormState);
  const [targetState, targetAction] = useActionState(action, initialFormState);
  return (
    <div className="flex flex-col gap-4">
      <form action={namesAction} className="flex flex-col gap-3" aria-label="Level names">
        <input type="hidden" name="projectId" value={projectId} />
        <Expected levels={levels} targetLevel={targetLevel} />
        <FormMessage state={namesState} />
        <TextField
          label="Levels, lowest first, one per line"
          name="levels"
          state={namesState}
          rows={Math.max(3, levels.length + 1)}
          defaultValue={levels.join("\n")}
          hint={`${MIN_LEVELS} to ${MAX_LEVELS} names of at most ${MAX_LEVEL_NAME} characters each, e.g. Experiment, Beta, GA; empty for a checklist without levels. A renamed or moved level keeps its items; the items of a level you remove move to the level now in its place.`}
        />
        <div>
          <SubmitButton variant="secondary" pendingLabel="Saving…">
            Save levels
          </SubmitButton>
        </div>
      </form>
      {levels.length > 0 && (
        <form action={targetAction} className="flex flex-col gap-3" aria-label="Target level">
          <input type="hidden" name="projectId" value={projectId} />
          <Expected levels={levels} targetLevel={targetLevel} />
          {levels.map((name) => (
            <input key={name} type="hidden" name="levels" value={name} />
          ))}
          <FormMessage state={targetState} />
          <SelectField label="Target level" name="targetLevel" state={targetState} defaultValue={String(targetLevel)} options={levels.map((name, index) => ({ value: String(index), label: name }))} />
          <p className="text-xs text-slate-600">The gate, readiness and sign-offs consider the items at or below the target. A sign-off goes stale only if the change moves items into or out of what it covers.</p>
          <div>
            <SubmitButton variant="secondary" pendingLabel="Saving…">
              Save target level
            </SubmitButton>
          </div>
        </form>
      )}
    </div>
  );
}
