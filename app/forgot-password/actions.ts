"use server";

import { headers } from "next/headers";
import { env } from "@/lib/env";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { getRequestId } from "@/lib/request";
import { requestPasswordReset } from "@/lib/users/password-reset";
import { clientAddress } from "@/lib/users/sign-in-limits";

// Nobody is signed in here: the same answer for every well-formed email.
export async function requestPasswordResetAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const { message } = await requestPasswordReset(formToObject(formData), { address: clientAddress(await headers()), requestId: await getRequestId(), secret: env().AUTH_SECRET });
    return message;
  });
}
