"use server";

import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { formToObject, runFormAction, type FormState } from "@/lib/form-state";
import { updatePreferences } from "@/lib/users/mutations";

export async function updatePreferencesAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await updatePreferences(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return "Settings saved.";
  });
}
