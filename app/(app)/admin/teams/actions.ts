"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireContext } from "@/lib/auth";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { addTeamMember, createTeam, removeTeamMember, setTeamMemberRoles, updateTeam } from "@/lib/teams/mutations";

// Thin wrappers: lib/teams/mutations.ts validates, asks the policy, changes and audits. A team
// change moves what its members hold on every project it owns, so every page is revalidated.

export async function createTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const team = await createTeam(await requireContext(), formToObject(formData, ["oidcRoles"]));
    revalidatePath("/admin/teams");
    redirect(`/admin/teams/${team.slug}`);
  });
}

export async function updateTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await updateTeam(await requireContext(), formToObject(formData, ["oidcRoles"]));
    revalidatePath("/", "layout");
    return "Team saved.";
  });
}

export async function addTeamMemberAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await addTeamMember(await requireContext(), formToObject(formData, ["roles"]));
    revalidatePath("/", "layout");
    return "Added to the team: they hold these roles on the team's projects from their next request.";
  });
}

export async function setTeamMemberRolesAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await setTeamMemberRoles(await requireContext(), formToObject(formData, ["roles"]));
    revalidatePath("/", "layout");
    return "Team roles saved.";
  });
}

export async function removeTeamMemberAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await removeTeamMember(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return "Removed from the team.";
  });
}
