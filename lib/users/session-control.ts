import { z } from "zod";
import { db, DEFAULT_TRANSACTION, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan, type Actor } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";

// Session control (ASVS V7): each person sees where they are signed in and can end any of those
// sessions; an admin can end every session of a user; a session unused for longer than its idle
// limit ends on the server at its next request. Ending is revoking the row: the cookie that
// carries it is worthless from the next request, wherever it was copied to.

export type SessionRow = {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  userAgent: string;
  ipAddress: string;
  /** The browser that asks. */
  current: boolean;
};

/** The person's sessions that are still valid, the most recently used first. */
export async function listMySessions(actor: Actor): Promise<SessionRow[]> {
  const rows = await db.userSession.findMany({
    where: { userId: actor.id, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    select: { id: true, createdAt: true, lastSeenAt: true, expiresAt: true, userAgent: true, ipAddress: true },
  });
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    current: row.id === actor.sessionId,
  }));
}

const endMineSchema = z.object({ sessionId: z.union([z.uuid("Choose a session."), z.literal("others")], { error: "Choose a session." }) });
const endUsersSchema = z.object({ userId: z.uuid("Choose a user.") });

async function revoke(tx: Tx, where: { userId: string; id?: string | { not: string } }, reason: string): Promise<number> {
  const ended = await tx.userSession.updateMany({ where: { ...where, revokedAt: null, expiresAt: { gt: new Date() } }, data: { revokedAt: new Date(), endReason: reason } });
  return ended.count;
}

/**
 * Ends one of the person's own sessions, or every one but this browser's (`"others"`). A session
 * that is not theirs is NOT_FOUND, as one that does not exist; ending this browser's own session
 * is signing out, which has its own button.
 */
export async function endMySession(ctx: ServiceContext, input: unknown): Promise<{ ended: number }> {
  const { sessionId } = parseInput(endMineSchema, input);
  const current = ctx.actor.sessionId;
  if (!current) throw new AppError("FORBIDDEN", "Only a signed-in browser ends sessions.");
  if (sessionId === current) throw new AppError("INVALID_INPUT", "This is the browser you are using: sign out instead.", { sessionId: ["Sign out to end this browser's session."] });
  return db.$transaction(async (tx) => {
    if (sessionId !== "others" && !(await tx.userSession.findFirst({ where: { id: sessionId, userId: ctx.actor.id }, select: { id: true } }))) {
      throw new AppError("NOT_FOUND", "Session not found.");
    }
    const ended = await revoke(tx, { userId: ctx.actor.id, id: sessionId === "others" ? { not: current } : sessionId }, "ended_by_user");
    if (ended > 0) {
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.AUTH_SESSIONS_ENDED,
        entityType: "user",
        entityId: ctx.actor.id,
        after: { reason: "ended_by_user", sessions: ended, ...(sessionId === "others" ? { allOthers: true } : { sessionId }) },
        requestId: ctx.requestId,
      });
    }
    return { ended };
  }, DEFAULT_TRANSACTION);
}

/** An admin ends every session of a user (a lost laptop, a departure): they must sign in again. */
export async function endUserSessions(ctx: ServiceContext, input: unknown): Promise<{ ended: number }> {
  const { userId } = parseInput(endUsersSchema, input);
  assertCan(ctx.actor, "user.manage", { kind: "global" });
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true } });
    if (!user) throw new AppError("NOT_FOUND", "User not found.");
    const ended = await revoke(tx, { userId }, "ended_by_admin");
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.AUTH_SESSIONS_ENDED,
      entityType: "user",
      entityId: user.id,
      after: { reason: "ended_by_admin", sessions: ended, userName: user.name, email: user.email },
      requestId: ctx.requestId,
    });
    return { ended };
  }, DEFAULT_TRANSACTION);
}

/** The idle limit for a person, in minutes (0: none), from the settings. */
export function idleLimitMinutes(globalRoles: readonly string[], limits: { admin: number; everyone: number }): number {
  const applicable = [limits.everyone, ...(globalRoles.includes("ADMIN") ? [limits.admin] : [])].filter((minutes) => minutes > 0);
  return applicable.length ? Math.min(...applicable) : 0;
}

/** Ends a session that was idle for too long, once, with its event (called when its next request arrives). */
export async function endIdleSession(sessionId: string, user: { id: string; name: string; email: string }, idleMinutes: number, requestId: string | null): Promise<void> {
  await db.$transaction(async (tx) => {
    const ended = await revoke(tx, { userId: user.id, id: sessionId }, "idle");
    if (ended === 0) return;
    await recordAuditEvent(tx, {
      actor: user,
      action: auditActions.AUTH_SESSIONS_ENDED,
      entityType: "session",
      entityId: sessionId,
      after: { reason: "idle", sessions: 1, idleMinutes },
      requestId,
    });
  }, DEFAULT_TRANSACTION);
}
