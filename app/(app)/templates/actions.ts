"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireContext } from "@/lib/auth";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { createTemplate, createTemplateVersion, upgradeProjectTemplate } from "@/lib/templates/mutations";

/** The Markdown from an uploaded file if one was chosen, else from the text area. */
async function markdownFrom(formData: FormData): Promise<string | Uint8Array | undefined> {
  const file = formData.get("file");
  if (file instanceof File && file.size > 0) return new Uint8Array(await file.arrayBuffer());
  const text = formData.get("markdown");
  return typeof text === "string" ? text : undefined;
}

export async function createTemplateAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const ctx = await requireContext();
    const markdown = await markdownFrom(formData);
    const template = await createTemplate(ctx, { ...formToObject(formData), markdown });
    revalidatePath("/templates");
    redirect(`/templates/${template.slug}`);
  });
}

export async function createTemplateVersionAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { version } = await createTemplateVersion(await requireContext(), formToObject(formData));
    revalidatePath("/templates", "layout");
    return `Saved as version ${version}. Projects on older versions are listed below; their leads can move them on.`;
  });
}

export async function upgradeProjectAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const summary = await upgradeProjectTemplate(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return `Moved to the new version: ${summary.added.length} added, ${summary.removed.length} removed, ${summary.kept.length} kept because they were worked on, ${summary.updated.length} updated.`;
  });
}
