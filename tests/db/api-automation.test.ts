import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { assignItems } from "@/lib/checklists/assignments";
import { addComment, updateItem } from "@/lib/checklists/mutations";
import { withIdempotency } from "@/lib/http/idempotency";
import { automationActor } from "@/lib/tokens/actor";
import { authenticateToken } from "@/lib/tokens/data";
import { createApiToken } from "@/lib/tokens/mutations";
import { countTokenRequest } from "@/lib/tokens/rate-limit";
import { markProjectLive } from "@/lib/signoffs/mutations";
import { ctx, eventsOf, expectAppError, makeActor, makeItem, makeTeam } from "./factories";

// A project's API token as an automation member: created with the permissions chosen, it works
// items of its one project as itself (named in the history), and nothing else; tokens are rate
// limited in PostgreSQL; and an Idempotency-Key makes a retried POST answer once.

async function tokenFor(permissions: string[]) {
  const team = await makeTeam(["LEAD", "DBA"]);
  const lead = await team.as("LEAD");
  const created = await createApiToken(ctx(lead), { name: "Deploy pipeline", projectId: team.project.id, permissions });
  const caller = await authenticateToken(`Bearer ${created.token}`);
  if (!caller?.projectId) throw new Error("the new token did not authenticate");
  return { team, lead, created, caller, actor: automationActor({ ...caller, projectId: caller.projectId }) };
}

describe("project tokens with permissions", () => {
  it("keeps the permissions chosen at creation, records them, and refuses a token for every project that would work items", async () => {
    const { created, caller, lead } = await tokenFor(["items:write", "gate:read", "items:write"]);
    expect(caller.permissions).toEqual(["gate:read", "items:write"]);
    const [event] = await db.auditEvent.findMany({ where: { entityId: created.id, action: auditActions.TOKEN_CREATED } });
    expect(event?.after).toMatchObject({ permissions: ["gate:read", "items:write"] });
    expect(JSON.stringify(event?.after)).not.toContain(created.token);
    const { actor: admin } = await makeActor(["ADMIN"]);
    const refused = await expectAppError(createApiToken(ctx(admin), { name: "everything", projectId: null, permissions: ["items:write"] }), "INVALID_INPUT");
    expect(refused.fieldErrors).toHaveProperty("permissions");
    await expectAppError(createApiToken(ctx(lead), { name: "nothing", projectId: caller.projectId, permissions: [] }), "INVALID_INPUT");
    await expectAppError(createApiToken(ctx(lead), { name: "unknown", projectId: caller.projectId, permissions: ["results:delete"] }), "INVALID_INPUT");
  });

  it("a token from before permissions reads the gate only", async () => {
    const { created } = await tokenFor(["gate:read"]);
    await db.$executeRaw`UPDATE api_tokens SET permissions = DEFAULT WHERE id = ${created.id}::uuid`;
    expect((await authenticateToken(`Bearer ${created.token}`))?.permissions).toEqual(["gate:read"]);
  });

  it("with items:write, marks an item done with a link as itself: the history names the token, not the person who made it", async () => {
    const { team, actor, created } = await tokenFor(["items:write"]);
    const item = await makeItem(team.project, { area: "DBA" });
    const c = ctx(actor);
    await updateItem(c, { itemId: item.id, expectedVersion: 1, status: "DONE", link: "https://ci.example.com/builds/4512", note: "Restore drill passed." });
    await addComment(c, { itemId: item.id, body: "Build 4512 green." });
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => [event.action, event.actorId, event.actorName])).toEqual([
      [auditActions.ITEM_UPDATED, created.id, `Deploy pipeline (token ${created.prefix}…)`],
      [auditActions.COMMENT_ADDED, created.id, `Deploy pipeline (token ${created.prefix}…)`],
    ]);
    const evidence = await db.evidence.findFirstOrThrow({ where: { itemId: item.id } });
    expect(evidence).toMatchObject({ url: "https://ci.example.com/builds/4512", addedByName: `Deploy pipeline (token ${created.prefix}…)` });
  });

  it("never reaches another project, the checklist's structure, waivers, assignments or going live; nothing is written", async () => {
    const { team, actor } = await tokenFor(["gate:read", "items:read", "items:write"]);
    const other = await makeTeam(["LEAD"]);
    const foreign = await makeItem(other.project, { area: "DBA" });
    await expectAppError(updateItem(ctx(actor), { itemId: foreign.id, expectedVersion: 1, status: "IN_PROGRESS" }), "NOT_FOUND");
    const item = await makeItem(team.project, { area: "DBA" });
    await expectAppError(updateItem(ctx(actor), { itemId: item.id, expectedVersion: 1, title: "Renamed by a pipeline" }), "FORBIDDEN");
    await expectAppError(
      updateItem(ctx(actor), { itemId: item.id, expectedVersion: 1, status: "WAIVED", statusReason: "later", waiverRiskOwnerId: team.users.DBA.id, waiverExpiresAt: "2031-01-01" }),
      "FORBIDDEN",
    );
    await expectAppError(assignItems(ctx(actor), { projectId: team.project.id, items: [`${item.id}:1`], assigneeId: team.users.DBA.id, dueDate: "keep", timeZone: "UTC" }), "FORBIDDEN");
    await expectAppError(markProjectLive(ctx(actor), { projectId: team.project.id }), "FORBIDDEN");
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ version: 1, title: item.title, status: "TODO", assigneeId: null });
    expect(await db.auditEvent.count({ where: { actorId: actor.id } })).toBe(0);
  });

  it("with items:read only, changes nothing", async () => {
    const { team, actor } = await tokenFor(["items:read"]);
    const item = await makeItem(team.project, { area: "DBA" });
    await expectAppError(updateItem(ctx(actor), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" }), "FORBIDDEN");
  });
});

describe("requests per token", () => {
  it("past the budget answers RATE_LIMITED with the seconds to wait, per token, shared through the database", async () => {
    const tokenId = randomUUID();
    for (let request = 0; request < 3; request += 1) await countTokenRequest(tokenId, 3);
    const limited = await expectAppError(countTokenRequest(tokenId, 3), "RATE_LIMITED");
    expect(limited.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Another token has its own budget.
    await countTokenRequest(randomUUID(), 3);
    const [row] = await db.$queryRaw<{ points: number }[]>`SELECT points FROM rate_limits WHERE key = ${`api-token:${tokenId}`}`;
    expect(row?.points).toBeGreaterThanOrEqual(4);
  });
});

describe("Idempotency-Key", () => {
  const post = (key: string | null, body: unknown, credential = "Bearer ssp_test-caller-one") =>
    new Request("http://localhost/api/v1/items/x/comments", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: credential, ...(key ? { "idempotency-key": key } : {}) },
      body: JSON.stringify(body),
    });

  /** A handler that counts its runs and answers 201 with the run number. */
  function counter(status = 201) {
    let runs = 0;
    return {
      runs: () => runs,
      handler: async (request: Request) => {
        runs += 1;
        const body = (await request.json()) as { text: string };
        return Response.json({ run: runs, echoed: body.text }, { status });
      },
    };
  }

  it("the same key and body get the first answer again, and the handler runs once", async () => {
    const key = randomUUID();
    const handler = counter();
    const first = await withIdempotency(post(key, { text: "hello" }), handler.handler);
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ run: 1, echoed: "hello" });
    const again = await withIdempotency(post(key, { text: "hello" }), handler.handler);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual({ run: 1, echoed: "hello" });
    expect(handler.runs()).toBe(1);
  });

  it("the same key with another body is 422 naming the header; another caller's same key is theirs alone", async () => {
    const key = randomUUID();
    const handler = counter();
    await withIdempotency(post(key, { text: "hello" }), handler.handler);
    const refused = await expectAppError(withIdempotency(post(key, { text: "something else" }), handler.handler), "INVALID_INPUT");
    expect(refused.fieldErrors).toHaveProperty("Idempotency-Key");
    const theirs = await withIdempotency(post(key, { text: "something else" }, "Bearer ssp_test-caller-two"), handler.handler);
    expect(await theirs.json()).toMatchObject({ run: 2 });
    expect(handler.runs()).toBe(2);
  });

  it("a refused first answer is not kept: the corrected request runs", async () => {
    const key = randomUUID();
    const refusing = counter(422);
    expect((await withIdempotency(post(key, { text: "bad" }), refusing.handler)).status).toBe(422);
    expect(await db.idempotencyKey.count({ where: { key } })).toBe(0);
    const handler = counter();
    expect((await withIdempotency(post(key, { text: "good" }), handler.handler)).status).toBe(201);
    expect(handler.runs()).toBe(1);
  });

  it("two requests with one key at once: the handler runs once, the other is told to retry or gets the same answer", async () => {
    const key = randomUUID();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const slow = async () => {
      runs += 1;
      await gate;
      return Response.json({ done: true }, { status: 201 });
    };
    const first = withIdempotency(post(key, { text: "x" }), slow);
    // The second arrives once the first holds the key.
    await expect.poll(() => db.idempotencyKey.count({ where: { key } })).toBe(1);
    const second = await withIdempotency(post(key, { text: "x" }), slow).catch((error: unknown) => error);
    expect(second).toMatchObject({ code: "CONFLICT", retryAfterSeconds: 1 });
    release();
    expect((await first).status).toBe(201);
    expect((await withIdempotency(post(key, { text: "x" }), slow)).headers.get("idempotent-replayed")).toBe("true");
    expect(runs).toBe(1);
  });

  it("GETs and requests without a key or a credential pass straight through", async () => {
    const handler = counter();
    await withIdempotency(post(null, { text: "a" }), handler.handler);
    await withIdempotency(post(null, { text: "a" }), handler.handler);
    const anonymous = new Request("http://localhost/api/v1/x", { method: "POST", headers: { "idempotency-key": randomUUID() }, body: JSON.stringify({ text: "a" }) });
    await withIdempotency(anonymous, handler.handler);
    expect(handler.runs()).toBe(3);
    await expectAppError(withIdempotency(post("has spaces in it", { text: "a" }), handler.handler), "INVALID_INPUT");
  });
});
