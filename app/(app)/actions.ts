"use server";

import { resetUserSecondFactor } from "@/lib/users/mfa";
import { revalidatePath } from "next/cache";
import { requireContext, signOutCurrentUser } from "@/lib/auth";
import { redirect } from "next/navigation";
import { runFormAction } from "@/lib/form-action";
import { env } from "@/lib/env";
import { formToObject, readUploadedFile, type FormState } from "@/lib/form-state";
import { addMember, createProject, inviteMember, removeMember, setMemberRoles } from "@/lib/projects/mutations";
import { createUser, setUserDisabled, setUserGlobalRoles } from "@/lib/users/mutations";
import { endUserSessions } from "@/lib/users/session-control";
import { setProjectTeam } from "@/lib/teams/mutations";

// Thin wrappers: each authenticates against the database, then hands the raw form to a lib/
// service, which validates, authorizes, changes and audits in one transaction.

export async function signOutAction(): Promise<void> {
  await signOutCurrentUser();
}

export async function createProjectAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const ctx = await requireContext();
    const { source, file: _file, ...fields } = formToObject(formData);
    const upload = source === "file" ? await readUploadedFile(formData, "file") : undefined;
    const project = await createProject(
      ctx,
      { ...fields, templateVersionId: source === "template" ? fields.templateVersionId : undefined },
      upload ? { markdown: upload.bytes, source: upload.name } : undefined,
    );
    revalidatePath("/", "layout");
    // What the file gave, said on the new project's page (the form itself is gone by then).
    const imported = project.imported ? `?imported=${project.imported.items}.${project.imported.sections}.${project.imported.checked}` : "";
    redirect(`/projects/${project.slug}${imported}`);
  });
}

export async function addMemberAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await addMember(await requireContext(), formToObject(formData, ["roles"]));
    revalidatePath("/", "layout");
    return "Member added.";
  });
}

export async function inviteMemberAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await inviteMember(await requireContext(), formToObject(formData, ["roles"]), { secret: env().AUTH_SECRET });
    revalidatePath("/", "layout");
    return "Invited: they get an email with a link to set their password (it works once, for 24 hours).";
  });
}

export async function setMemberRolesAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await setMemberRoles(await requireContext(), formToObject(formData, ["roles"]));
    revalidatePath("/", "layout");
    return "Roles saved.";
  });
}

export async function removeMemberAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await removeMember(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return "Member removed.";
  });
}

export async function setProjectTeamAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { changed } = await setProjectTeam(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return changed ? "Owning team saved: its members hold their team roles here from their next request." : "The owning team is unchanged.";
  });
}

export async function createUserAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const config = env();
    const { invited } = await createUser(await requireContext(), formToObject(formData, ["globalRoles"]), { secret: config.AUTH_SECRET });
    revalidatePath("/admin");
    if (!invited) return "User added. They can sign in with the password you set.";
    return config.SMTP_URL
      ? "User added and invited by email: they set their own password with the link, which works once within 24 hours."
      : "User added. Email is not configured on this server, so no invitation was sent: make them a link with npm run cli -- user link --email EMAIL.";
  });
}

export async function setUserDisabledAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const disabled = formData.get("disabled") === "true";
    await setUserDisabled(await requireContext(), { userId: formData.get("userId"), disabled });
    revalidatePath("/admin");
    return disabled ? "User disabled; their sessions were ended." : "User enabled.";
  });
}

export async function endUserSessionsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { ended } = await endUserSessions(await requireContext(), formToObject(formData));
    revalidatePath("/admin");
    return ended === 0 ? "They had no active session." : `Ended ${ended === 1 ? "1 session" : `${ended} sessions`}: they must sign in again.`;
  });
}

export async function resetSecondFactorAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await resetUserSecondFactor(await requireContext(), formToObject(formData));
    revalidatePath("/admin");
    return "Authenticator reset and their sessions ended: they sign in with their password and set up a new one.";
  });
}

export async function setUserGlobalRolesAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await setUserGlobalRoles(await requireContext(), formToObject(formData, ["globalRoles"]));
    revalidatePath("/admin");
    return "Global roles saved.";
  });
}
