import { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/db";

// Background work runs on graphile-worker: jobs live in PostgreSQL (schema graphile_worker), so
// they survive restarts, are retried with exponential back-off, and each is taken by exactly one
// worker however many app instances run. Jobs are added inside the transaction of the change
// that needs them: the job exists if and only if the change was committed, and the work itself
// (sending mail, calling a webhook) happens later, outside that transaction.

export const jobNames = {
  /** Email one notification to its recipient. Payload: { notificationId }. */
  email: "notification_email",
  /** POST one event to a project's webhook. Payload: WebhookPayload. */
  webhook: "notification_webhook",
  /** Email a sign-in link (a password reset, an invitation). Payload: AccountEmailJob (its token sealed). */
  accountEmail: "account_email",
  /** Scheduled: notify assignees of items due within two days or overdue. */
  reminders: "due_reminders",
  /** Scheduled, each minute: run the automated checks that are due (lib/checks/item-checks.ts), then re-attestation (lib/checklists/renewals.ts). */
  checks: "run_due_checks",
} as const;

export type JobName = (typeof jobNames)[keyof typeof jobNames];

/** What a project's webhook receives: Slack-compatible `text`, plus the structured event. */
export type WebhookPayload = {
  projectId: string;
  kind: string;
  text: string;
  title: string;
  body: string;
  /** App path; the job turns it into a full URL with AUTH_URL. */
  link: string;
  itemId: string | null;
  recipients: string[];
  occurredAt: string;
};

/** Adds a job in the caller's transaction (graphile-worker's own SQL function). */
export async function enqueueJob(tx: Tx, name: JobName, payload: Record<string, unknown>, options: { maxAttempts?: number } = {}): Promise<void> {
  const json = JSON.stringify(payload);
  await tx.$executeRaw(Prisma.sql`SELECT graphile_worker.add_job(${name}::text, ${json}::json, max_attempts => ${options.maxAttempts ?? 12}::int)`);
}
