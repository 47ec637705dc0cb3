import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { addItemCheck, getItemChecks, removeItemCheck, runDueChecks, runItemCheckNow } from "@/lib/checks/item-checks";
import { actorFor, ctx, eventsOf, expectAppError, itemState, makeItem, makeProject, makeUser } from "./factories";

// The receiver below listens on 127.0.0.1, which the outbound guard refuses unless the operator
// allows it: this file allows exactly that address, as the environment of a server would.
vi.hoisted(() => {
  process.env.OUTBOUND_ALLOW_PRIVATE = "127.0.0.1/32";
});

// Checks attached to items against a real HTTP server: configured by a lead or the area's owner,
// run by the scheduler's tick (once per due check, however many instances tick) and by "Run now",
// each run kept as an item result that may reopen a done item.

let server: Server;
let baseUrl: string;
let status = 200;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === "/status.json") {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ status: "ok", checks: [{ name: "db", ok: true }], version: 3 }));
      return;
    }
    if (request.url === "/some-headers") {
      // HSTS for ten minutes and nosniff; no CSP, frame protection or Referrer-Policy.
      response.writeHead(200, { "content-type": "text/plain", "strict-transport-security": "max-age=600", "x-content-type-options": "nosniff" });
      response.end("ok");
      return;
    }
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(status === 200 ? "all good" : "broken");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function team() {
  const lead = await makeUser();
  const dba = await makeUser();
  const devops = await makeUser();
  const viewer = await makeUser();
  const project = await makeProject([
    { user: lead, roles: ["LEAD"] },
    { user: dba, roles: ["DBA"] },
    { user: devops, roles: ["DEVOPS"] },
    { user: viewer, roles: ["VIEWER"] },
  ]);
  const item = await makeItem(project, { area: "DBA", title: "The health endpoint answers" });
  return { project, item, lead, dba, devops, viewer };
}

/** Makes every check of the item due now (as the clock would). */
async function makeDue(itemId: string) {
  await db.itemCheck.updateMany({ where: { itemId }, data: { nextRunAt: new Date(Date.now() - 1_000) } });
}

describe("checks attached to items", () => {
  it("a lead or the area's owner attaches one (audited); another owner or a viewer cannot; a bad target names the field", async () => {
    const { item, lead, dba, devops, viewer } = await team();
    const input = { itemId: item.id, kind: "http", target: `${baseUrl}/health`, expectStatus: "200", intervalMinutes: "15", timeoutSeconds: "5" };
    await expectAppError(addItemCheck(ctx(await actorFor(devops)), input), "FORBIDDEN");
    await expectAppError(addItemCheck(ctx(await actorFor(viewer)), input), "FORBIDDEN");
    const bad = await expectAppError(addItemCheck(ctx(await actorFor(lead)), { ...input, target: "ftp://example.com/" }), "INVALID_INPUT");
    expect(bad.fieldErrors).toHaveProperty("target");
    const badInterval = await expectAppError(addItemCheck(ctx(await actorFor(lead)), { ...input, intervalMinutes: "7" }), "INVALID_INPUT");
    expect(badInterval.fieldErrors).toHaveProperty("intervalMinutes");
    expect(await db.itemCheck.count({ where: { itemId: item.id } })).toBe(0);

    const c = ctx(await actorFor(dba));
    const { checkId } = await addItemCheck(c, input);
    const row = await db.itemCheck.findUniqueOrThrow({ where: { id: checkId } });
    expect(row).toMatchObject({ kind: "http", intervalMinutes: 15, target: `${baseUrl}/health` });
    expect(row.spec).toMatchObject({ kind: "http", url: `${baseUrl}/health`, expectStatus: 200, timeoutMs: 5_000 });
    expect(row.nextRunAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.CHECK_ADDED]);

    const removal = ctx(await actorFor(lead));
    await removeItemCheck(removal, { checkId });
    expect(await db.itemCheck.count({ where: { id: checkId } })).toBe(0);
    expect((await eventsOf(removal.requestId)).map((event) => event.action)).toEqual([auditActions.CHECK_REMOVED]);
  });

  it("one tick runs every due check, more than one batch of them, each once", async () => {
    const { project, lead } = await team();
    const actor = ctx(await actorFor(lead));
    status = 200;
    // More than the 20 a tick used to take: at 5-minute intervals, 1,000 checks need 200 runs a minute.
    const items = await Promise.all(Array.from({ length: 30 }, (_, index) => makeItem(project, { area: "DBA", title: `Replica ${index} answers` })));
    for (const item of items) await addItemCheck(actor, { itemId: item.id, kind: "http", target: `${baseUrl}/replica`, intervalMinutes: "5" });
    const ids = items.map((item) => item.id);
    // In batches of 8, 3 probes at a time: four claims in one tick.
    const ran = await runDueChecks(db, new Date(), { batch: 8, concurrency: 3 });
    const results = await db.itemResult.groupBy({ by: ["itemId"], where: { itemId: { in: ids } }, _count: true });
    expect(results).toHaveLength(30);
    expect(results.every((row) => row._count === 1)).toBe(true);
    expect(ran).toBeGreaterThanOrEqual(30);
    expect(await db.itemCheck.count({ where: { itemId: { in: ids }, nextRunAt: { lte: new Date() } } })).toBe(0);
  });

  it("the scheduler runs a due check once, as the check, and moves its next run on; a failure reopens the done item", async () => {
    const { item, lead } = await team();
    status = 200;
    const { checkId } = await addItemCheck(ctx(await actorFor(lead)), { itemId: item.id, kind: "http", target: `${baseUrl}/health`, intervalMinutes: "60" });
    const before = Date.now();
    // Two instances tick at once: the check runs once.
    const [first, second] = await Promise.all([runDueChecks(db), runDueChecks(db)]);
    const ours = await db.itemResult.findMany({ where: { itemId: item.id } });
    expect(ours).toHaveLength(1);
    expect(first + second).toBeGreaterThanOrEqual(1);
    expect(ours[0]).toMatchObject({ outcome: "PASS", actorId: checkId });
    expect(ours[0]?.actorName).toMatch(/^Check: HTTP .*\/health answers 200$/);
    expect(ours[0]?.facts).toMatchObject({ kind: "http", status: 200 });
    const check = await db.itemCheck.findUniqueOrThrow({ where: { id: checkId } });
    expect(check.nextRunAt.getTime()).toBeGreaterThanOrEqual(before + 59 * 60_000);
    await runDueChecks(db);
    expect(await db.itemResult.count({ where: { itemId: item.id } })).toBe(1);

    // Done by a person; then the endpoint breaks. A check rides out one failure by default
    // (failuresToReopen 2): the first failing run is kept but not counted; the second reopens it.
    await db.checklistItem.update({ where: { id: item.id }, data: { status: "DONE" } });
    status = 500;
    await makeDue(item.id);
    await runDueChecks(db);
    const blip = await db.itemResult.findFirstOrThrow({ where: { itemId: item.id }, orderBy: { recordedAt: "desc" } });
    expect(blip).toMatchObject({ outcome: "FAIL", counted: false });
    expect(blip.summary).toMatch(/500/);
    expect(await itemState(item.id)).toMatchObject({ status: "DONE" });
    await makeDue(item.id);
    await runDueChecks(db);
    const confirmed = await db.itemResult.findFirstOrThrow({ where: { itemId: item.id }, orderBy: { recordedAt: "desc" } });
    expect(confirmed).toMatchObject({ outcome: "FAIL", counted: true });
    expect(await itemState(item.id)).toMatchObject({ status: "BLOCKED" });
    status = 200;
  });

  it("with 'passing marks it done' a pass closes the open item with the result as evidence; with failuresToReopen 1 the first failure reopens it", async () => {
    const { item, dba } = await team();
    status = 200;
    const { checkId } = await addItemCheck(ctx(await actorFor(dba)), { itemId: item.id, kind: "http", target: `${baseUrl}/health`, intervalMinutes: "5", marksDone: "on", failuresToReopen: "1" });
    expect(await db.itemCheck.findUniqueOrThrow({ where: { id: checkId } })).toMatchObject({ marksDone: true, failuresToReopen: 1 });
    const passed = await runItemCheckNow(ctx(await actorFor(dba)), { checkId });
    expect(passed).toMatchObject({ outcome: "PASS", counted: true, item: { status: "DONE", statusChanged: true } });
    expect(await db.evidence.findFirstOrThrow({ where: { itemId: item.id } })).toMatchObject({ kind: "NOTE", addedByName: dba.name });
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).attestedAt).not.toBeNull();
    status = 503;
    const failed = await runItemCheckNow(ctx(await actorFor(dba)), { checkId });
    expect(failed).toMatchObject({ outcome: "FAIL", counted: true, item: { status: "BLOCKED", statusChanged: true } });
    status = 200;
    const bad = await expectAppError(addItemCheck(ctx(await actorFor(dba)), { itemId: item.id, kind: "tls", target: "example.com", intervalMinutes: "5", ca: "not a certificate" }), "INVALID_INPUT");
    expect(bad.fieldErrors).toHaveProperty("ca");
  });

  it("Run now records the result as the person; someone who may not record results cannot run it", async () => {
    const { item, lead, viewer } = await team();
    const { checkId } = await addItemCheck(ctx(await actorFor(lead)), { itemId: item.id, kind: "tcp", target: `127.0.0.1:${(server.address() as AddressInfo).port}`, expect: "open", intervalMinutes: "1440" });
    await expectAppError(runItemCheckNow(ctx(await actorFor(viewer)), { checkId }), "FORBIDDEN");
    const c = ctx(await actorFor(lead));
    const recorded = await runItemCheckNow(c, { checkId });
    expect(recorded.outcome).toBe("PASS");
    const result = await db.itemResult.findUniqueOrThrow({ where: { id: recorded.resultId } });
    expect(result).toMatchObject({ actorId: lead.id, actorName: lead.name });
    expect(result.summary).toMatch(/is open: passed/);
    expect((await db.itemCheck.findUniqueOrThrow({ where: { id: checkId } })).lastRunAt).not.toBeNull();
  });

  it("an http check configured with a JSON pointer and a value runs with them: equal passes, different fails naming both; a bad pointer names the field", async () => {
    const { item, lead } = await team();
    const c = ctx(await actorFor(lead));
    const input = { itemId: item.id, kind: "http", target: `${baseUrl}/status.json`, intervalMinutes: "60", bodyContains: "", jsonPointer: "/checks/0/name", equals: "db" };
    for (const [bad, field] of [
      [{ jsonPointer: "checks/0/name" }, "jsonPointer"],
      [{ jsonPointer: "/a~2b" }, "jsonPointer"],
      [{ jsonPointer: "", equals: "db" }, "jsonPointer"],
      [{ equals: "x".repeat(501) }, "equals"],
    ] as const) {
      const refused = await expectAppError(addItemCheck(c, { ...input, ...bad }), "INVALID_INPUT");
      expect(refused.fieldErrors, JSON.stringify(bad)).toHaveProperty(field);
    }
    expect(await db.itemCheck.count({ where: { itemId: item.id } })).toBe(0);

    const { checkId } = await addItemCheck(c, input);
    const row = await db.itemCheck.findUniqueOrThrow({ where: { id: checkId } });
    // Kept in the check's config, without the blank body substring.
    expect(row.spec).toEqual({ kind: "http", url: `${baseUrl}/status.json`, expectStatus: 200, timeoutMs: 10_000, jsonPointer: "/checks/0/name", equals: "db" });
    const panel = await getItemChecks(await actorFor(lead), item.id);
    expect(panel.checks[0]?.description).toBe(`HTTP ${baseUrl}/status.json answers 200, JSON /checks/0/name = “db”`);

    const passed = await runItemCheckNow(ctx(await actorFor(lead)), { checkId });
    expect(passed.outcome).toBe("PASS");
    expect((await db.itemResult.findUniqueOrThrow({ where: { id: passed.resultId } })).facts).toMatchObject({ status: 200, pointerValue: "db" });

    // Another value at the same pointer, and a number compared as its JSON.
    const other = await addItemCheck(c, { ...input, equals: "replica" });
    const failed = await runItemCheckNow(ctx(await actorFor(lead)), { checkId: other.checkId });
    expect(failed.outcome).toBe("FAIL");
    const result = await db.itemResult.findUniqueOrThrow({ where: { id: failed.resultId } });
    expect(result.summary).toMatch(/\/checks\/0\/name is db, expected replica/);
    expect(result.facts).toMatchObject({ pointerValue: "db" });
    const version = await addItemCheck(c, { ...input, jsonPointer: "/version", equals: "3" });
    expect((await runItemCheckNow(ctx(await actorFor(lead)), { checkId: version.checkId })).outcome).toBe("PASS");
    // A pointer alone: something must be there.
    const missing = await addItemCheck(c, { ...input, jsonPointer: "/uptime", equals: "" });
    expect((await db.itemCheck.findUniqueOrThrow({ where: { id: missing.checkId } })).spec).not.toHaveProperty("equals");
    const absent = await runItemCheckNow(ctx(await actorFor(lead)), { checkId: missing.checkId });
    expect((await db.itemResult.findUniqueOrThrow({ where: { id: absent.resultId } })).summary).toMatch(/nothing at \/uptime/);
  });

  it("a headers check configured with a chosen set and an HSTS minimum runs with them: only those headers are judged, against that max-age", async () => {
    const { item, lead } = await team();
    const c = ctx(await actorFor(lead));
    const input = { itemId: item.id, kind: "headers", target: `${baseUrl}/some-headers`, intervalMinutes: "60" };
    for (const [bad, field] of [
      [{ require: [] }, "require"],
      [{ require: ["hsts", "xss-protection"] }, "require"],
      [{ require: ["hsts"], hstsMinMaxAge: "-1" }, "hstsMinMaxAge"],
      [{ require: ["hsts"], hstsMinMaxAge: "a year" }, "hstsMinMaxAge"],
    ] as const) {
      const refused = await expectAppError(addItemCheck(c, { ...input, ...bad }), "INVALID_INPUT");
      expect(refused.fieldErrors, JSON.stringify(bad)).toHaveProperty(field);
    }

    // As the form sends them: the ticked boxes (in any order) and the minimum in seconds.
    const { checkId } = await addItemCheck(c, { ...input, require: ["nosniff", "hsts"], hstsMinMaxAge: "300" });
    expect((await db.itemCheck.findUniqueOrThrow({ where: { id: checkId } })).spec).toEqual({ kind: "headers", url: `${baseUrl}/some-headers`, require: ["hsts", "nosniff"], hstsMinMaxAge: 300, timeoutMs: 10_000 });
    const panel = await getItemChecks(await actorFor(lead), item.id);
    expect(panel.checks[0]?.description).toBe(`Security headers of ${baseUrl}/some-headers: HSTS (max-age ≥ 300 s), X-Content-Type-Options nosniff`);
    const passed = await runItemCheckNow(ctx(await actorFor(lead)), { checkId });
    expect(passed.outcome).toBe("PASS");
    const facts = (await db.itemResult.findUniqueOrThrow({ where: { id: passed.resultId } })).facts as { headers: Record<string, unknown> };
    expect(Object.keys(facts.headers).sort()).toEqual(["hsts", "nosniff"]);
    expect(facts.headers.hsts).toEqual({ value: "max-age=600", ok: true });

    // The same header asked to last an hour fails on its max-age; one box ticked comes as a string.
    const stricter = await addItemCheck(c, { ...input, require: "hsts", hstsMinMaxAge: "3600" });
    const failed = await runItemCheckNow(ctx(await actorFor(lead)), { checkId: stricter.checkId });
    expect(failed.outcome).toBe("FAIL");
    const result = await db.itemResult.findUniqueOrThrow({ where: { id: failed.resultId } });
    expect(result.summary).toMatch(/max-age is 600, less than 3600/);
    expect(Object.keys((result.facts as { headers: object }).headers)).toEqual(["hsts"]);

    // Not configured: every header, HSTS of a year, as before.
    const everything = await addItemCheck(c, input);
    expect((await db.itemCheck.findUniqueOrThrow({ where: { id: everything.checkId } })).spec).toMatchObject({ require: ["hsts", "csp", "nosniff", "frame", "referrer"], hstsMinMaxAge: 31_536_000 });
    const all = await runItemCheckNow(ctx(await actorFor(lead)), { checkId: everything.checkId });
    const allFacts = (await db.itemResult.findUniqueOrThrow({ where: { id: all.resultId } })).facts as { headers: Record<string, { ok: boolean }> };
    expect(all.outcome).toBe("FAIL");
    expect(Object.fromEntries(Object.entries(allFacts.headers).map(([name, verdict]) => [name, verdict.ok]))).toEqual({ hsts: false, csp: false, nosniff: true, frame: false, referrer: false });
  });

  it("a target the outbound guard refuses is recorded as a failure that says it could not run", async () => {
    const { item, lead } = await team();
    await addItemCheck(ctx(await actorFor(lead)), { itemId: item.id, kind: "http", target: "http://169.254.169.254/latest/meta-data/", intervalMinutes: "5" });
    await runDueChecks(db);
    const result = await db.itemResult.findFirstOrThrow({ where: { itemId: item.id } });
    expect(result.outcome).toBe("FAIL");
    expect(result.summary).toMatch(/could not run/);
  });
});
