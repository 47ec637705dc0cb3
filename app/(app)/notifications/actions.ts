"use server";

import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { markNotificationsRead } from "@/lib/notifications/mutations";

export async function markReadAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const input = formToObject(formData, ["ids"]);
    const { marked } = await markNotificationsRead(await requireContext(), { ids: formData.get("all") === "true" ? "all" : input.ids });
    revalidatePath("/", "layout");
    return marked === 1 ? "1 notification marked read." : `${marked} notifications marked read.`;
  });
}
