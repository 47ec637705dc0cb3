"use server";

import { requireContext } from "@/lib/auth";
import { getViewerTimeZone } from "@/lib/request";
import { AppError } from "@/lib/errors";
import { getChecklistAsOf } from "@/lib/audit/as-of";
import type { ItemDetail } from "@/lib/checklists/data";

/** An item's evidence and comments as they stood at the moment shown (bound to slug and moment). */
export async function loadItemDetailAsOfAction(slug: string, at: string, itemId: string): Promise<ItemDetail> {
  const ctx = await requireContext();
  const moment = new Date(at);
  if (Number.isNaN(moment.getTime())) throw new AppError("INVALID_INPUT", "Choose a moment.");
  const view = await getChecklistAsOf(ctx.actor, slug, moment, {}, await getViewerTimeZone(ctx.actor));
  const detail = view.details[itemId];
  if (!detail) throw new AppError("NOT_FOUND", "That item did not exist then.");
  return detail;
}

/** The as-of view changes nothing: its item panels are read-only, so these are never called. */
export async function readOnlyAction(): Promise<{ ok: false; message: string }> {
  return { ok: false, message: "This is the checklist as it stood then: it cannot be changed." };
}
