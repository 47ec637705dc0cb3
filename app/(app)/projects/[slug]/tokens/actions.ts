"use server";

import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { createApiToken, revokeApiToken } from "@/lib/tokens/mutations";
import { setProjectWebhook } from "@/lib/projects/mutations";

// Thin wrappers around lib/tokens: the service validates, authorizes and audits.

/** On success the new token travels back in `data.token`: the one time it is ever shown. */
export async function createTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const created: { token?: string; name?: string } = {};
  const state = await runFormAction(formData, async () => {
    const token = await createApiToken(await requireContext(), formToObject(formData, ["permissions"]));
    created.token = token.token;
    created.name = token.name;
    revalidatePath("/projects/[slug]/tokens", "page");
    return `Token "${token.name}" created. Copy it now: it is shown only this once.`;
  });
  return state.ok && created.token ? { ...state, data: { token: created.token, name: created.name } } : state;
}

export async function revokeTokenAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { revoked } = await revokeApiToken(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]/tokens", "page");
    return revoked ? "Token revoked: pipelines using it now get 401." : "That token was already revoked.";
  });
}

export async function setWebhookAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const input = formToObject(formData);
    await setProjectWebhook(await requireContext(), { ...input, webhookUrl: input.remove === "true" ? "" : input.webhookUrl });
    revalidatePath("/projects/[slug]/tokens", "page");
    return input.remove === "true" ? "Webhook removed: notifications are no longer posted." : "Webhook saved: this project's notifications will be posted to it.";
  });
}
