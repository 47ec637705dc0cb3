import { seal, unseal } from "@/lib/seal";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { absoluteUrl, sendMail, type DeliverySettings } from "@/lib/notifications/deliver";
import { hashSignInLinkToken, signInLinkRefusal } from "@/lib/users/sign-in-links";

// Emails that carry a sign-in link: a password reset, an invitation. The link's token must reach
// the worker that sends the email, through the job queue's table; it travels sealed (AES-256-GCM
// under a key derived from AUTH_SECRET), so the queue holds nothing a reader of the database could
// use, and the worker checks it against the link's stored hash before sending.

const SEAL_INFO = "shipshape account email token";

export function sealToken(token: string, secret: string): string {
  return seal(token, secret, SEAL_INFO);
}

/** The token, or null when the seal was made with another secret or altered. */
export function openToken(sealed: string, secret: string): string | null {
  return unseal(sealed, secret, SEAL_INFO);
}

export type AccountEmailKind = "reset" | "invitation";

export function composeAccountEmail(kind: AccountEmailKind, input: { name: string; url: string; expiresAt: Date; invitedBy?: string }): { subject: string; text: string } {
  const expires = `${input.expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  if (kind === "reset") {
    return {
      subject: "Set a new password for Shipshape",
      text: `Hello ${input.name},\n\nsomeone (we hope you) asked to set a new password for your Shipshape account. Open this link to choose one; it works once, until ${expires}:\n\n${input.url}\n\nIf you did not ask, ignore this email: your password stays as it is.\n`,
    };
  }
  return {
    subject: `${input.invitedBy ?? "An admin"} invited you to Shipshape`,
    text: `Hello ${input.name},\n\n${input.invitedBy ?? "An admin"} made you an account on Shipshape, where your team runs its go-live reviews. Open this link to set your password; it works once, until ${expires}:\n\n${input.url}\n`,
  };
}

export type AccountEmailJob = { linkId: string; sealed: string; kind: AccountEmailKind; invitedBy?: string | undefined };

/**
 * Sends one account email, if its link still works (not used, not expired or withdrawn, the user
 * enabled): "skipped" otherwise, "smtp-off" without SMTP. A seal that does not open is an error
 * the job keeps (AUTH_SECRET differs between the instance that queued it and this worker).
 */
export async function deliverAccountEmail(db: PrismaClient, settings: DeliverySettings, job: AccountEmailJob, signal?: AbortSignal): Promise<"sent" | "skipped" | "smtp-off"> {
  if (!settings.smtpUrl) return "smtp-off";
  const link = await db.signInLink.findUnique({ where: { id: job.linkId }, select: { id: true, tokenHash: true, usedAt: true, expiresAt: true, user: { select: { name: true, email: true, disabledAt: true } } } });
  if (!link || signInLinkRefusal(link, new Date())) return "skipped";
  const token = settings.secret ? openToken(job.sealed, settings.secret) : null;
  if (!token || hashSignInLinkToken(token) !== link.tokenHash) throw new Error("the sealed link token does not open with this AUTH_SECRET");
  const message = composeAccountEmail(job.kind, { name: link.user.name, url: absoluteUrl(settings.baseUrl, `/set-password?token=${token}`), expiresAt: link.expiresAt, invitedBy: job.invitedBy });
  await sendMail(settings, { to: link.user, ...message }, signal);
  return "sent";
}
