"use server";

import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { configureSlots, markProjectLive, signSlot } from "@/lib/signoffs/mutations";
import { configureLevels } from "@/lib/projects/configure-levels";
import { slotList } from "@/lib/signoffs/gate";

export async function signSlotAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { round, digest } = await signSlot(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return `Signed: round ${round}, digest ${digest.slice(0, 12)}…`;
  });
}

export async function configureSlotsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await configureSlots(await requireContext(), formToObject(formData, ["requiredSlots"]));
    revalidatePath("/", "layout");
    return "Sign-off settings saved.";
  });
}

export async function markLiveAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await markProjectLive(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return "The project is live. The checklist and sign-offs as they stand now are kept as its go-live record.";
  });
}

export async function configureLevelsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { changed, stale } = await configureLevels(await requireContext(), formToObject(formData, ["levels", "expectedLevels"]));
    revalidatePath("/", "layout");
    if (!changed) return "Nothing to save: the levels are as they were.";
    return stale.length > 0 ? `Levels saved. What the ${slotList(stale)} sign-off${stale.length === 1 ? "" : "s"} covered changed: ${stale.length === 1 ? "it is" : "they are"} stale and must be given again.` : "Levels saved.";
  });
}
