"use client";

import { useActionState } from "react";
import { ConfirmSubmit } from "@/components/confirm-submit";
import { CheckboxGroup, TextField, FormMessage, SelectField, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";
import { roleWords } from "@/lib/words";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

export const PROJECT_ROLES = (["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"] as const).map((role) => ({ value: role, label: roleWords[role] }));

export function AddMemberForm({ action, projectId, projectOptions, userOptions }: { action: Action; projectId?: string; projectOptions?: { value: string; label: string }[]; userOptions: { value: string; label: string }[] }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate aria-label="Add member">
      <FormMessage state={state} />
      <div className="grid gap-4 sm:grid-cols-2">
        {projectId ? <input type="hidden" name="projectId" value={projectId} /> : <SelectField label="Project" name="projectId" options={projectOptions ?? []} required state={state} />}
        <SelectField label="Person" name="userId" options={userOptions} required state={state} />
      </div>
      <CheckboxGroup legend="Roles" name="roles" options={PROJECT_ROLES} state={state} />
      <div>
        <SubmitButton pendingLabel="Adding…">Add member</SubmitButton>
      </div>
    </form>
  );
}

/** A lead invites someone who has no account yet, by email, straight into this project. */
export function InviteMemberForm({ action, projectId, emailAvailable }: { action: Action; projectId: string; emailAvailable: boolean }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate aria-label="Invite someone new">
      <FormMessage state={state} />
      <input type="hidden" name="projectId" value={projectId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Email" name="email" type="email" required state={state} />
        <TextField label="Name" name="name" required state={state} />
      </div>
      <CheckboxGroup legend="Roles" name="roles" options={PROJECT_ROLES} state={state} />
      {!emailAvailable && (
        <p className="text-sm text-amber-900">
          This server sends no email (no SMTP configured): after inviting, ask an admin for their set-password link (<code className="font-mono">npm run cli -- user link --email …</code>).
        </p>
      )}
      <div>
        <SubmitButton pendingLabel="Inviting…">Invite</SubmitButton>
      </div>
    </form>
  );
}

export function MemberRolesForm({ setRoles, remove, projectId, member }: { setRoles: Action; remove: Action; projectId: string; member: { userId: string; name: string; roles: string[]; updatedAt: string } }) {
  const [state, formAction] = useActionState(setRoles, initialFormState);
  const [removeState, removeAction] = useActionState(remove, initialFormState);
  return (
    <details className="group md:max-w-xl" open={Boolean(state.message || removeState.message) || undefined}>
      <summary className="cursor-pointer text-right text-sm font-medium text-indigo-800 group-open:mb-2">
        Edit<span className="sr-only"> roles of {member.name}</span>
      </summary>
      <div className="flex flex-col gap-2">
      <form action={formAction} className="flex flex-wrap items-end gap-3" aria-label={`Roles of ${member.name}`}>
        <input type="hidden" name="projectId" value={projectId} />
        <input type="hidden" name="userId" value={member.userId} />
        <input type="hidden" name="expectedUpdatedAt" value={member.updatedAt} />
        <CheckboxGroup legend={`Roles of ${member.name}`} name="roles" options={PROJECT_ROLES} defaultChecked={member.roles} state={state} />
        <SubmitButton variant="secondary" pendingLabel="Saving…">Save roles</SubmitButton>
      </form>
      <form action={removeAction} aria-label={`Remove ${member.name}`}>
        <input type="hidden" name="projectId" value={projectId} />
        <input type="hidden" name="userId" value={member.userId} />
        <ConfirmSubmit
          title={`Remove ${member.name} from this project?`}
          description={`They lose access on their next request. Items assigned to them stay assigned until a lead reassigns them, and sign-offs they gave stay in the record. You can add them again later.`}
          confirmLabel={`Remove ${member.name}`}
          pendingLabel="Removing…"
        >
          Remove {member.name}
        </ConfirmSubmit>
      </form>
      <FormMessage state={state} />
      <FormMessage state={removeState} />
      </div>
    </details>
  );
}
