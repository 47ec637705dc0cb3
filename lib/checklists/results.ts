import { db, DEFAULT_TRANSACTION } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { recordResultSchema } from "@/lib/checklists/schema";
import { bumpVersion, itemResource, lockItem, notifyAssignee } from "@/lib/checklists/mutations";
import type { ItemStatus } from "@/lib/checklists/types";
import { markStaleSignoffs } from "@/lib/signoffs/mutations";
import type { SignoffSlot } from "@/lib/signoffs/digest";

// Results prove items: a test run, a scan, a restore drill or a check reports pass or fail with
// what it found. Every result is kept. The newest result's outcome is part of what a sign-off
// covers (lib/signoffs/digest.ts), so a result that says something new (a first result, or a
// failure after a pass) makes the sign-offs covering the item stale; one that repeats the one
// before changes nothing but the history.
//
// What a result does to the item:
// - a failure on a DONE item reopens it: BLOCKED, with the result's summary as the reason;
// - a pass with `markDone` on an open item (to do, in progress, blocked) closes it: DONE, with
//   the result as its evidence (its link, or a note with the summary);
// - otherwise the status stays: a not-applicable or waived item is a person's decision, and a
//   pass on an open item without `markDone` is a fact for the person working it.
//
// Damping: with `failuresToReopen` N > 1, a failure that follows a pass counts only once it is the
// Nth in a row. Until then it is kept (counted: false) and shown, but the item's outcome is still
// the pass: nothing reopens, no sign-off goes stale, nobody is notified. A pass counts at once.
// A counted pass renews a done item's evidence (re-attestation: checklist_items.attested_at).

export type ResultRecorded = {
  resultId: string;
  outcome: "PASS" | "FAIL";
  recordedAt: string;
  /** The item after the result: its status and version, and whether the result changed it. */
  item: { id: string; status: ItemStatus; version: number; statusChanged: boolean };
  /** The sign-offs that went stale because of it. */
  stale: SignoffSlot[];
  /** False while a failure waits to be confirmed (failuresToReopen): kept, but changing nothing yet. */
  counted: boolean;
};

const OPEN: readonly ItemStatus[] = ["TODO", "IN_PROGRESS", "BLOCKED"];

export async function recordItemResult(ctx: ServiceContext, input: unknown): Promise<ResultRecorded> {
  const data = parseInput(recordResultSchema, input);
  const outcome = data.status === "pass" ? "PASS" : "FAIL";
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, null);
    const { item } = locked;
    assertCan(ctx.actor, "item.recordResult", itemResource(locked));
    const newestFirst = [{ recordedAt: "desc" as const }, { id: "desc" as const }];
    const previous = await tx.itemResult.findFirst({ where: { itemId: item.id, counted: true }, orderBy: newestFirst, select: { outcome: true } });
    let counted = true;
    const needed = data.failuresToReopen ?? 1;
    if (outcome === "FAIL" && previous?.outcome === "PASS" && needed > 1) {
      // The failures since the pass that still counts, newest first; this one makes one more.
      const recent = await tx.itemResult.findMany({ where: { itemId: item.id }, orderBy: newestFirst, take: needed - 1, select: { outcome: true, counted: true } });
      const streak = recent.findIndex((row) => row.outcome !== "FAIL" || row.counted);
      counted = (streak === -1 ? recent.length : streak) + 1 >= needed;
    }
    const result = await tx.itemResult.create({
      data: { itemId: item.id, projectId: item.projectId, outcome, counted, summary: data.summary, url: data.url ?? null, facts: data.facts ?? {}, actorId: ctx.actor.id, actorName: ctx.actor.name },
      select: { id: true, recordedAt: true },
    });
    const recordedAt = result.recordedAt.toISOString();
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.RESULT_RECORDED,
      entityType: "item",
      entityId: item.id,
      projectId: item.projectId,
      before: previous ? { outcome: previous.outcome } : null,
      after: { resultId: result.id, itemTitle: item.title, outcome, counted, summary: data.summary, url: data.url ?? null, facts: data.facts ?? {}, recordedAt },
      requestId: ctx.requestId,
    });
    if (!counted) return { resultId: result.id, outcome, recordedAt, item: { id: item.id, status: item.status, version: item.version, statusChanged: false }, stale: [], counted };

    // The status change, recorded as an item.updated event in the same shape as a person's save.
    const reopens = outcome === "FAIL" && item.status === "DONE";
    const closes = outcome === "PASS" && data.markDone === true && OPEN.includes(item.status);
    let version = item.version;
    let status = item.status;
    const recordStatus = (after: Record<string, unknown>) =>
      recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.ITEM_UPDATED,
        entityType: "item",
        entityId: item.id,
        projectId: item.projectId,
        before: { status: item.status, statusReason: item.statusReason, version: item.version, title: item.title },
        after: { ...after, version, title: item.title, resultId: result.id },
        requestId: ctx.requestId,
      });
    if (reopens) {
      const statusReason = `A result failed: ${data.summary}`.slice(0, 2_000);
      version = await bumpVersion(tx, item, { status: "BLOCKED", statusReason });
      status = "BLOCKED";
      await recordStatus({ status, statusReason });
    } else if (closes) {
      version = await bumpVersion(tx, item, { status: "DONE", statusReason: null, attestedAt: result.recordedAt });
      status = "DONE";
      const note = `Result: ${data.summary}`;
      const evidence = await tx.evidence.create({
        data: { itemId: item.id, kind: data.url ? "LINK" : "NOTE", url: data.url ?? null, note, addedById: ctx.actor.id, addedByName: ctx.actor.name },
        select: { id: true, createdAt: true },
      });
      await recordStatus({ status, statusReason: null, ...(data.url ? { link: data.url } : {}), note, evidenceId: evidence.id, evidenceCreatedAt: evidence.createdAt.toISOString() });
    } else if (outcome === "PASS" && item.status === "DONE") {
      // Fresh proof of a done item renews its evidence; not an edit, so the version stays.
      await tx.checklistItem.update({ where: { id: item.id }, data: { attestedAt: result.recordedAt } });
    }

    const stale = await markStaleSignoffs(tx, ctx, item.projectId, [item.area], { action: auditActions.RESULT_RECORDED, itemId: item.id, title: item.title });
    if (reopens || closes || previous?.outcome !== outcome) {
      const what = reopens ? `, and reopened it` : closes ? `, and marked it done` : "";
      await notifyAssignee(tx, ctx, locked, "EVIDENCE_CHANGED", `${ctx.actor.name} recorded a ${outcome === "PASS" ? "passing" : "failing"} result for “${item.title}”${what}`, data.summary);
    }
    return { resultId: result.id, outcome, recordedAt, item: { id: item.id, status, version, statusChanged: reopens || closes }, stale, counted };
  }, DEFAULT_TRANSACTION);
}
