"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState } from "@/lib/form-state";
import { requestPasswordResetAction } from "./actions";

export function ForgotPasswordForm() {
  const [state, action] = useActionState(requestPasswordResetAction, initialFormState);
  return (
    <form action={action} className="flex flex-col gap-4" noValidate aria-label="Ask for a link">
      <FormMessage state={state} />
      <TextField label="Email" name="email" type="email" autoComplete="email" required state={state} />
      <SubmitButton pendingLabel="Sending…">Send me a link</SubmitButton>
    </form>
  );
}
