"use server";

import { redirect } from "next/navigation";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { getRequestId } from "@/lib/request";
import { setPasswordWithLink } from "@/lib/users/mutations";

// Nobody is signed in here: the link's token is the authority, checked and used by the service.
export async function setPasswordAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await setPasswordWithLink(formToObject(formData), await getRequestId());
    redirect("/signin?password=set");
  });
}
