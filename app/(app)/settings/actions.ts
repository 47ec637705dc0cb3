"use server";

import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { formToObject, runFormAction, type FormState } from "@/lib/form-state";
import { updatePreferences } from "@/lib/users/mutations";
import { createReadToken, revokeApiToken } from "@/lib/tokens/mutations";

export async function updatePreferencesAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await updatePreferences(await requireContext(), formToObject(formData));
    revalidatePath("/", "layout");
    return "Settings saved.";
  });
}

export async function createReadTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const created: { token?: string } = {};
  const state = await runFormAction(formData, async () => {
    const token = await createReadToken(await requireContext(), formToObject(formData));
    created.token = token.token;
    revalidatePath("/settings");
    return `Token "${token.name}" created. Copy it now: it is shown only this once.`;
  });
  return state.ok && created.token ? { ...state, data: { token: created.token } } : state;
}

export async function revokeReadTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { revoked } = await revokeApiToken(await requireContext(), formToObject(formData));
    revalidatePath("/settings");
    return revoked ? "Token revoked." : "That token was already revoked.";
  });
}
