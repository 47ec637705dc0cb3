"use server";

import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { env } from "@/lib/env";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { redirect } from "next/navigation";
import { completeSignInWithCode, confirmTotpEnrolment, startTotpEnrolment } from "@/lib/users/mfa";

/** Makes a new pending secret; the page then shows it as a QR code. */
export async function startEnrolmentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await startTotpEnrolment(await requireContext({ forMfaSetup: true }), { secret: env().AUTH_SECRET });
    revalidatePath("/two-step");
    return "Scan the QR code with your authenticator app.";
  });
}

/** Confirms the pending secret with a first code; answers the recovery codes, shown once. */
export async function confirmEnrolmentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  let recoveryCodes: string[] = [];
  const state = await runFormAction(formData, async () => {
    ({ recoveryCodes } = await confirmTotpEnrolment(await requireContext({ forMfaSetup: true }), formToObject(formData), { secret: env().AUTH_SECRET }));
    return "Two-step sign-in is on.";
  });
  return state.ok ? { ...state, data: { recoveryCodes } } : state;
}

/** After a single sign-on, for someone with an authenticator: the code that finishes signing in. */
export async function signInCodeAction(_previous: FormState, formData: FormData): Promise<FormState> {
  const state = await runFormAction(formData, async () => {
    await completeSignInWithCode(await requireContext({ forMfaSetup: true }), formToObject(formData), { secret: env().AUTH_SECRET });
    return "Signed in.";
  });
  if (state.ok) redirect("/");
  return state;
}
