import { createHash, randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { authenticateToken, getProjectForToken, listTokens } from "@/lib/tokens/data";
import { createApiToken, revokeApiToken } from "@/lib/tokens/mutations";
import { actorFor, ctx, eventsOf, expectAppError, makeActor, makeProject, makeUser } from "./factories";

// API tokens: shown once, stored as a hash, scoped to a project (or, for admins, to all), and
// refused alike when malformed, unknown or revoked. Each refusal also asserts that nothing was
// written: no token row, no audit event.

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const bearer = (token: string) => `Bearer ${token}`;
/** Rows as text, to search for secrets (audit ids are bigints). */
const serialize = (value: unknown) => JSON.stringify(value, (_key, entry: unknown) => (typeof entry === "bigint" ? entry.toString() : entry));

/** A project with a lead, a DBA and a viewer; an outsider; an auditor. */
async function world() {
  const [lead, dba, viewer, outsider] = await Promise.all([makeUser(), makeUser(), makeUser(), makeUser()]);
  const project = await makeProject([
    { user: lead, roles: ["LEAD"] },
    { user: dba, roles: ["DBA"] },
    { user: viewer, roles: ["VIEWER"] },
  ]);
  return { lead, dba, viewer, outsider, project };
}

async function tokenRow(id: string) {
  return db.apiToken.findUniqueOrThrow({ where: { id } });
}

async function tokensOf(projectId: string | null, name: string) {
  return db.apiToken.findMany({ where: { projectId, name } });
}

describe("createApiToken", () => {
  it("returns the token once and stores only its SHA-256 and first 12 characters, audited in the same transaction", async () => {
    const w = await world();
    const lead = await actorFor(w.lead);
    const c = ctx(lead);

    const created = await createApiToken(c, { name: "  GitHub Actions  ", projectId: w.project.id });

    expect(created.token).toMatch(/^ssp_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.token.slice(4), "base64url")).toHaveLength(32);
    expect(created).toEqual({ id: expect.any(String), name: "GitHub Actions", prefix: created.token.slice(0, 12), projectId: w.project.id, token: created.token });

    const row = await tokenRow(created.id);
    expect(row).toMatchObject({ name: "GitHub Actions", tokenHash: sha256(created.token), prefix: created.token.slice(0, 12), projectId: w.project.id, createdById: w.lead.id, createdByName: w.lead.name, revokedAt: null, lastUsedAt: null });
    expect(serialize(row)).not.toContain(created.token);

    const events = await eventsOf(c.requestId);
    expect(events).toEqual([
      expect.objectContaining({
        action: auditActions.TOKEN_CREATED,
        actorId: w.lead.id,
        actorName: w.lead.name,
        actorEmail: w.lead.email,
        entityType: "api_token",
        entityId: created.id,
        projectId: w.project.id,
        after: { name: "GitHub Actions", prefix: created.prefix, scope: "project", permissions: ["gate:read"] },
      }),
    ]);
    const serialized = serialize(events);
    expect(serialized).not.toContain(created.token);
    expect(serialized).not.toContain(row.tokenHash);

    const writers = await db.$queryRaw<{ xmin: string }[]>`
      SELECT xmin::text AS xmin FROM api_tokens WHERE id = ${created.id}::uuid
      UNION ALL SELECT xmin::text FROM audit_events WHERE request_id = ${c.requestId}`;
    expect(writers).toHaveLength(2);
    expect(writers[0]?.xmin).toBe(writers[1]?.xmin);
  });

  it("makes a different token every time, even with the same name", async () => {
    const w = await world();
    const lead = await actorFor(w.lead);
    const first = await createApiToken(ctx(lead), { name: "deploy", projectId: w.project.id });
    const second = await createApiToken(ctx(lead), { name: "deploy", projectId: w.project.id });
    expect(second.token).not.toBe(first.token);
    expect(second.prefix).not.toBe(first.prefix);
  });

  it("lets an admin who is not a member create a project token", async () => {
    const w = await world();
    const { actor: admin } = await makeActor(["ADMIN"]);
    const created = await createApiToken(ctx(admin), { name: "admin-made", projectId: w.project.id });
    expect((await tokenRow(created.id)).projectId).toBe(w.project.id);
  });

  it.each([
    ["a DBA member", "dba", "FORBIDDEN"],
    ["a VIEWER member", "viewer", "FORBIDDEN"],
    ["a non-member", "outsider", "NOT_FOUND"],
  ] as const)("refuses %s (%s → %s), writing nothing", async (_label, who, code) => {
    const w = await world();
    const c = ctx(await actorFor(w[who]));
    const name = `refused-${randomUUID()}`;
    await expectAppError(createApiToken(c, { name, projectId: w.project.id }), code);
    expect(await tokensOf(w.project.id, name)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("refuses an auditor with FORBIDDEN, even one who is also the project's lead", async () => {
    const w = await world();
    const { user, actor: auditor } = await makeActor(["AUDITOR"]);
    const auditorLead = await makeProject([{ user, roles: ["LEAD"] }]);
    for (const projectId of [w.project.id, auditorLead.id]) {
      const c = ctx(auditor);
      await expectAppError(createApiToken(c, { name: "auditor", projectId }), "FORBIDDEN");
      expect(await tokensOf(projectId, "auditor")).toEqual([]);
      expect(await eventsOf(c.requestId)).toEqual([]);
    }
  });

  it("answers NOT_FOUND for a project that does not exist, even to an admin", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const lead = await actorFor((await world()).lead);
    await expectAppError(createApiToken(ctx(admin), { name: "ghost", projectId: randomUUID() }), "NOT_FOUND");
    await expectAppError(createApiToken(ctx(lead), { name: "ghost", projectId: randomUUID() }), "NOT_FOUND");
  });

  it("validates the name, and never reads a missing projectId as 'all projects'", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const missingScope = await expectAppError(createApiToken(ctx(admin), { name: "no scope" }), "INVALID_INPUT");
    expect(missingScope.fieldErrors?.projectId).toBeDefined();
    const blankName = await expectAppError(createApiToken(ctx(admin), { name: "  ", projectId: null }), "INVALID_INPUT");
    expect(blankName.fieldErrors?.name).toBeDefined();
  });
});

describe("all-project tokens", () => {
  it("only an admin may create them; they read any project", async () => {
    const w = await world();
    const lead = await actorFor(w.lead);
    const leadCtx = ctx(lead);
    const name = `all-${randomUUID()}`;
    await expectAppError(createApiToken(leadCtx, { name, projectId: null }), "FORBIDDEN");
    const { actor: auditorAdmin } = await makeActor(["ADMIN", "AUDITOR"]);
    await expectAppError(createApiToken(ctx(auditorAdmin), { name, projectId: null }), "FORBIDDEN");
    expect(await tokensOf(null, name)).toEqual([]);
    expect(await eventsOf(leadCtx.requestId)).toEqual([]);

    const { actor: admin } = await makeActor(["ADMIN"]);
    const c = ctx(admin);
    const created = await createApiToken(c, { name, projectId: null });
    expect(created.projectId).toBeNull();
    expect(await eventsOf(c.requestId)).toEqual([expect.objectContaining({ action: auditActions.TOKEN_CREATED, projectId: null, after: { name, prefix: created.prefix, scope: "all projects", permissions: ["gate:read"] } })]);

    const caller = await authenticateToken(bearer(created.token));
    expect(caller).toEqual({ tokenId: created.id, projectId: null, scope: "GATE", ownerId: admin.id, name, prefix: created.prefix, permissions: ["gate:read"] });
    const other = await makeProject([]);
    expect((await getProjectForToken(caller!, other.slug)).id).toBe(other.id);
    expect((await getProjectForToken(caller!, w.project.slug)).id).toBe(w.project.id);

    expect((await listTokens(admin, null)).map((token) => token.id)).toContain(created.id);
    await expectAppError(listTokens(lead, null), "FORBIDDEN");
    await expectAppError(revokeApiToken(ctx(lead), { tokenId: created.id }), "FORBIDDEN");
    expect((await tokenRow(created.id)).revokedAt).toBeNull();
  });
});

describe("authenticateToken", () => {
  it("accepts a valid token (the scheme in any case) and names its project", async () => {
    const w = await world();
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    expect(await authenticateToken(bearer(created.token))).toEqual({ tokenId: created.id, projectId: w.project.id, scope: "GATE", ownerId: w.lead.id, name: created.name, prefix: created.prefix, permissions: ["gate:read"] });
    expect(await authenticateToken(`bearer ${created.token}`)).toEqual({ tokenId: created.id, projectId: w.project.id, scope: "GATE", ownerId: w.lead.id, name: created.name, prefix: created.prefix, permissions: ["gate:read"] });
  });

  it("records the last use, at most once a minute", async () => {
    const w = await world();
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    const t0 = new Date(Date.now() + 1_000);

    await authenticateToken(bearer(created.token), t0);
    expect((await tokenRow(created.id)).lastUsedAt).toEqual(t0);

    await authenticateToken(bearer(created.token), new Date(t0.getTime() + 30_000));
    expect((await tokenRow(created.id)).lastUsedAt).toEqual(t0);

    const later = new Date(t0.getTime() + 61_000);
    await authenticateToken(bearer(created.token), later);
    expect((await tokenRow(created.id)).lastUsedAt).toEqual(later);
  });

  it("accepts many calls at once, which leave one of their times as the last use", async () => {
    const w = await world();
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    const now = new Date();
    const callers = await Promise.all(Array.from({ length: 5 }, (_, index) => authenticateToken(bearer(created.token), new Date(now.getTime() + index))));
    expect(callers.every((caller) => caller?.tokenId === created.id)).toBe(true);
    const lastUsedAt = (await tokenRow(created.id)).lastUsedAt?.getTime();
    expect([0, 1, 2, 3, 4].map((index) => now.getTime() + index)).toContain(lastUsedAt);
  });

  it("refuses a revoked token", async () => {
    const w = await world();
    const lead = await actorFor(w.lead);
    const created = await createApiToken(ctx(lead), { name: "ci", projectId: w.project.id });
    await revokeApiToken(ctx(lead), { tokenId: created.id });
    expect(await authenticateToken(bearer(created.token))).toBeNull();
    expect((await tokenRow(created.id)).lastUsedAt).toBeNull();
  });

  it("refuses anything malformed or unknown", async () => {
    const w = await world();
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    const unknown = `ssp_${randomBytes(32).toString("base64url")}`;
    const malformed = [
      null,
      "",
      "Bearer",
      "Bearer ",
      created.token,
      `Basic ${created.token}`,
      `Token ${created.token}`,
      `Bearer ${created.token}x`,
      `Bearer ${created.token.slice(0, -1)}`,
      `Bearer ${created.token} ${created.token}`,
      `Bearer ${created.token.replace("ssp_", "SSP_")}`,
      `Bearer ${created.token.replace("ssp_", "")}`,
      `Bearer ${sha256(created.token)}`,
      `Bearer ${unknown}`,
      "Bearer ssp_' OR 1=1 --",
    ];
    for (const header of malformed) expect(await authenticateToken(header), String(header)).toBeNull();
    expect((await tokenRow(created.id)).lastUsedAt).toBeNull();
  });
});

describe("getProjectForToken", () => {
  it("gives the same NOT_FOUND for another project's slug and for a slug that does not exist", async () => {
    const w = await world();
    const other = await makeProject([]);
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    const caller = await authenticateToken(bearer(created.token));
    expect(caller).not.toBeNull();
    expect(await getProjectForToken(caller!, w.project.slug)).toEqual({ id: w.project.id, slug: w.project.slug, name: w.project.name });
    const foreign = await expectAppError(getProjectForToken(caller!, other.slug), "NOT_FOUND");
    const missing = await expectAppError(getProjectForToken(caller!, `missing-${randomUUID()}`), "NOT_FOUND");
    expect(foreign.message).toBe(missing.message);
  });
});

describe("revokeApiToken", () => {
  it("revokes once (audited); a second revoke is a harmless no-op", async () => {
    const w = await world();
    const lead = await actorFor(w.lead);
    const created = await createApiToken(ctx(lead), { name: "ci", projectId: w.project.id });

    const first = ctx(lead);
    expect(await revokeApiToken(first, { tokenId: created.id })).toEqual({ revoked: true });
    const revokedAt = (await tokenRow(created.id)).revokedAt;
    expect(revokedAt).not.toBeNull();
    const events = await eventsOf(first.requestId);
    expect(events).toEqual([
      expect.objectContaining({
        action: auditActions.TOKEN_REVOKED,
        actorId: w.lead.id,
        entityType: "api_token",
        entityId: created.id,
        projectId: w.project.id,
        before: { name: "ci", prefix: created.prefix, revokedAt: null },
        after: { name: "ci", prefix: created.prefix, revokedAt: revokedAt!.toISOString() },
      }),
    ]);
    expect(serialize(events)).not.toContain(created.token);
    expect(serialize(events)).not.toContain(sha256(created.token));

    const second = ctx(lead);
    expect(await revokeApiToken(second, { tokenId: created.id })).toEqual({ revoked: false });
    expect((await tokenRow(created.id)).revokedAt).toEqual(revokedAt);
    expect(await eventsOf(second.requestId)).toEqual([]);
  });

  it("revokes once when two revokes race", async () => {
    const w = await world();
    const lead = await actorFor(w.lead);
    const created = await createApiToken(ctx(lead), { name: "ci", projectId: w.project.id });
    const results = await Promise.all([revokeApiToken(ctx(lead), { tokenId: created.id }), revokeApiToken(ctx(lead), { tokenId: created.id })]);
    expect(results.map((result) => result.revoked).sort()).toEqual([false, true]);
    expect(await db.auditEvent.count({ where: { entityId: created.id, action: auditActions.TOKEN_REVOKED } })).toBe(1);
  });

  it.each([
    ["a DBA member", "dba", "FORBIDDEN"],
    ["a non-member", "outsider", "NOT_FOUND"],
  ] as const)("refuses %s (%s → %s), and the token keeps working", async (_label, who, code) => {
    const w = await world();
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    const c = ctx(await actorFor(w[who]));
    await expectAppError(revokeApiToken(c, { tokenId: created.id }), code);
    expect((await tokenRow(created.id)).revokedAt).toBeNull();
    expect(await eventsOf(c.requestId)).toEqual([]);
    expect(await authenticateToken(bearer(created.token))).not.toBeNull();
  });

  it("refuses an auditor with FORBIDDEN", async () => {
    const w = await world();
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    await expectAppError(revokeApiToken(ctx(auditor), { tokenId: created.id }), "FORBIDDEN");
    expect((await tokenRow(created.id)).revokedAt).toBeNull();
  });

  it("gives a lead of another project the same NOT_FOUND as an unknown token", async () => {
    const w = await world();
    const created = await createApiToken(ctx(await actorFor(w.lead)), { name: "ci", projectId: w.project.id });
    const otherLead = await makeUser();
    await makeProject([{ user: otherLead, roles: ["LEAD"] }]);
    const actor = await actorFor(otherLead);
    const foreign = await expectAppError(revokeApiToken(ctx(actor), { tokenId: created.id }), "NOT_FOUND");
    const unknown = await expectAppError(revokeApiToken(ctx(actor), { tokenId: randomUUID() }), "NOT_FOUND");
    expect(foreign.message).toBe(unknown.message);
    expect((await tokenRow(created.id)).revokedAt).toBeNull();
  });
});

describe("listTokens", () => {
  it("lists a project's tokens, newest first, without the token or its hash, to its lead only", async () => {
    const w = await world();
    const lead = await actorFor(w.lead);
    const older = await createApiToken(ctx(lead), { name: "older", projectId: w.project.id });
    const newer = await createApiToken(ctx(lead), { name: "newer", projectId: w.project.id });
    await revokeApiToken(ctx(lead), { tokenId: older.id });
    await authenticateToken(bearer(newer.token));

    const tokens = await listTokens(lead, w.project.id);
    expect(tokens.map((token) => [token.name, token.prefix, token.createdByName])).toEqual([
      ["newer", newer.prefix, w.lead.name],
      ["older", older.prefix, w.lead.name],
    ]);
    expect(tokens[0]?.lastUsedAt).not.toBeNull();
    expect(tokens[0]?.revokedAt).toBeNull();
    expect(tokens[1]?.revokedAt).not.toBeNull();
    const serialized = serialize(tokens);
    for (const secret of [older.token, newer.token, sha256(older.token), sha256(newer.token)]) expect(serialized).not.toContain(secret);

    await expectAppError(listTokens(await actorFor(w.dba), w.project.id), "FORBIDDEN");
    await expectAppError(listTokens(await actorFor(w.outsider), w.project.id), "NOT_FOUND");
  });
});
