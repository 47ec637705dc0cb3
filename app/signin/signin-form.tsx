"use client";

import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState } from "@/lib/form-state";
import { SignInCodeField } from "@/components/two-step-setup";
import { signInAction } from "./actions";

/**
 * Email and password; for an account with an authenticator app, a second step asks for its code
 * (or a recovery code), carrying the server's short-lived ticket for the right password rather
 * than the password itself.
 */
export function SignInForm({ next }: { next: string }) {
  const [state, action] = useActionState(signInAction, initialFormState);
  const ticket = typeof state.data?.ticket === "string" ? state.data.ticket : null;
  if (ticket) {
    return (
      <form action={action} className="flex flex-col gap-4" noValidate>
        <input type="hidden" name="next" value={next} />
        <input type="hidden" name="ticket" value={ticket} />
        <FormMessage state={{ ...state, ok: !state.fieldErrors }} />
        <SignInCodeField state={state} />
        <SubmitButton pendingLabel="Checking…">Sign in</SubmitButton>
        <a href={`/signin?next=${encodeURIComponent(next)}`} className="text-sm text-slate-600 underline">
          Sign in as someone else
        </a>
      </form>
    );
  }
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="next" value={next} />
      <FormMessage state={state} />
      <TextField label="Email" name="email" type="email" autoComplete="username" required state={state} />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required state={state} />
      <SubmitButton pendingLabel="Signing in…">Sign in</SubmitButton>
    </form>
  );
}
