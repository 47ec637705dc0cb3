"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** Removing one's authenticator asks for the password: a session left open is not enough. */
export function RemoveSecondFactorForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex max-w-lg flex-col gap-3" noValidate aria-label="Remove authenticator">
      <FormMessage state={state} />
      <TextField label="Your password, to remove the authenticator" name="password" type="password" autoComplete="current-password" required state={state} />
      <div>
        <SubmitButton variant="danger" pendingLabel="Removing…">
          Remove authenticator
        </SubmitButton>
      </div>
    </form>
  );
}
