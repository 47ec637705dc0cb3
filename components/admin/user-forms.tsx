"use client";

import { useActionState } from "react";
import { CheckboxGroup, FormMessage, SubmitButton, TextField } from "@/components/form";
import { roleWords } from "@/lib/words";
import { initialFormState, type FormState } from "@/lib/form-state";

const GLOBAL_ROLES = (["ADMIN", "AUDITOR"] as const).map((role) => ({ value: role, label: roleWords[role] }));

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

export function CreateUserForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="Add user">
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
      <TextField label="Name" name="name" required state={state} autoComplete="off" />
      <TextField label="Email" name="email" type="email" required state={state} autoComplete="off" />
      <TextField label="Title" name="title" state={state} hint="Shown on sign-offs, e.g. Head of Security." />
      <TextField label="Initial password (optional)" name="password" type="password" state={state} autoComplete="new-password" hint="Leave it empty to invite them by email: they set their own password with a link." />
      <div className="sm:col-span-2">
        <CheckboxGroup legend="Global roles (optional)" name="globalRoles" options={GLOBAL_ROLES} state={state} />
      </div>
      <div>
        <SubmitButton pendingLabel="Adding…">Add user</SubmitButton>
      </div>
    </form>
  );
}

export function UserStatusForm({ action, userId, name, disabled }: { action: Action; userId: string; name: string; disabled: boolean }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex items-center gap-2" aria-label={`${disabled ? "Enable" : "Disable"} ${name}`}>
      <input type="hidden" name="userId" value={userId} />
      <input type="hidden" name="disabled" value={disabled ? "false" : "true"} />
      <SubmitButton variant={disabled ? "secondary" : "danger"} pendingLabel="Saving…">
        {disabled ? `Enable ${name}` : `Disable ${name}`}
      </SubmitButton>
      {state.message && !state.ok && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}

export function UserRolesForm({ action, userId, name, globalRoles }: { action: Action; userId: string; name: string; globalRoles: string[] }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-2" aria-label={`Global roles of ${name}`}>
      <input type="hidden" name="userId" value={userId} />
      {GLOBAL_ROLES.map((role) => (
        <label key={`${role.value}-${state.submittedAt ?? 0}`} className="inline-flex items-center gap-1 text-xs">
          <input type="checkbox" name="globalRoles" value={role.value} defaultChecked={globalRoles.includes(role.value)} className="size-3.5 accent-indigo-700" />
          {role.label}
        </label>
      ))}
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save<span className="sr-only"> global roles of {name}</span>
      </SubmitButton>
      {state.message && !state.ok && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}
