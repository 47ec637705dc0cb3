import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import type { ItemStatus } from "@/lib/generated/prisma/enums";
import { isSatisfied } from "@/lib/checklists/rules";
import { itemLink } from "@/lib/checklists/mutations";
import { notify } from "@/lib/notifications/mutations";
import { DEFAULT_TIME_ZONE, DUE_SOON_MS, formatDateTime } from "@/lib/time";

// Reminders for assigned items that are not ready: "due soon" once an item is due within two
// days, "overdue" once its due time has passed. The scan runs on a schedule (lib/jobs/worker.ts)
// and may run any number of times: each reminder has a dedupe key, so it is written once per
// item, kind, due time and person. Moving the due time makes a new key, hence a new reminder.

export type ReminderKind = "DUE_SOON" | "OVERDUE";

export function reminderKind(dueAt: Date, now: Date): ReminderKind {
  return dueAt.getTime() < now.getTime() ? "OVERDUE" : "DUE_SOON";
}

/** Mirrored by the SQL in `findCandidates`; a database test checks that they agree. */
export function reminderKey(kind: ReminderKind, itemId: string, dueAt: Date, userId: string): string {
  return `${kind}:${itemId}:${dueAt.toISOString()}:${userId}`;
}

export function reminderText(kind: ReminderKind, item: { title: string; dueAt: Date }, projectName: string, timeZone: string | null): { title: string; body: string } {
  const zone = timeZone ?? DEFAULT_TIME_ZONE;
  const when = `${formatDateTime(item.dueAt, zone)} (${zone})`;
  return kind === "OVERDUE"
    ? { title: `“${item.title}” is overdue in ${projectName}`, body: `It was due ${when} and is not done yet.` }
    : { title: `“${item.title}” is due within two days in ${projectName}`, body: `It is due ${when}.` };
}

type Candidate = {
  id: string;
  title: string;
  status: ItemStatus;
  waiverExpiresAt: Date | null;
  waiverAcceptedAt: Date | null;
  dueAt: Date;
  assigneeId: string;
  timeZone: string | null;
  projectId: string;
  slug: string;
  projectName: string;
};

export const REMINDER_BATCH_SIZE = 100;

/**
 * Assigned, open items due by `now` + two days whose reminder has not been written yet, in id
 * order after `afterId`. The SQL narrows by status; `isSatisfied` decides (waivers that still hold).
 */
async function findCandidates(db: PrismaClient, now: Date, afterId: string | null, limit: number): Promise<Candidate[]> {
  const horizon = new Date(now.getTime() + DUE_SOON_MS);
  return db.$queryRaw<Candidate[]>(Prisma.sql`
    SELECT i.id, i.title, i.status, i.waiver_expires_at AS "waiverExpiresAt", i.waiver_accepted_at AS "waiverAcceptedAt", i.due_at AS "dueAt",
           i.assignee_id AS "assigneeId", u.time_zone AS "timeZone",
           p.id AS "projectId", p.slug, p.name AS "projectName"
    FROM checklist_items i
    JOIN users u ON u.id = i.assignee_id AND u.disabled_at IS NULL
    JOIN projects p ON p.id = i.project_id
    WHERE i.due_at <= ${horizon}
      AND i.status NOT IN ('DONE', 'NOT_APPLICABLE')
      ${afterId ? Prisma.sql`AND i.id > ${afterId}::uuid` : Prisma.empty}
      AND NOT EXISTS (
        SELECT 1 FROM notifications n
        WHERE n.dedupe_key = (CASE WHEN i.due_at < ${now} THEN 'OVERDUE' ELSE 'DUE_SOON' END)
          || ':' || i.id::text
          || ':' || to_char(i.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
          || ':' || i.assignee_id::text
      )
    ORDER BY i.id
    LIMIT ${limit}`);
}

export type ReminderScan = { candidates: number; created: number };

/**
 * Writes the reminders that are due at `now`, a batch of items per transaction, each through
 * notify() (in-app notification, email and webhook jobs). Safe to run concurrently and repeatedly.
 */
export async function sendDueReminders(db: PrismaClient, now: Date = new Date(), options: { batchSize?: number; signal?: AbortSignal } = {}): Promise<ReminderScan> {
  const batchSize = options.batchSize ?? REMINDER_BATCH_SIZE;
  const scan: ReminderScan = { candidates: 0, created: 0 };
  let afterId: string | null = null;
  for (;;) {
    options.signal?.throwIfAborted();
    const rows = await findCandidates(db, now, afterId, batchSize);
    const open = rows.filter((row) => !isSatisfied(row, now));
    scan.candidates += open.length;
    if (open.length > 0) {
      scan.created += await db.$transaction(
        async (tx) => {
          let created = 0;
          for (const row of open) {
            const kind = reminderKind(row.dueAt, now);
            const text = reminderText(kind, row, row.projectName, row.timeZone);
            const ids = await notify(tx, {
              kind,
              recipients: [row.assigneeId],
              projectId: row.projectId,
              itemId: row.id,
              title: text.title,
              body: text.body,
              link: itemLink(row.slug, row.id),
              actor: null,
              dedupeKey: (userId) => reminderKey(kind, row.id, row.dueAt, userId),
            });
            created += ids.length;
          }
          return created;
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
    }
    const last = rows.at(-1);
    if (!last || rows.length < batchSize) return scan;
    afterId = last.id;
  }
}
