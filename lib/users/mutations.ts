import { db } from "@/lib/db";
import { AppError, rateLimited } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { hashPassword, verifyPassword } from "@/lib/users/password";
import {
  changePasswordSchema,
  createUserFromCliSchema,
  createUserSchema,
  newSignInLinkSchema,
  PASSWORD_IS_EMAIL,
  passwordIsEmail,
  setPasswordSchema,
  setUserDisabledSchema,
  setUserGlobalRolesSchema,
  updatePreferencesSchema,
} from "@/lib/users/schema";
import { enqueueJob, jobNames } from "@/lib/jobs/queue";
import { sealToken } from "@/lib/users/account-email";
import { createSetPasswordLink, hashSignInLinkToken, SIGN_IN_LINK_MESSAGES, signInLinkRefusal, type SignInLinkRefusal } from "@/lib/users/sign-in-links";
import { countSignInAttempt, signInRetryAfter } from "@/lib/users/sign-in-limits";
import { isUniqueViolation } from "@/lib/db-errors";

/**
 * An admin adds a user: with an initial password, or (none given) with an invitation: a
 * SET_PASSWORD link (once, 24 hours) emailed by the worker, its token sealed with `secret`
 * (lib/users/account-email.ts), so the admin never knows the person's password.
 */
export async function createUser(ctx: ServiceContext, input: unknown, options: { secret?: string } = {}): Promise<{ id: string; invited: boolean }> {
  assertCan(ctx.actor, "user.manage", { kind: "global" });
  const data = parseInput(createUserSchema, input);
  if (data.password === undefined && !options.secret) throw new AppError("INVALID_INPUT", "Set an initial password.", { password: ["Set an initial password."] });
  const passwordHash = data.password === undefined ? null : await hashPassword(data.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: data.email, name: data.name, title: data.title, passwordHash, globalRoles: data.globalRoles },
        select: { id: true, email: true, name: true, title: true, globalRoles: true },
      });
      const link = passwordHash === null ? await createSetPasswordLink(tx, user.id) : null;
      if (link) await enqueueJob(tx, jobNames.accountEmail, { linkId: link.id, sealed: sealToken(link.token, options.secret ?? ""), kind: "invitation", invitedBy: ctx.actor.name }, { maxAttempts: 5 });
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.USER_CREATED,
        entityType: "user",
        entityId: user.id,
        after: { ...user, ...(link ? { invited: true, signInLink: { id: link.id, purpose: "SET_PASSWORD", expiresAt: link.expiresAt.toISOString() } } : {}) },
        requestId: ctx.requestId,
      });
      return { id: user.id, invited: link !== null };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "A user with this email already exists.", { email: ["A user with this email already exists."] });
    }
    throw error;
  }
}

/** Disabling revokes every session of the user in the same transaction. */
export async function setUserDisabled(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "user.manage", { kind: "global" });
  const { userId, disabled } = parseInput(setUserDisabledSchema, input);
  if (disabled && userId === ctx.actor.id) {
    throw new AppError("INVALID_INPUT", "You cannot disable your own account.", { userId: ["You cannot disable your own account."] });
  }
  await db.$transaction(async (tx) => {
    const now = new Date();
    // Conditional on the current state, so a repeated click changes and records nothing.
    const changed = await tx.user.updateMany({
      where: { id: userId, disabledAt: disabled ? null : { not: null } },
      data: { disabledAt: disabled ? now : null },
    });
    if (changed.count === 0) {
      const exists = await tx.user.count({ where: { id: userId } });
      if (exists === 0) throw new AppError("NOT_FOUND", "User not found.");
      return;
    }
    if (disabled) {
      await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now, endReason: "user_disabled" } });
    }
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: disabled ? auditActions.USER_DISABLED : auditActions.USER_ENABLED,
      entityType: "user",
      entityId: userId,
      before: { disabled: !disabled },
      after: { disabled },
      requestId: ctx.requestId,
    });
  });
}

/** Changes a user's global roles; takes effect on their next request. */
export async function setUserGlobalRoles(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "user.manage", { kind: "global" });
  const { userId, globalRoles } = parseInput(setUserGlobalRolesSchema, input);
  if (userId === ctx.actor.id && !globalRoles.includes("ADMIN")) {
    throw new AppError("INVALID_INPUT", "You cannot remove your own admin role: ask another admin.", { globalRoles: ["You cannot remove your own admin role."] });
  }
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, name: true, email: true, globalRoles: true } });
    if (!user) throw new AppError("NOT_FOUND", "User not found.");
    const before = [...user.globalRoles].sort();
    if (before.join() === globalRoles.join()) return;
    // Guarded on the roles read: a concurrent change makes this a conflict, not a lost update.
    const changed = await tx.user.updateMany({ where: { id: userId, globalRoles: { equals: user.globalRoles } }, data: { globalRoles } });
    if (changed.count !== 1) throw new AppError("CONFLICT", "Someone changed this user's roles meanwhile. Reload and try again.");
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.USER_ROLES_CHANGED,
      entityType: "user",
      entityId: userId,
      before: { name: user.name, email: user.email, globalRoles: before },
      after: { name: user.name, email: user.email, globalRoles },
      requestId: ctx.requestId,
    });
  });
}

/** The actor's own time zone and email preference. */
export async function updatePreferences(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "self.manage", { kind: "global" });
  const data = parseInput(updatePreferencesSchema, input);
  await db.$transaction(async (tx) => {
    const before = await tx.user.findUniqueOrThrow({ where: { id: ctx.actor.id }, select: { timeZone: true, emailNotifications: true } });
    const after = { timeZone: data.timeZone === "" ? null : data.timeZone, emailNotifications: data.emailNotifications };
    if (before.timeZone === after.timeZone && before.emailNotifications === after.emailNotifications) return;
    await tx.user.update({ where: { id: ctx.actor.id }, data: after });
    await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.USER_PREFERENCES_CHANGED, entityType: "user", entityId: ctx.actor.id, before, after, requestId: ctx.requestId });
  });
}

/** Where a command-line change came from, for its audit event: nobody signed in, so no actor. */
export type CommandLineOrigin = { requestId: string; systemUser: string; host: string };

export type UserCreatedFromCli = { id: string; email: string; name: string; admin: boolean; link: { token: string; expiresAt: Date } };

/**
 * Creates a user without a password, and a single-use link for them to set their own
 * (`npm run cli -- user create`). The command line is how the first admin comes to exist, so it
 * asks no policy: whoever runs it already holds the database. The event names the command line
 * and the system user that ran it; the link's token is returned once and never stored.
 */
export async function createUserFromCli(client: PrismaClient, input: unknown, origin: CommandLineOrigin): Promise<UserCreatedFromCli> {
  const data = parseInput(createUserFromCliSchema, input);
  try {
    return await client.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: data.email, name: data.name, globalRoles: data.admin ? ["ADMIN"] : [] },
        select: { id: true, email: true, name: true, title: true, globalRoles: true },
      });
      const link = await createSetPasswordLink(tx, user.id);
      await recordAuditEvent(tx, {
        actor: null,
        action: auditActions.USER_CREATED,
        entityType: "user",
        entityId: user.id,
        after: { ...user, via: "command line", systemUser: origin.systemUser, host: origin.host, signInLink: { id: link.id, purpose: "SET_PASSWORD", expiresAt: link.expiresAt.toISOString() } },
        requestId: origin.requestId,
      });
      return { id: user.id, email: user.email, name: user.name, admin: data.admin, link: { token: link.token, expiresAt: link.expiresAt } };
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `A user with the email ${data.email} already exists.`, { email: ["A user with this email already exists."] });
    }
    throw error;
  }
}

/**
 * A new set-password link for an existing, enabled user (`npm run cli -- user link`): their
 * earlier unused links stop working in the same transaction, so only the newest link sent out
 * works. The password stays as it is until the link is used.
 */
export async function createSignInLinkFromCli(client: PrismaClient, input: unknown, origin: CommandLineOrigin): Promise<{ email: string; name: string; link: { token: string; expiresAt: Date } }> {
  const { email } = parseInput(newSignInLinkSchema, input);
  return client.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { email, disabledAt: null }, select: { id: true, name: true, email: true } });
    if (!user) throw new AppError("NOT_FOUND", `No enabled user has the email ${email}.`);
    const withdrawn = await tx.signInLink.updateMany({ where: { userId: user.id, usedAt: null, expiresAt: { gt: new Date() } }, data: { expiresAt: new Date() } });
    const link = await createSetPasswordLink(tx, user.id);
    await recordAuditEvent(tx, {
      actor: null,
      action: auditActions.SIGN_IN_LINK_CREATED,
      entityType: "user",
      entityId: user.id,
      after: { name: user.name, email: user.email, via: "command line", systemUser: origin.systemUser, host: origin.host, signInLink: { id: link.id, purpose: "SET_PASSWORD", expiresAt: link.expiresAt.toISOString() }, earlierLinksWithdrawn: withdrawn.count },
      requestId: origin.requestId,
    });
    return { email: user.email, name: user.name, link: { token: link.token, expiresAt: link.expiresAt } };
  });
}

function linkRefused(refusal: SignInLinkRefusal): AppError {
  return new AppError(refusal === "unknown" ? "NOT_FOUND" : "CONFLICT", SIGN_IN_LINK_MESSAGES[refusal], undefined, { refusal });
}

/**
 * Sets a password with a sign-in link. The link is the authority here (nobody is signed in): it
 * is used by a conditional update on the database's clock, in the transaction that sets the
 * password and records the event, so of two uses at once exactly one succeeds and a used,
 * expired or unknown link changes nothing. Sessions the person had are ended.
 */
export async function setPasswordWithLink(input: unknown, requestId: string | null): Promise<{ email: string }> {
  const data = parseInput(setPasswordSchema, input);
  const link = await db.signInLink.findUnique({
    where: { tokenHash: hashSignInLinkToken(data.token) },
    select: { id: true, usedAt: true, expiresAt: true, user: { select: { id: true, name: true, email: true, disabledAt: true } } },
  });
  const refusal = signInLinkRefusal(link, new Date());
  if (refusal || !link) throw linkRefused(refusal ?? "unknown");
  if (passwordIsEmail(data.password, link.user.email)) throw new AppError("INVALID_INPUT", PASSWORD_IS_EMAIL, { password: [PASSWORD_IS_EMAIL] });
  // Hashed before the transaction, so the link's row is locked only for the writes.
  const passwordHash = await hashPassword(data.password);
  const { user } = link;
  await db.$transaction(async (tx) => {
    const used = await tx.$executeRaw`UPDATE sign_in_links SET used_at = now() WHERE id = ${link.id}::uuid AND used_at IS NULL AND expires_at > now()`;
    if (used !== 1) {
      const now = await tx.signInLink.findUniqueOrThrow({ where: { id: link.id }, select: { usedAt: true, expiresAt: true, user: { select: { disabledAt: true } } } });
      throw linkRefused(signInLinkRefusal(now, new Date()) ?? "expired");
    }
    const changed = await tx.user.updateMany({ where: { id: user.id, disabledAt: null }, data: { passwordHash } });
    if (changed.count !== 1) throw linkRefused("unknown");
    const ended = await tx.userSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date(), endReason: "password_set" } });
    await recordAuditEvent(tx, {
      actor: { id: user.id, name: user.name, email: user.email },
      action: auditActions.USER_PASSWORD_SET,
      entityType: "user",
      entityId: user.id,
      after: { method: "sign_in_link", signInLinkId: link.id, sessionsEnded: ended.count },
      requestId,
    });
  });
  return { email: user.email };
}

const WRONG_CURRENT_PASSWORD = "This is not your current password.";

/**
 * The signed-in person changes their own password, giving the current one. A wrong current
 * password changes nothing and counts against the account's sign-in limit (a stolen session
 * must not become a way to guess the password). Success ends every other session of theirs in
 * the same transaction; the one they are using stays.
 */
export async function changePassword(ctx: ServiceContext, input: unknown, session: { sessionId: string; address: string }): Promise<{ otherSessionsEnded: number }> {
  assertCan(ctx.actor, "self.manage", { kind: "global" });
  const data = parseInput(changePasswordSchema, input);
  const attempt = { email: ctx.actor.email, address: session.address };
  const retryAfter = await signInRetryAfter(attempt);
  if (retryAfter > 0) {
    const minutes = Math.max(1, Math.ceil(retryAfter / 60));
    throw rateLimited(`Too many wrong passwords for this account. Try again in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`, retryAfter);
  }
  const current = await db.user.findUniqueOrThrow({ where: { id: ctx.actor.id }, select: { passwordHash: true } });
  if (!current.passwordHash) {
    throw new AppError("INVALID_INPUT", "Your account has no password (you sign in with single sign-on).", { currentPassword: ["Your account has no password to change."] });
  }
  if (!(await verifyPassword(current.passwordHash, data.currentPassword))) {
    await countSignInAttempt(attempt, false);
    throw new AppError("INVALID_INPUT", WRONG_CURRENT_PASSWORD, { currentPassword: [WRONG_CURRENT_PASSWORD] });
  }
  if (passwordIsEmail(data.password, ctx.actor.email)) throw new AppError("INVALID_INPUT", PASSWORD_IS_EMAIL, { password: [PASSWORD_IS_EMAIL] });
  if (data.password === data.currentPassword) {
    throw new AppError("INVALID_INPUT", "The new password is your current one.", { password: ["Choose a password other than your current one."] });
  }
  const passwordHash = await hashPassword(data.password);
  return db.$transaction(async (tx) => {
    // Guarded on the hash that was verified: a concurrent change makes this a conflict.
    const changed = await tx.user.updateMany({ where: { id: ctx.actor.id, passwordHash: current.passwordHash }, data: { passwordHash } });
    if (changed.count !== 1) throw new AppError("CONFLICT", "Your password was changed meanwhile. Sign in again with the new one.");
    const ended = await tx.userSession.updateMany({ where: { userId: ctx.actor.id, revokedAt: null, id: { not: session.sessionId } }, data: { revokedAt: new Date(), endReason: "password_changed" } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.USER_PASSWORD_CHANGED,
      entityType: "user",
      entityId: ctx.actor.id,
      after: { otherSessionsEnded: ended.count },
      requestId: ctx.requestId,
    });
    return { otherSessionsEnded: ended.count };
  });
}
