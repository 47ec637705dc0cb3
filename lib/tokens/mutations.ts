import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan, can } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { hashApiToken } from "@/lib/tokens/data";
import { holdingOnProject } from "@/lib/projects/roles";
import { createApiTokenSchema, createReadTokenSchema, revokeApiTokenSchema } from "@/lib/tokens/schema";

/** Enough of the token to tell tokens apart in lists (`ssp_` and 8 characters): not enough to guess it. */
const PREFIX_LENGTH = 12;

export type CreatedApiToken = {
  id: string;
  name: string;
  prefix: string;
  projectId: string | null;
  /** The token itself: returned this once, never stored (only its hash is). */
  token: string;
};

/** Creates a token for one project (its lead, or an admin) or for every project (admins only). */
export async function createApiToken(ctx: ServiceContext, input: unknown): Promise<CreatedApiToken> {
  const data = parseInput(createApiTokenSchema, input);
  if (data.projectId === null) assertCan(ctx.actor, "token.manageAll", { kind: "global" });
  if (data.projectId === null && data.permissions.some((permission) => permission !== "gate:read")) {
    throw new AppError("INVALID_INPUT", "A token for every project only reads gates: give a token that works items to one project.", { permissions: ["Only “read the go-live gate” for a token of every project."] });
  }
  const permissions = [...new Set(data.permissions)].sort();
  const token = `ssp_${randomBytes(32).toString("base64url")}`;
  const prefix = token.slice(0, PREFIX_LENGTH);
  const projectId = data.projectId;
  return db.$transaction(async (tx) => {
    if (projectId !== null) {
      const [project, holding] = await Promise.all([tx.project.findUnique({ where: { id: projectId }, select: { id: true } }), holdingOnProject(tx, ctx.actor.id, projectId)]);
      assertCan(ctx.actor, "token.manage", { kind: "project", projectId, roles: holding.roles });
      if (!project) throw new AppError("NOT_FOUND", "Project not found.");
    }
    const row = await tx.apiToken.create({
      data: { name: data.name, tokenHash: hashApiToken(token), prefix, projectId, permissions, createdById: ctx.actor.id, createdByName: ctx.actor.name },
      select: { id: true, name: true, prefix: true, projectId: true },
    });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.TOKEN_CREATED,
      entityType: "api_token",
      entityId: row.id,
      projectId: row.projectId,
      after: { name: row.name, prefix: row.prefix, scope: row.projectId === null ? "all projects" : "project", permissions },
      requestId: ctx.requestId,
    });
    return { ...row, token };
  });
}

/** Creates a read-only token for the actor themselves (auditors and admins): it reads as them, never writes. */
export async function createReadToken(ctx: ServiceContext, input: unknown): Promise<CreatedApiToken> {
  assertCan(ctx.actor, "token.manageOwnRead", { kind: "global" });
  const data = parseInput(createReadTokenSchema, input);
  const token = `ssp_${randomBytes(32).toString("base64url")}`;
  const prefix = token.slice(0, PREFIX_LENGTH);
  return db.$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: { name: data.name, scope: "READ", tokenHash: hashApiToken(token), prefix, projectId: null, createdById: ctx.actor.id, createdByName: ctx.actor.name },
      select: { id: true, name: true, prefix: true, projectId: true },
    });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.TOKEN_CREATED,
      entityType: "api_token",
      entityId: row.id,
      after: { name: row.name, prefix: row.prefix, scope: "read-only, as its owner" },
      requestId: ctx.requestId,
    });
    return { ...row, token };
  });
}

/**
 * Revokes a token at once. Revoking a revoked token changes nothing and is not an error
 * (`revoked: false`), so a double-submit is harmless.
 */
export async function revokeApiToken(ctx: ServiceContext, input: unknown): Promise<{ revoked: boolean }> {
  const data = parseInput(revokeApiTokenSchema, input);
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({ where: { id: data.tokenId }, select: { id: true, name: true, prefix: true, projectId: true, scope: true, createdById: true } });
    if (!token) throw new AppError("NOT_FOUND", "Token not found.");
    if (token.scope === "READ") {
      // Someone else's read token does not exist for the actor: only its owner revokes it.
      if (token.createdById !== ctx.actor.id) throw new AppError("NOT_FOUND", "Token not found.");
      assertCan(ctx.actor, "token.manageOwnRead", { kind: "global" });
    } else if (token.projectId === null) {
      assertCan(ctx.actor, "token.manageAll", { kind: "global" });
    } else {
      const resource = { kind: "project", projectId: token.projectId, roles: (await holdingOnProject(tx, ctx.actor.id, token.projectId)).roles } as const;
      // A token of a project the actor cannot see does not exist for them.
      if (!can(ctx.actor, "project.view", resource)) throw new AppError("NOT_FOUND", "Token not found.");
      assertCan(ctx.actor, "token.manage", resource);
    }
    const now = new Date();
    const { count } = await tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) return { revoked: false };
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.TOKEN_REVOKED,
      entityType: "api_token",
      entityId: token.id,
      projectId: token.projectId,
      before: { name: token.name, prefix: token.prefix, revokedAt: null },
      after: { name: token.name, prefix: token.prefix, revokedAt: now.toISOString() },
      requestId: ctx.requestId,
    });
    return { revoked: true };
  });
}
