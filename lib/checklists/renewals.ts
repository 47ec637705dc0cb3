import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { DEFAULT_TRANSACTION } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { itemLink } from "@/lib/checklists/mutations";
import { renewalDueAt, renewalReminderLeadMs } from "@/lib/checklists/rules";
import { notify } from "@/lib/notifications/mutations";
import { markStaleSignoffs } from "@/lib/signoffs/mutations";
import { DEFAULT_TIME_ZONE, formatDateTime } from "@/lib/time";

// Re-attestation: an item may ask for its evidence to be renewed every N days
// (checklist_items.renew_every_days). Evidence is renewed when the item is set done, when
// evidence is added to it while done, and when a passing result counts for it
// (checklist_items.attested_at). This scan, run each minute by the job queue, does two things:
// - reminds the assignee once, a week (or a third of a shorter period) before renewal is due;
// - once it is due, takes the done item back to TO DO, as the system, in one transaction with its
//   audit event: the item stops counting as satisfied, so the gate and every covering sign-off
//   see it (the sign-offs go stale through the usual mechanism, and their approvers are told).
// Safe to run on every instance at once: each item is locked (SKIP LOCKED) and re-read.

export type RenewalScan = { reminded: number; expired: number };

const BATCH = 100;

/** Mirrored by the SQL below: one reminder per item, renewal due time and person. */
export function renewalReminderKey(itemId: string, dueAt: Date, userId: string): string {
  return `RENEWAL:${itemId}:${dueAt.toISOString()}:${userId}`;
}

type Candidate = { id: string; title: string; renewEveryDays: number; attestedAt: Date; assigneeId: string | null; timeZone: string | null; projectId: string; slug: string; projectName: string };

const attested = Prisma.sql`COALESCE(i.attested_at, i.updated_at)`;
const due = Prisma.sql`(${attested} + make_interval(days => i.renew_every_days))`;

async function remind(db: PrismaClient, now: Date): Promise<number> {
  // The widest lead is a week: narrow by it in SQL, then by each item's own lead.
  const horizon = new Date(now.getTime() + renewalReminderLeadMs(3_650));
  const rows = await db.$queryRaw<Candidate[]>`
    SELECT i.id, i.title, i.renew_every_days AS "renewEveryDays", ${attested} AS "attestedAt", i.assignee_id AS "assigneeId", u.time_zone AS "timeZone",
           p.id AS "projectId", p.slug, p.name AS "projectName"
    FROM checklist_items i
    JOIN users u ON u.id = i.assignee_id AND u.disabled_at IS NULL
    JOIN projects p ON p.id = i.project_id
    WHERE i.renew_every_days IS NOT NULL AND i.status = 'DONE'
      AND ${due} > ${now} AND ${due} <= ${horizon}
      AND NOT EXISTS (
        SELECT 1 FROM notifications n
        WHERE n.dedupe_key = 'RENEWAL:' || i.id::text || ':' || to_char(${due} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ':' || i.assignee_id::text
      )
    ORDER BY i.id
    LIMIT ${BATCH}`;
  const ready = rows.filter((row) => renewalDueAt(row.attestedAt, row.renewEveryDays).getTime() - now.getTime() <= renewalReminderLeadMs(row.renewEveryDays));
  if (ready.length === 0) return 0;
  return db.$transaction(async (tx) => {
    let created = 0;
    for (const row of ready) {
      const dueAt = renewalDueAt(row.attestedAt, row.renewEveryDays);
      const zone = row.timeZone ?? DEFAULT_TIME_ZONE;
      const ids = await notify(tx, {
        kind: "DUE_SOON",
        recipients: [row.assigneeId],
        projectId: row.projectId,
        itemId: row.id,
        title: `Renew the evidence of “${row.title}” in ${row.projectName}`,
        body: `It must be renewed every ${row.renewEveryDays} days: by ${formatDateTime(dueAt, zone)} (${zone}), or the item goes back to to do. Add new evidence or a passing result.`,
        link: itemLink(row.slug, row.id),
        actor: null,
        dedupeKey: (userId) => renewalReminderKey(row.id, dueAt, userId),
      });
      created += ids.length;
    }
    return created;
  }, DEFAULT_TRANSACTION);
}

async function expireOne(db: PrismaClient, itemId: string, now: Date, requestId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<(Candidate & { status: string; version: number; area: string; dueAt: Date })[]>`
      SELECT i.id, i.title, i.status, i.version, i.area, i.renew_every_days AS "renewEveryDays", ${attested} AS "attestedAt", ${due} AS "dueAt",
             i.assignee_id AS "assigneeId", p.id AS "projectId", p.slug, p.name AS "projectName"
      FROM checklist_items i JOIN projects p ON p.id = i.project_id
      WHERE i.id = ${itemId}::uuid FOR UPDATE OF i SKIP LOCKED`;
    // Gone, taken by another instance, or renewed meanwhile.
    if (!row || row.status !== "DONE" || row.renewEveryDays === null || row.dueAt.getTime() > now.getTime()) return false;
    await tx.checklistItem.update({ where: { id: row.id }, data: { status: "TODO", statusReason: null, version: { increment: 1 } } });
    const ctx = { actor: null, requestId };
    const reason = `Its evidence was older than ${row.renewEveryDays} days (last renewed ${row.attestedAt.toISOString()}): renew it and mark it done again.`;
    await recordAuditEvent(tx, {
      ...ctx,
      action: auditActions.ITEM_UPDATED,
      entityType: "item",
      entityId: row.id,
      projectId: row.projectId,
      before: { status: "DONE", version: row.version, title: row.title },
      after: { status: "TODO", version: row.version + 1, title: row.title, renewalDue: row.dueAt.toISOString(), reason },
      requestId,
    });
    await markStaleSignoffs(tx, ctx, row.projectId, [row.area as Parameters<typeof markStaleSignoffs>[3][number]], { action: auditActions.ITEM_UPDATED, itemId: row.id, title: row.title });
    await notify(tx, {
      kind: "EVIDENCE_CHANGED",
      recipients: [row.assigneeId],
      projectId: row.projectId,
      itemId: row.id,
      title: `“${row.title}” is back to to do in ${row.projectName}: its evidence needs renewing`,
      body: reason,
      link: itemLink(row.slug, row.id),
      actor: null,
    });
    return true;
  }, DEFAULT_TRANSACTION);
}

/** One pass: the reminders that are due, then every done item whose renewal is past due. */
export async function renewEvidence(db: PrismaClient, now: Date = new Date(), options: { signal?: AbortSignal } = {}): Promise<RenewalScan> {
  const scan: RenewalScan = { reminded: await remind(db, now), expired: 0 };
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT i.id FROM checklist_items i
      WHERE i.renew_every_days IS NOT NULL AND i.status = 'DONE' AND ${due} <= ${now}
      ORDER BY i.id LIMIT ${BATCH}`;
    let expired = 0;
    for (const row of rows) if (await expireOne(db, row.id, now, `renewal-${row.id}-${now.getTime()}`)) expired++;
    scan.expired += expired;
    // A batch where nothing could be taken (all locked elsewhere) ends the pass: the next tick retries.
    if (rows.length < BATCH || expired === 0) return scan;
  }
}
