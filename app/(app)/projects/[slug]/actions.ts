"use server";

import { addItemCheck, getItemChecks, removeItemCheck, runItemCheckNow, type ItemChecks } from "@/lib/checks/item-checks";
import { revalidatePath } from "next/cache";
import { requireContext } from "@/lib/auth";
import { getViewerTimeZone } from "@/lib/request";
import { runFormAction } from "@/lib/form-action";
import { formToObject, type FormState } from "@/lib/form-state";
import { acceptWaiver, addComment, addEvidence, declineWaiver, removeEvidence, updateItem } from "@/lib/checklists/mutations";
import { getItemDetail, type ItemDetail } from "@/lib/checklists/data";
import { plural, statusInSentence } from "@/lib/words";
import { assignFilteredItems, assignItems } from "@/lib/checklists/assignments";

// Item actions for the checklist page. Each hands the raw form to a lib/ service, which
// authorizes, validates, checks the version and audits in one transaction.

export async function updateItemAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const saved = await updateItem(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return saved.changed ? `Saved: “${saved.title}” is ${statusInSentence(saved.status)}.` : "Nothing to save: the item is as it was.";
  });
}

/**
 * Accepts a waiver request (lib/checklists/mutations.ts acceptWaiver: the one place a waiver is
 * accepted). A signature: the form's `password` (or `totpCode`) goes with it, asked for when the
 * session's last proof is older than the signing window.
 */
export async function acceptWaiverAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const saved = await acceptWaiver(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return `Waiver accepted: “${saved.title}” counts as waived until it expires.`;
  });
}

export async function declineWaiverAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const saved = await declineWaiver(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return `Waiver declined: “${saved.title}” is to do again.`;
  });
}

export async function addEvidenceAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await addEvidence(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return "Evidence added.";
  });
}

export async function removeEvidenceAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await removeEvidence(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return "Evidence removed.";
  });
}

export async function addCommentAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await addComment(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    return "Comment added.";
  });
}

/** Evidence and comments of an item, fetched when it is opened. */
export async function loadItemDetailAction(itemId: string): Promise<ItemDetail> {
  const ctx = await requireContext();
  return getItemDetail(ctx.actor, itemId, await getViewerTimeZone(ctx.actor));
}

/** An item's automated checks and what the viewer may do with them, fetched when it is opened. */
export async function loadItemChecksAction(itemId: string): Promise<ItemChecks> {
  const ctx = await requireContext();
  return getItemChecks(ctx.actor, itemId, await getViewerTimeZone(ctx.actor));
}

export async function addCheckAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    // The headers a headers check requires are a checkbox group: none ticked is an empty list (refused), not "all".
    await addItemCheck(await requireContext(), formToObject(formData, formData.get("kind") === "headers" ? ["require"] : []));
    return "Check added: it runs within a minute, then on its schedule.";
  });
}

export async function removeCheckAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    await removeItemCheck(await requireContext(), formToObject(formData));
    return "Check removed. Its results stay in the item's history.";
  });
}

export async function runCheckNowAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const recorded = await runItemCheckNow(await requireContext(), formToObject(formData));
    revalidatePath("/projects/[slug]", "layout");
    const changed = recorded.item.statusChanged ? ` The item is now ${recorded.item.status === "BLOCKED" ? "blocked" : recorded.item.status.toLowerCase().replace("_", " ")}.` : "";
    return `${recorded.outcome === "PASS" ? "Passed" : "Failed"}: see Results below.${changed}`;
  });
}

/** Assigns and dates one item (its panel) or every item shown (the bulk bar). */
export async function assignItemsAction(_previous: FormState, formData: FormData): Promise<FormState> {
  return runFormAction(formData, async () => {
    const input = formToObject(formData, ["items"]);
    const single = input.single === "true";
    // The item panel sends the whole desired state; the bulk bar only what should change.
    const dueDate = formData.get("clearDue") === "on" ? "none" : single && input.dueDate === "" ? "none" : input.dueDate;
    const ctx = await requireContext();
    // The bulk bar sends the filter and a digest of what it showed; the item panel its one item.
    const { changed } = single
      ? await assignItems(ctx, { ...input, dueDate })
      : await assignFilteredItems(ctx, { ...input, dueDate, filter: { area: input.area, status: input.status, assignee: input.assignee, due: input.due, section: input.section, level: input.level } });
    revalidatePath("/projects/[slug]", "layout");
    if (changed === 0) return single ? "Nothing to save: the assignment is as it was." : "Nothing changed: every item shown already had that person and due date.";
    return single ? "Assignment saved." : `${plural(changed, "item")} updated.`;
  });
}
