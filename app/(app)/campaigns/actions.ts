"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { requireContext } from "@/lib/auth";
import { formToObject, type FormState } from "@/lib/form-state";
import { runFormAction } from "@/lib/form-action";
import { addCampaignItem, createCampaign, endCampaign, removeCampaignItem, startCampaign } from "@/lib/campaigns/mutations";
import { plural } from "@/lib/words";

export async function createCampaignAction(_previous: FormState, formData: FormData): Promise<FormState> {
  let slug: string | null = null;
  const state = await runFormAction(formData, async () => {
    slug = (await createCampaign(await requireContext(), formToObject(formData, ["teamIds", "templateIds", "projectIds"]))).slug;
    return "Campaign drafted.";
  });
  if (slug) redirect(`/campaigns/${slug}`);
  return state;
}

export async function addCampaignItemAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await addCampaignItem(await requireContext(), { ...formToObject(formData), required: formData.get("required") === "on" });
    revalidatePath("/campaigns", "layout");
    return "Item added.";
  });
}

export async function removeCampaignItemAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await removeCampaignItem(await requireContext(), formToObject(formData));
    revalidatePath("/campaigns", "layout");
    return "Item removed.";
  });
}

export async function startCampaignAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const run = await startCampaign(await requireContext(), formToObject(formData));
    revalidatePath("/campaigns", "layout");
    const failed = run.failed > 0 ? ` ${plural(run.failed, "project")} could not take them now: they are tried again within a minute.` : "";
    return `Campaign started: its items were added to ${plural(run.applied, "project")}.${failed}`;
  });
}

export async function endCampaignAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await endCampaign(await requireContext(), formToObject(formData));
    revalidatePath("/campaigns", "layout");
    return "Campaign ended.";
  });
}
