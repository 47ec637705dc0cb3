import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, type Actor } from "@/lib/policy";
import { getActorProjectRoles } from "@/lib/projects/data";
import { apiTokenPattern } from "@/lib/tokens/schema";
import { knownPermissions, type TokenPermission } from "@/lib/tokens/scopes";

/** A token as lists show it: never the token or its hash. */
export type ApiTokenView = {
  id: string;
  name: string;
  prefix: string;
  projectId: string | null;
  createdByName: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  permissions: TokenPermission[];
};

/**
 * What a valid bearer token grants. GATE: reading the gate of one project (projectId) or of every
 * project (null). READ: reading, as its owner (ownerId), what the owner may read.
 */
export type TokenCaller = {
  tokenId: string;
  projectId: string | null;
  scope: "GATE" | "READ";
  ownerId: string;
  name: string;
  prefix: string;
  /** A project token's permissions (lib/tokens/scopes.ts); a token for every project only reads gates. */
  permissions: TokenPermission[];
};

/** How often lastUsedAt is written: a busy pipeline must not turn every read into a write. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The stored form of a token: its SHA-256, hex. The token itself is never stored. */
export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The tokens of one project (for those who may manage that project's tokens), or the tokens
 * valid for every project (projectId null: admins only), newest first.
 */
export async function listTokens(actor: Actor, projectId: string | null): Promise<ApiTokenView[]> {
  if (projectId === null) assertCan(actor, "token.manageAll", { kind: "global" });
  else assertCan(actor, "token.manage", { kind: "project", projectId, roles: await getActorProjectRoles(actor, projectId) });
  const rows = await db.apiToken.findMany({
    where: { projectId, scope: "GATE" },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, name: true, prefix: true, projectId: true, createdByName: true, createdAt: true, lastUsedAt: true, revokedAt: true, permissions: true },
  });
  return rows.map((row) => ({
    ...row,
    permissions: row.projectId === null ? ["gate:read"] : knownPermissions(row.permissions),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  }));
}

/**
 * The caller behind an `Authorization: Bearer ssp_…` header, or null for anything malformed,
 * unknown or revoked (callers answer all of these alike). Records when the token was last
 * used, at most once a minute per token.
 */
export async function authenticateToken(header: string | null, now = new Date()): Promise<TokenCaller | null> {
  const match = /^Bearer +(\S+)$/i.exec(header?.trim() ?? "");
  const token = match?.[1];
  if (!token || !apiTokenPattern.test(token)) return null;
  const row = await db.apiToken.findFirst({ where: { tokenHash: hashApiToken(token), revokedAt: null }, select: { id: true, projectId: true, lastUsedAt: true, scope: true, createdById: true, name: true, prefix: true, permissions: true } });
  if (!row) return null;
  const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  if (!row.lastUsedAt || row.lastUsedAt < staleBefore) {
    // Conditional, so that concurrent calls write it once.
    await db.apiToken.updateMany({
      where: { id: row.id, revokedAt: null, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: staleBefore } }] },
      data: { lastUsedAt: now },
    });
  }
  const permissions: TokenPermission[] = row.scope !== "GATE" ? [] : row.projectId === null ? ["gate:read"] : knownPermissions(row.permissions);
  return { tokenId: row.id, projectId: row.projectId, scope: row.scope, ownerId: row.createdById, name: row.name, prefix: row.prefix, permissions };
}

/** The actor's own read-only tokens, newest first. */
export async function listReadTokens(actor: Actor): Promise<ApiTokenView[]> {
  assertCan(actor, "token.manageOwnRead", { kind: "global" });
  const rows = await db.apiToken.findMany({
    where: { scope: "READ", createdById: actor.id },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: { id: true, name: true, prefix: true, projectId: true, createdByName: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
  return rows.map((row) => ({ ...row, permissions: [], createdAt: row.createdAt.toISOString(), lastUsedAt: row.lastUsedAt?.toISOString() ?? null, revokedAt: row.revokedAt?.toISOString() ?? null }));
}

/**
 * The project a token asks about, or NOT_FOUND: the same answer whether the project does not
 * exist or the token belongs to another one, so a token reveals nothing beyond its own scope.
 */
export async function getProjectForToken(caller: TokenCaller, slug: string): Promise<{ id: string; slug: string; name: string }> {
  const project = await db.project.findUnique({ where: { slug }, select: { id: true, slug: true, name: true } });
  if (!project || (caller.projectId !== null && caller.projectId !== project.id)) throw new AppError("NOT_FOUND", "Project not found.");
  return project;
}
