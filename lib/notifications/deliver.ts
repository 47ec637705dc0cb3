import nodemailer from "nodemailer";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { WebhookPayload } from "@/lib/jobs/queue";
import { outboundRequest } from "@/lib/net/http-request";
import { connectionError, deadlineSignal, type OutboundOptions } from "@/lib/net/outbound";
import { vetWebhookUrl } from "@/lib/notifications/webhook-target";

// Delivery of notifications that were already committed: run by background jobs (lib/jobs/worker.ts),
// never inside the transaction of the change. A failure throws, so the job is retried with
// graphile-worker's back-off; the in-app notification stays whatever happens here.

export type DeliverySettings = {
  /** Public base URL that app paths are appended to (AUTH_URL, else http://localhost:PORT). */
  baseUrl: string;
  /** smtp:// or smtps:// URL; undefined: email is off and email jobs do nothing. */
  smtpUrl?: string | undefined;
  /** The From of every email. */
  smtpFrom: string;
  /** AUTH_SECRET: opens the sealed tokens of account emails (lib/users/account-email.ts). */
  secret?: string | undefined;
  /** What webhooks may reach beyond public addresses (the server's OUTBOUND_ALLOW_PRIVATE); default nothing. */
  outbound?: OutboundOptions | undefined;
};

export const DEFAULT_SMTP_FROM = "Shipshape <shipshape@localhost>";
export const WEBHOOK_TIMEOUT_MS = 10_000;
const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** The public base URL: AUTH_URL when set, else the local server. */
export function defaultBaseUrl(authUrl: string | undefined, port: string | undefined): string {
  return authUrl ?? `http://localhost:${port || "3000"}`;
}

/** An app path (`/projects/…`) as a full URL under the base URL (which may carry a path prefix). */
export function absoluteUrl(baseUrl: string, link: string): string {
  return `${baseUrl.replace(/\/+$/, "")}/${link.replace(/^\/+/, "")}`;
}

/**
 * The part of a webhook URL that may be logged. Slack and similar services put the secret in the
 * path, so only the origin ever reaches a log line or an error message.
 */
export function webhookOrigin(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : "(invalid webhook URL)";
}

/** Slack reads `<…>` as links and mentions (`<!channel>`): text written by users is escaped. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export type EmailMessage = { subject: string; text: string };

export function composeEmail(notification: { title: string; body: string }, url: string): EmailMessage {
  const parts = [notification.body.trim(), `Open in Shipshape: ${url}`].filter(Boolean);
  return {
    // One line: a header cannot carry a line break.
    subject: notification.title.replace(/\s+/g, " ").trim(),
    text: `${parts.join("\n\n")}\n\n-- \nYou get these emails because email notifications are on for your Shipshape account.\n`,
  };
}

export type EmailOutcome = "sent" | "skipped" | "smtp-off";

/**
 * Emails one notification to its recipient, once: skipped when SMTP is off, when the user was
 * disabled or turned email off since, or when it was already emailed (a retry after a crash
 * between sending and recording can still send it twice: delivery is at least once).
 */
export async function deliverEmail(db: PrismaClient, settings: DeliverySettings, notificationId: string, signal?: AbortSignal): Promise<EmailOutcome> {
  if (!settings.smtpUrl) return "smtp-off";
  const notification = await db.notification.findUnique({
    where: { id: notificationId },
    select: { id: true, title: true, body: true, link: true, emailedAt: true, user: { select: { email: true, name: true, disabledAt: true, emailNotifications: true } } },
  });
  if (!notification || notification.emailedAt || notification.user.disabledAt || !notification.user.emailNotifications) return "skipped";

  const url = absoluteUrl(settings.baseUrl, notification.link);
  const message = composeEmail(notification, url);
  // The same Message-ID on every attempt lets mail systems drop a duplicate.
  await sendMail(settings, { to: notification.user, ...message, messageId: `<${notification.id}@${messageIdDomain(settings.baseUrl)}>` }, signal);
  await db.notification.updateMany({ where: { id: notification.id, emailedAt: null }, data: { emailedAt: new Date() } });
  return "sent";
}

/** Sends one email over the configured SMTP server (which must be set). */
export async function sendMail(settings: DeliverySettings, mail: EmailMessage & { to: { name: string; email: string }; messageId?: string }, signal?: AbortSignal): Promise<void> {
  const transport = nodemailer.createTransport({ url: settings.smtpUrl, ...SMTP_TIMEOUTS, disableFileAccess: true, disableUrlAccess: true });
  // A worker shutting down cuts the conversation short: the send fails and is retried later.
  const closeTransport = () => transport.close();
  signal?.addEventListener("abort", closeTransport, { once: true });
  try {
    await transport.sendMail({
      from: settings.smtpFrom,
      to: { name: mail.to.name, address: mail.to.email },
      subject: mail.subject,
      text: mail.text,
      ...(mail.messageId ? { messageId: mail.messageId } : {}),
      headers: { "Auto-Submitted": "auto-generated" },
    });
  } finally {
    signal?.removeEventListener("abort", closeTransport);
    transport.close();
  }
}

function messageIdDomain(baseUrl: string): string {
  return URL.canParse(baseUrl) ? new URL(baseUrl).hostname || "shipshape" : "shipshape";
}

/** What a project's webhook receives. */
export type WebhookBody = {
  /** Slack-compatible message: title, body and the full link. */
  text: string;
  kind: string;
  title: string;
  body: string;
  url: string;
  project: { slug: string; name: string };
  itemId: string | null;
  recipients: { id: string; name: string }[];
  occurredAt: string;
};

export function composeWebhookBody(payload: WebhookPayload, project: { slug: string; name: string }, recipients: { id: string; name: string }[], baseUrl: string): WebhookBody {
  const url = absoluteUrl(baseUrl, payload.link);
  return {
    text: `${escapeSlackText(payload.text)}\n${url}`,
    kind: payload.kind,
    title: payload.title,
    body: payload.body,
    url,
    project,
    itemId: payload.itemId,
    recipients,
    occurredAt: payload.occurredAt,
  };
}

export type WebhookOutcome = "sent" | "skipped";

/**
 * A delivery that retrying cannot make succeed: the outbound guard refuses the webhook's target.
 * The worker fails its job for good; the next notification is judged afresh, against the URL
 * and the addresses it has then.
 */
export class PermanentDeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PermanentDeliveryError";
  }
}

/**
 * POSTs one event to the project's webhook as it is configured NOW (removed since: skipped),
 * after vetting that URL now: a refused target throws PermanentDeliveryError and nothing is sent.
 * Any answer other than 2xx, a network error or the 10 s timeout throws, so the job is retried;
 * a redirect is not followed. `deliveryId` (the job id) is the same on every attempt, for
 * receivers that deduplicate.
 */
export async function deliverWebhook(db: PrismaClient, settings: DeliverySettings, payload: WebhookPayload, options: { deliveryId: string; signal?: AbortSignal }): Promise<WebhookOutcome> {
  const project = await db.project.findUnique({ where: { id: payload.projectId }, select: { slug: true, name: true, webhookUrl: true } });
  if (!project?.webhookUrl) return "skipped";
  const origin = webhookOrigin(project.webhookUrl);
  const users = await db.user.findMany({ where: { id: { in: payload.recipients } }, select: { id: true, name: true }, orderBy: { name: "asc" } });
  const body = composeWebhookBody(payload, { slug: project.slug, name: project.name }, users, settings.baseUrl);

  // One deadline for vetting (resolving the host) and sending.
  const deadline = deadlineSignal(WEBHOOK_TIMEOUT_MS, options.signal);
  let status: number;
  try {
    const target = await vetWebhookUrl(project.webhookUrl, { ...settings.outbound, signal: deadline });
    ({ status } = await outboundRequest(target, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "Shipshape", "X-Shipshape-Delivery": options.deliveryId },
      body: JSON.stringify(body),
      timeoutMs: WEBHOOK_TIMEOUT_MS,
      signal: deadline,
      // A redirect is an answer other than 2xx; following it could send the event elsewhere.
      maxRedirects: 0,
      maxBodyBytes: 0,
    }));
  } catch (error) {
    const failure = connectionError(error, deadline, WEBHOOK_TIMEOUT_MS);
    if (failure.failure === "refused") throw new PermanentDeliveryError(`Webhook ${origin} refused: ${failure.message} (not retried)`);
    throw new Error(`Webhook ${origin} ${failure.failure === "aborted" ? "delivery was interrupted (shutting down)" : failure.message}`);
  }
  if (status < 200 || status > 299) throw new Error(`Webhook ${origin} answered ${status}`);
  return "sent";
}
