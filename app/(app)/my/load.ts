import { z } from "zod";
import { ownerAreas } from "@/lib/checklists/my-work";
import type { ChecklistActions } from "@/components/checklist/checklist-actions";
import { acceptWaiverAction, addCommentAction, addEvidenceAction, declineWaiverAction, loadItemDetailAction, removeEvidenceAction, updateItemAction } from "../projects/[slug]/actions";

/** The same item actions as the checklist page: status, evidence and comments work in place. */
export const itemActions: ChecklistActions = {
  updateItem: updateItemAction,
  addEvidence: addEvidenceAction,
  removeEvidence: removeEvidenceAction,
  addComment: addCommentAction,
  acceptWaiver: acceptWaiverAction,
  declineWaiver: declineWaiverAction,
  loadItemDetail: loadItemDetailAction,
};

export const myWorkParams = z.object({
  area: z.enum(ownerAreas).optional().catch(undefined),
  group: z.enum(["project", "due"]).catch("project").default("project"),
  project: z.string().max(100).optional().catch(undefined),
});
