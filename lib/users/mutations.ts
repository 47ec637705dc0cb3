import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { hashPassword } from "@/lib/users/password";
import { createUserSchema, setUserDisabledSchema, setUserGlobalRolesSchema, updatePreferencesSchema } from "@/lib/users/schema";
import { isUniqueViolation } from "@/lib/db-errors";

export async function createUser(ctx: ServiceContext, input: unknown): Promise<{ id: string }> {
  assertCan(ctx.actor, "user.manage", { kind: "global" });
  const data = parseInput(createUserSchema, input);
  const passwordHash = await hashPassword(data.password);
  try {
    return await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email: data.email, name: data.name, title: data.title, passwordHash, globalRoles: data.globalRoles },
        select: { id: true, email: true, name: true, title: true, globalRoles: true },
      });
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.USER_CREATED,
        entityType: "user",
        entityId: user.id,
        after: user,
        requestId: ctx.requestId,
      });
      return { id: user.id };
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
      await tx.userSession.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: now } });
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
