"use client";

import { useActionState } from "react";
import { ConfirmSubmit } from "@/components/confirm-submit";
import { CopyButton } from "@/components/copy-button";
import { FormMessage, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";
import { tokenPermissions, tokenPermissionWords } from "@/lib/tokens/scopes";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

/** `gateStep`: the pipeline step (lib/tokens/gate-step.ts) with this server and project filled in. */
export function CreateTokenForm({ action, projectId, gateStep }: { action: Action; projectId: string; gateStep: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  const token = state.ok && typeof state.data?.token === "string" ? state.data.token : null;
  return (
    <div className="flex flex-col gap-4">
      <form action={formAction} className="flex flex-col gap-4" noValidate aria-label="Create token">
        <input type="hidden" name="projectId" value={projectId} />
        <FormMessage state={state} />
        <div className="max-w-md">
          <TextField label="Token name" name="name" state={state} required hint="Where it is used, e.g. “GitHub Actions: deploy”." />
        </div>
        <fieldset className="flex flex-col gap-1" aria-describedby="permissions-hint">
          <legend className="font-medium">What it may do</legend>
          <p id="permissions-hint" className="text-sm text-slate-700">
            The token acts as itself, named in the history as “{"<name>"} (token ssp_…)”, only on this project. It never changes the checklist&apos;s structure, waivers, assignments or sign-offs.
          </p>
          {tokenPermissions.map((permission) => (
            <label key={permission} className="flex items-center gap-2">
              <input type="checkbox" name="permissions" value={permission} defaultChecked={permission === "gate:read"} className="size-4" />
              <span>
                {tokenPermissionWords[permission]} <code className="text-xs text-slate-600">{permission}</code>
              </span>
            </label>
          ))}
          {state.fieldErrors?.permissions ? (
            <p className="text-sm text-red-800" role="alert">
              {state.fieldErrors.permissions.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <div>
          <SubmitButton pendingLabel="Creating…">Create token</SubmitButton>
        </div>
      </form>
      {token && (
        <section aria-labelledby="new-token-heading" className="flex flex-col gap-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="new-token-panel">
          <h3 id="new-token-heading" className="font-semibold">
            Your new token
          </h3>
          <p className="text-sm text-slate-800">Copy it now and store it as a secret of your pipeline (e.g. SHIPSHAPE_TOKEN). It is not shown again: only its hash is kept.</p>
          <pre className="rounded border border-slate-300 bg-white px-3 py-2 text-sm break-all whitespace-pre-wrap select-all">
            <code data-testid="new-token">{token}</code>
          </pre>
          <div>
            <CopyButton value={token} label="Copy token" />
          </div>
          <p className="text-sm text-slate-800">
            Then add this step: it exits 0 when the go-live gate is open, 1 while it is closed (printing why), and 2 when it could not ask (no token, a refused token, a wrong project, the server unreachable).
          </p>
          <pre className="rounded border border-slate-300 bg-white px-3 py-2 text-xs break-all whitespace-pre-wrap select-all">
            <code data-testid="gate-command">{gateStep}</code>
          </pre>
          <div>
            <CopyButton value={gateStep} label="Copy step" />
          </div>
        </section>
      )}
    </div>
  );
}

export function RevokeTokenForm({ action, token }: { action: Action; token: { id: string; name: string } }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col items-start gap-2" aria-label={`Revoke ${token.name}`}>
      <input type="hidden" name="tokenId" value={token.id} />
      <ConfirmSubmit
        title={`Revoke the token “${token.name}”?`}
        description="Every pipeline or script that uses it is refused from its next call. A revoked token cannot be restored: create a new one if it is still needed."
        confirmLabel="Revoke token"
        pendingLabel="Revoking…"
      >
        Revoke<span className="sr-only"> {token.name}</span>
      </ConfirmSubmit>
      <FormMessage state={state} />
    </form>
  );
}

/** An auditor's or admin's own read-only token: shown once, with how to use it. */
export function CreateReadTokenForm({ action, exportUrl }: { action: Action; exportUrl: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  const token = state.ok && typeof state.data?.token === "string" ? state.data.token : null;
  return (
    <div className="flex flex-col gap-4">
      <form action={formAction} className="flex flex-col gap-4" noValidate aria-label="Create read-only token">
        <FormMessage state={state} />
        <div className="max-w-md">
          <TextField label="Token name" name="name" state={state} required hint="Where it is used, e.g. “quarterly evidence export”." />
        </div>
        <div>
          <SubmitButton pendingLabel="Creating…">Create read-only token</SubmitButton>
        </div>
      </form>
      {token && (
        <section aria-labelledby="new-read-token-heading" className="flex flex-col gap-3 rounded-md border border-amber-300 bg-amber-50 p-4" data-testid="new-token-panel">
          <h3 id="new-read-token-heading" className="font-semibold">
            Your new token
          </h3>
          <p className="text-sm text-slate-800">Copy it now: it is not shown again. It reads what you may read, as you, and can change nothing. For example:</p>
          <pre className="rounded border border-slate-300 bg-white px-3 py-2 text-xs break-all whitespace-pre-wrap select-all">
            <code data-testid="new-token">{token}</code>
          </pre>
          <div>
            <CopyButton value={token} label="Copy token" />
          </div>
          <pre className="rounded border border-slate-300 bg-white px-3 py-2 text-xs break-all whitespace-pre-wrap select-all">
            <code>{`curl -fsS -H "Authorization: Bearer ${token}" "${exportUrl}" > history.jsonl`}</code>
          </pre>
        </section>
      )}
    </div>
  );
}
