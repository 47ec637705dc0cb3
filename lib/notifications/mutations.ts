import { db, type Tx } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { assertCan } from "@/lib/policy";
import { markReadSchema } from "@/lib/notifications/schema";
import type { NotificationKind } from "@/lib/generated/prisma/enums";
import type { AuditActor } from "@/lib/audit/mutations";
import { enqueueJob, jobNames, type WebhookPayload } from "@/lib/jobs/queue";

export type NotificationInput = {
  kind: NotificationKind;
  /** User ids; the actor and disabled users are left out, duplicates collapse. */
  recipients: readonly (string | null | undefined)[];
  projectId: string;
  itemId: string | null;
  title: string;
  body?: string;
  link: string;
  /** Who caused it (null: the system, e.g. a reminder). */
  actor: AuditActor;
  /** For reminders: one notification per key and person, however often the scan runs. */
  dedupeKey?: (userId: string) => string;
};

/**
 * Writes in-app notifications in the caller's transaction and queues their delivery by email
 * and to the project's webhook. Nothing is sent here: the jobs run after the commit, and a
 * rolled-back change leaves neither notifications nor jobs behind. Returns the ids written.
 */
export async function notify(tx: Tx, input: NotificationInput): Promise<string[]> {
  const wanted = [...new Set(input.recipients.filter((id): id is string => Boolean(id) && id !== input.actor?.id))];
  if (wanted.length === 0) return [];
  const users = await tx.user.findMany({ where: { id: { in: wanted }, disabledAt: null }, select: { id: true, email: true, emailNotifications: true } });
  if (users.length === 0) return [];
  const created = await tx.notification.createManyAndReturn({
    data: users.map((user) => ({
      userId: user.id,
      kind: input.kind,
      projectId: input.projectId,
      itemId: input.itemId,
      title: input.title,
      body: input.body ?? "",
      link: input.link,
      actorName: input.actor?.name ?? null,
      dedupeKey: input.dedupeKey?.(user.id) ?? null,
    })),
    skipDuplicates: true,
    select: { id: true, userId: true },
  });
  if (created.length === 0) return [];

  // Queued for everyone who wants email, whether or not SMTP is configured here: the worker that
  // runs the job decides (and does nothing when it has no SMTP), so web instances without mail
  // settings still queue mail for a worker that has them.
  const emailing = new Set(users.filter((user) => user.emailNotifications).map((user) => user.id));
  for (const notification of created) {
    if (emailing.has(notification.userId)) await enqueueJob(tx, jobNames.email, { notificationId: notification.id });
  }
  const project = await tx.project.findUnique({ where: { id: input.projectId }, select: { webhookUrl: true } });
  if (project?.webhookUrl) {
    const payload: WebhookPayload = {
      projectId: input.projectId,
      kind: input.kind,
      text: input.body ? `${input.title}\n${input.body}` : input.title,
      title: input.title,
      body: input.body ?? "",
      link: input.link,
      itemId: input.itemId,
      recipients: created.map((notification) => notification.userId),
      occurredAt: new Date().toISOString(),
    };
    await enqueueJob(tx, jobNames.webhook, payload);
  }
  return created.map((notification) => notification.id);
}

/** Marks the actor's own notifications read (never anyone else's), audited with the count. */
export async function markNotificationsRead(ctx: ServiceContext, input: unknown): Promise<{ marked: number }> {
  assertCan(ctx.actor, "self.manage", { kind: "global" });
  const data = parseInput(markReadSchema, input);
  return db.$transaction(async (tx) => {
    const { count } = await tx.notification.updateMany({
      where: { userId: ctx.actor.id, readAt: null, ...(data.ids === "all" ? {} : { id: { in: data.ids } }) },
      data: { readAt: new Date() },
    });
    if (count > 0) {
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.NOTIFICATIONS_READ,
        entityType: "user",
        entityId: ctx.actor.id,
        after: { marked: count, scope: data.ids === "all" ? "all" : "selected" },
        requestId: ctx.requestId,
      });
    }
    return { marked: count };
  });
}
