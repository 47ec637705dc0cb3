"use server";

import { signInWithOidc, signInWithPassword, signInWithSecondFactor } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { runFormAction } from "@/lib/form-action";
import { type FormState } from "@/lib/form-state";
import { signInSchema } from "@/lib/users/schema";
import { parseInput } from "@/lib/validation";

function safeRedirect(target: FormDataEntryValue | null): string {
  // Only local paths: a crafted link must not send a user to another site after sign-in.
  return typeof target === "string" && target.startsWith("/") && !target.startsWith("//") ? target : "/";
}

export async function signInAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const next = safeRedirect(formData.get("next"));
    const ticket = formData.get("ticket");
    if (typeof ticket === "string" && ticket) {
      // The second step: a code for the account whose password the ticket vouches for.
      const code = String(formData.get("code") ?? "").trim();
      if (!code) throw new AppError("INVALID_INPUT", "Enter the code from your authenticator app.", { code: ["Enter the code from your authenticator app."] }, { ticket });
      const result = await signInWithSecondFactor(ticket, code, next);
      if (!result.ok) throw new AppError("UNAUTHORIZED", result.message, result.secondFactor ? { code: ["Not accepted."] } : undefined, result.secondFactor);
      return "Signed in.";
    }
    const { email, password } = parseInput(signInSchema, { email: formData.get("email"), password: formData.get("password") });
    const result = await signInWithPassword(email, password, next);
    if (!result.ok) throw new AppError("UNAUTHORIZED", result.message, undefined, result.secondFactor);
    return "Signed in.";
  });
}

export async function signInWithOidcAction(formData: FormData): Promise<void> {
  await signInWithOidc(safeRedirect(formData.get("next")));
}
