"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

export function ChangePasswordForm({ action, email, hint }: { action: Action; email: string; hint: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex max-w-lg flex-col gap-4" noValidate aria-label="Change password">
      {/* For password managers: the account the new password belongs to. */}
      <input type="hidden" name="username" autoComplete="username" value={email} />
      <FormMessage state={state} />
      <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required state={state} />
      <TextField label="New password" name="password" type="password" autoComplete="new-password" required state={state} hint={hint} />
      <TextField label="Type it again" name="confirmPassword" type="password" autoComplete="new-password" required state={state} />
      <div>
        <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
      </div>
    </form>
  );
}
