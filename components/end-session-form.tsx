"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** A button that ends a session (`sessionId`: one of them, or "others"), or all of a user's (`userId`); also an admin's reset of a user's authenticator. */
export function EndSessionForm({ action, fields, label, srLabel, pendingLabel = "Ending…" }: { action: Action; fields: Record<string, string>; label: string; srLabel?: string; pendingLabel?: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col items-start gap-1">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton variant="danger" pendingLabel={pendingLabel}>
        {label}
        {srLabel && <span className="sr-only"> {srLabel}</span>}
      </SubmitButton>
      <FormMessage state={state} />
    </form>
  );
}
