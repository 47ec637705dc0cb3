"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState } from "@/lib/form-state";
import { setPasswordAction } from "./actions";

export function SetPasswordForm({ token, hint }: { token: string; hint: string }) {
  const [state, action] = useActionState(setPasswordAction, initialFormState);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="token" value={token} />
      <FormMessage state={state} />
      <TextField label="New password" name="password" type="password" autoComplete="new-password" required state={state} hint={hint} />
      <TextField label="Type it again" name="confirmPassword" type="password" autoComplete="new-password" required state={state} />
      <SubmitButton pendingLabel="Setting…">Set password</SubmitButton>
    </form>
  );
}
