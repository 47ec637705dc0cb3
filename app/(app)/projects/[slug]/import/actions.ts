"use server";

import { plural } from "@/lib/words";
import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { runFormAction } from "@/lib/form-action";
import { readUploadedFile, type FormState } from "@/lib/form-state";
import { importChecklist } from "@/lib/checklists/mutations";

export async function importChecklistAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const ctx = await requireContext();
    const upload = await readUploadedFile(formData, "file");
    const summary = await importChecklist(ctx, { projectId: String(formData.get("projectId")), markdown: upload.bytes, source: upload.name });
    revalidatePath("/projects/[slug]", "layout");
    const dropped = [
      summary.droppedAssignees ? `${plural(summary.droppedAssignees, "assignee")} not on this project left out` : "",
      summary.droppedRiskOwners ? `${plural(summary.droppedRiskOwners, "waiver risk owner")} not on this project kept as a name only` : "",
    ].filter(Boolean);
    return `Imported ${plural(summary.items, "item")} in ${plural(summary.sections, "section")} (${summary.checked} already done)${dropped.length ? `; ${dropped.join("; ")}` : ""}.`;
  });
}
