"use client";

import Link from "next/link";
import { useActionState } from "react";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** The button that makes a new secret (the page then draws its QR code). */
export function StartEnrolmentForm({ action, label }: { action: Action; label: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col items-start gap-2">
      <FormMessage state={state.ok ? initialFormState : state} />
      <SubmitButton pendingLabel="Making a secret…">{label}</SubmitButton>
    </form>
  );
}

/**
 * The QR code and the secret as text (for an app on this device), the first code to confirm,
 * and, once confirmed, the ten recovery codes: shown here once and never again.
 */
export function ConfirmEnrolmentForm({ action, qrSvg, secret, next }: { action: Action; qrSvg: string; secret: string; next: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  const codes = Array.isArray(state.data?.recoveryCodes) ? (state.data.recoveryCodes as string[]) : null;
  if (state.ok && codes) {
    return (
      <div className="flex flex-col gap-3" data-testid="recovery-codes">
        <FormMessage state={state} />
        <h2 className="text-base font-semibold">Your recovery codes</h2>
        <p className="text-sm text-slate-700">
          Each one signs you in once instead of a code from the app, if you lose your phone. Keep them somewhere safe, such as a password manager: they are not shown again.
        </p>
        <ul className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-md bg-slate-50 p-3 font-mono text-sm">
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ul>
        <Link href={next} className="self-start rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800">
          I have kept them: continue
        </Link>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-4">
      <ol className="list-decimal space-y-1 pl-5 text-sm text-slate-700">
        <li>Open an authenticator app (1Password, Google Authenticator, Microsoft Authenticator, Aegis …).</li>
        <li>Scan this QR code, or enter the key below by hand.</li>
        <li>Enter the six-digit code the app shows.</li>
      </ol>
      {/* The SVG is made on the server from the otpauth:// address by the qrcode library. */}
      <div role="img" aria-label="QR code of the authenticator key" className="size-48 self-center [&>svg]:size-full" dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p className="text-sm">
        Key: <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono break-all" data-testid="totp-secret">{secret}</code>
      </p>
      <form action={formAction} className="flex flex-col gap-3" noValidate>
        <FormMessage state={state} />
        <TextField label="Code from the app" name="code" autoComplete="one-time-code" required state={state} />
        <SubmitButton pendingLabel="Checking…">Turn on two-step sign-in</SubmitButton>
      </form>
    </div>
  );
}

/** The second step of signing in: a code from the authenticator app, or a recovery code. */
export function SignInCodeField({ state }: { state: FormState }) {
  return (
    <TextField
      label="Code from your authenticator app"
      name="code"
      autoComplete="one-time-code"
      required
      state={state}
      hint="Six digits from the app, or one of your recovery codes (like k7m2q-x9d4r) if you lost the app."
    />
  );
}

/** After a single sign-on, for someone with an authenticator: its code (or a recovery code) finishes signing in. */
export function SignInCodeForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate>
      <FormMessage state={state} />
      <SignInCodeField state={state} />
      <SubmitButton pendingLabel="Checking…">Finish signing in</SubmitButton>
    </form>
  );
}
