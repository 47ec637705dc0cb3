"use server";

import { signInWithOidc, signInWithPassword } from "@/lib/auth";
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
    const { email, password } = parseInput(signInSchema, { email: formData.get("email"), password: formData.get("password") });
    const result = await signInWithPassword(email, password, safeRedirect(formData.get("next")));
    if (!result.ok) throw new AppError("UNAUTHORIZED", result.message);
    return "Signed in.";
  });
}

export async function signInWithOidcAction(formData: FormData): Promise<void> {
  await signInWithOidc(safeRedirect(formData.get("next")));
}
