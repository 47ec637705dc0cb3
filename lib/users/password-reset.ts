import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { z } from "zod";
import { db, DEFAULT_TRANSACTION, getPool } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { enqueueJob, jobNames } from "@/lib/jobs/queue";
import { parseInput } from "@/lib/validation";
import { sealToken } from "@/lib/users/account-email";
import { createSetPasswordLink, RESET_LINK_HOURS } from "@/lib/users/sign-in-links";

// "Forgot password": anyone may ask for a reset link for an email; the answer is the same whether
// or not an account has it (and whether or not the request was over a limit), so the page tells
// nobody who has an account. For an enabled account, a RESET_PASSWORD link (an hour, once; earlier
// reset links stop working) is made and its email queued in one transaction, audited; the worker
// sends it (lib/users/account-email.ts). Limits, kept in PostgreSQL: 3 requests an hour per email,
// 20 per address.

export const RESET_REQUESTED_MESSAGE = `If an account uses that email, a link to set a new password is on its way. It works once, for ${RESET_LINK_HOURS} hour.`;

const HOUR = 60 * 60;
let limiters: { perEmail: RateLimiterPostgres; perAddress: RateLimiterPostgres } | undefined;

function getLimiters() {
  const common = { storeClient: getPool(), tableName: "rate_limits", tableCreated: true, clearExpiredByTimeout: false };
  limiters ??= {
    perEmail: new RateLimiterPostgres({ ...common, keyPrefix: "reset-email", points: 3, duration: HOUR }),
    perAddress: new RateLimiterPostgres({ ...common, keyPrefix: "reset-address", points: 20, duration: HOUR }),
  };
  return limiters;
}

/** Whether this request is within both limits (it counts against them either way). */
async function withinLimits(email: string, address: string): Promise<boolean> {
  const { perEmail, perAddress } = getLimiters();
  const consumed = await Promise.allSettled([perEmail.consume(email), perAddress.consume(address)]);
  for (const result of consumed) {
    if (result.status === "rejected" && !(result.reason instanceof RateLimiterRes)) throw result.reason;
  }
  return consumed.every((result) => result.status === "fulfilled");
}

const resetRequestSchema = z.object({ email: z.email("Enter the email address you sign in with.").trim().toLowerCase().max(320) });

export async function requestPasswordReset(input: unknown, request: { address: string; requestId: string | null; secret: string }): Promise<{ message: string }> {
  const { email } = parseInput(resetRequestSchema, input);
  if (!(await withinLimits(email, request.address))) return { message: RESET_REQUESTED_MESSAGE };
  await db.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { email, disabledAt: null }, select: { id: true, name: true, email: true } });
    if (!user) return;
    await tx.signInLink.updateMany({ where: { userId: user.id, purpose: "RESET_PASSWORD", usedAt: null, expiresAt: { gt: new Date() } }, data: { expiresAt: new Date() } });
    const link = await createSetPasswordLink(tx, user.id, "RESET_PASSWORD");
    await enqueueJob(tx, jobNames.accountEmail, { linkId: link.id, sealed: sealToken(link.token, request.secret), kind: "reset" }, { maxAttempts: 5 });
    await recordAuditEvent(tx, {
      actor: null,
      action: auditActions.AUTH_PASSWORD_RESET_REQUESTED,
      entityType: "user",
      entityId: user.id,
      after: { email: user.email, signInLink: { id: link.id, purpose: "RESET_PASSWORD", expiresAt: link.expiresAt.toISOString() }, address: request.address },
      requestId: request.requestId,
    });
  }, DEFAULT_TRANSACTION);
  return { message: RESET_REQUESTED_MESSAGE };
}
