"use server";

import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { formToObject, runFormAction, type FormState } from "@/lib/form-state";
import { addComment, addEvidence, removeEvidence, updateItem } from "@/lib/checklists/mutations";
import { getItemDetail, type ItemDetail } from "@/lib/checklists/data";

// Item actions for the checklist page. Each hands the raw form to a lib/ service, which
// authorizes, validates, checks the version and audits in one transaction.

export async function updateItemAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { version } = await updateItem(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return `Saved (version ${version}).`;
  });
}

export async function addEvidenceAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await addEvidence(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return "Evidence added.";
  });
}

export async function removeEvidenceAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await removeEvidence(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return "Evidence removed.";
  });
}

export async function addCommentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await addComment(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return "Comment added.";
  });
}

/** Evidence and comments of an item, fetched when it is opened. */
export async function loadItemDetailAction(itemId: string): Promise<ItemDetail> {
  const ctx = await requireContext();
  return getItemDetail(ctx.actor, itemId);
}
