"use client";

import { useActionState } from "react";
import { ConfirmSubmit } from "@/components/confirm-submit";
import { CheckboxGroup, FormMessage, SubmitButton, TextField } from "@/components/form";
import { PROJECT_ROLES } from "@/components/projects/member-forms";
import { initialFormState, type FormState } from "@/lib/form-state";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

function GroupFields({ state, team }: { state: FormState; team?: { oidcGroup: string | null; oidcRoles: string[] } }) {
  return (
    <>
      <TextField
        label="Single sign-on group (optional)"
        name="oidcGroup"
        state={state}
        defaultValue={team?.oidcGroup ?? ""}
        hint="People whose sign-on lists this group join the team when they sign in, and leave it when it no longer does."
      />
      <CheckboxGroup legend="Roles the group's members get" name="oidcRoles" options={PROJECT_ROLES} state={state} defaultChecked={team?.oidcRoles ?? ["VIEWER"]} />
    </>
  );
}

export function CreateTeamForm({ action }: { action: Action }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="New team">
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
      <TextField label="Name" name="name" required state={state} autoComplete="off" />
      <TextField label="Slug (optional)" name="slug" state={state} autoComplete="off" hint="Made from the name when left empty." />
      <div className="sm:col-span-2">
        <TextField label="Description" name="description" state={state} rows={2} />
      </div>
      <GroupFields state={state} />
      <div>
        <SubmitButton pendingLabel="Creating…">Create team</SubmitButton>
      </div>
    </form>
  );
}

export function TeamSettingsForm({ action, team }: { action: Action; team: { id: string; name: string; description: string; oidcGroup: string | null; oidcRoles: string[]; updatedAt: string } }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="Team settings">
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
      <input type="hidden" name="teamId" value={team.id} />
      <input type="hidden" name="expectedUpdatedAt" value={team.updatedAt} />
      <TextField label="Name" name="name" required state={state} defaultValue={team.name} />
      <TextField label="Description" name="description" state={state} defaultValue={team.description} />
      <GroupFields state={state} team={team} />
      <div>
        <SubmitButton variant="secondary" pendingLabel="Saving…">Save team</SubmitButton>
      </div>
    </form>
  );
}

export function AddTeamMemberForm({ action, teamId }: { action: Action; teamId: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="flex flex-col gap-4" noValidate aria-label="Add to team">
      <FormMessage state={state} />
      <input type="hidden" name="teamId" value={teamId} />
      <TextField label="Email" name="email" type="email" required state={state} autoComplete="off" />
      <CheckboxGroup legend="Team roles" name="roles" options={PROJECT_ROLES} state={state} />
      <div>
        <SubmitButton pendingLabel="Adding…">Add to team</SubmitButton>
      </div>
    </form>
  );
}

export function TeamMemberForm({ setRoles, remove, teamId, teamName, member }: { setRoles: Action; remove: Action; teamId: string; teamName: string; member: { userId: string; name: string; roles: string[]; updatedAt: string } }) {
  const [state, formAction] = useActionState(setRoles, initialFormState);
  const [removeState, removeAction] = useActionState(remove, initialFormState);
  return (
    <details className="group md:max-w-xl" open={Boolean(state.message || removeState.message) || undefined}>
      <summary className="cursor-pointer text-right text-sm font-medium text-indigo-800 group-open:mb-2">
        Edit<span className="sr-only"> team roles of {member.name}</span>
      </summary>
      <div className="flex flex-col gap-2">
        <form action={formAction} className="flex flex-wrap items-end gap-3" aria-label={`Team roles of ${member.name}`}>
          <input type="hidden" name="teamId" value={teamId} />
          <input type="hidden" name="userId" value={member.userId} />
          <input type="hidden" name="expectedUpdatedAt" value={member.updatedAt} />
          <CheckboxGroup legend={`Team roles of ${member.name}`} name="roles" options={PROJECT_ROLES} defaultChecked={member.roles} state={state} />
          <SubmitButton variant="secondary" pendingLabel="Saving…">Save roles</SubmitButton>
        </form>
        <form action={removeAction} aria-label={`Remove ${member.name} from the team`}>
          <input type="hidden" name="teamId" value={teamId} />
          <input type="hidden" name="userId" value={member.userId} />
          <ConfirmSubmit
            title={`Remove ${member.name} from ${teamName}?`}
            description="They lose their team roles on every project of the team on their next request (roles they hold as members of a project stay). Items assigned to them stay assigned until a lead reassigns them, and sign-offs they gave stay in the record."
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
