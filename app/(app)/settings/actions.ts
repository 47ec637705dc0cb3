"use server";

import { removeOwnSecondFactor } from "@/lib/users/mfa";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { requireContext, requireSession } from "@/lib/auth";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { changePassword, updatePreferences } from "@/lib/users/mutations";
import { clientAddress } from "@/lib/users/sign-in-limits";
import { createReadToken, revokeApiToken } from "@/lib/tokens/mutations";
import { endMySession } from "@/lib/users/session-control";

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

export async function changePasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { ctx, sessionId } = await requireSession();
    const { otherSessionsEnded } = await changePassword(ctx, formToObject(formData), { sessionId, address: clientAddress(await headers()) });
    return otherSessionsEnded === 0 ? "Password changed." : `Password changed. You were signed out everywhere else (${otherSessionsEnded === 1 ? "1 other session" : `${otherSessionsEnded} other sessions`}).`;
  });
}

export async function removeSecondFactorAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await removeOwnSecondFactor(await requireContext(), formToObject(formData));
    revalidatePath("/settings");
    return "Authenticator removed: sign-in asks for your password only.";
  });
}

export async function endMySessionAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { ended } = await endMySession(await requireContext(), formToObject(formData));
    revalidatePath("/settings");
    return ended === 0 ? "That session had already ended." : ended === 1 ? "Session ended: that browser is signed out." : `${ended} sessions ended.`;
  });
}
