import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createPrismaClient, db } from "@/lib/db";
import { GENESIS_HASH, hashEvent, type ChainedEvent } from "@/lib/audit/chain";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { exportAuditCheckpoint, getAuditChainStatus, verifyAuditChain, verifyAuditTrail } from "@/lib/audit/verify";
import { createProject } from "@/lib/projects/mutations";
import { setUserDisabled } from "@/lib/users/mutations";
import { ctx, eventsOf, expectAppError, makeActor, makeUser } from "./factories";

// The hash chain on the shared test database, while the other test files write events too:
// verification must hold at any moment, whoever else is appending.

type Row = Awaited<ReturnType<typeof eventsOf>>[number];
const asChained = (row: Row): ChainedEvent => ({ ...row, before: row.before, after: row.after });

async function eventBySeq(seq: bigint) {
  return db.auditEvent.findUniqueOrThrow({ where: { seq } });
}

describe("the writer chains every event", () => {
  it("gives each event the next seq, the previous event's hash, and the hash of its own content", async () => {
    const { actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    await createProject(c, { name: "Chained", slug: `chained-${randomUUID()}` });
    await setUserDisabled(c, { userId: (await makeUser()).id, disabled: true });

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(2);
    for (const event of events) {
      expect(event.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hashEvent(asChained(event))).toBe(event.hash);
      const previous = event.seq === 1n ? null : await eventBySeq(event.seq - 1n);
      expect(event.prevHash).toBe(previous?.hash ?? GENESIS_HASH);
    }
    expect(events[1]!.seq).toBeGreaterThan(events[0]!.seq);
  });

  it("hashes what the database stores, for awkward content: key order, unicode, numbers, dates, uppercase uuids, lone surrogates", async () => {
    const requestId = `test-${randomUUID()}`;
    const actorId = randomUUID().toUpperCase();
    const projectId = `{${randomUUID().toUpperCase()}}`;
    const after = {
      z: 1,
      a: [1, 2.5, 1e21, 1e-7, -0, 0.1 + 0.2, "x"],
      "😀": "emoji key",
      "\uE000": "private use key",
      nested: { b: null, a: true, deeper: [{ y: [], x: {} }] },
      when: new Date("2026-11-23T13:43:54.123Z"),
      skipped: undefined,
      quote: 'He said "hi"\\\n\t\u0001 \u2028 日本 Zoë',
    };
    await db.$transaction((tx) =>
      recordAuditEvent(tx, {
        actor: { id: actorId, name: "Zoë \uD800 Lone", email: "zoe@shipshape.test" },
        action: auditActions.ITEM_UPDATED,
        entityType: "item",
        entityId: "ünïcode-✓",
        projectId,
        before: ["a", { b: 1 }],
        after: after as never,
        requestId,
      }),
    );
    const [event] = await eventsOf(requestId);
    if (!event) throw new Error("no event");
    expect(event.actorId).toBe(actorId.toLowerCase());
    expect(event.projectId).toBe(projectId.slice(1, -1).toLowerCase());
    expect(event.actorName).toBe("Zoë \uFFFD Lone");
    expect(event.after).toMatchObject({ when: "2026-11-23T13:43:54.123Z", a: [1, 2.5, 1e21, 1e-7, 0, 0.30000000000000004, "x"] });
    expect(event.after).not.toHaveProperty("skipped");
    expect(hashEvent(asChained(event))).toBe(event.hash);
  });

  it("keeps one gap-free chain under 20 concurrent transactions of 5 events each, plus real services, each transaction's events adjacent", async () => {
    // A client of its own, with a connection per transaction, so that all 20 really run at once.
    const client = createPrismaClient(inject("databaseUrl"), 20);
    try {
      const runs = Array.from({ length: 20 }, () => `test-concurrent-${randomUUID()}`);
      const { actor } = await makeActor(["ADMIN"]);
      const services = Array.from({ length: 5 }, () => ctx(actor));
      await Promise.all([
        ...runs.map((requestId, run) =>
          client.$transaction(
            async (tx) => {
              for (let index = 0; index < 5; index++) {
                await recordAuditEvent(tx, { actor: null, action: auditActions.ITEM_UPDATED, entityType: "item", entityId: `run-${run}-${index}`, after: { run, index }, requestId });
                await tx.$executeRaw`SELECT pg_sleep(0.001)`;
              }
            },
            { timeout: 30_000, maxWait: 10_000 },
          ),
        ),
        ...services.map((c) => createProject(c, { name: "Concurrent", slug: `concurrent-${randomUUID()}` })),
      ]);

      const seqs: bigint[] = [];
      for (const requestId of [...runs, ...services.map((c) => c.requestId)]) {
        const events = await eventsOf(requestId);
        expect(events.length).toBeGreaterThan(0);
        // Ordered by id within a transaction: consecutive seqs, each linked to the one before.
        events.forEach((event, index) => {
          if (index > 0) {
            expect(event.seq).toBe(events[index - 1]!.seq + 1n);
            expect(event.prevHash).toBe(events[index - 1]!.hash);
          }
          expect(hashEvent(asChained(event))).toBe(event.hash);
        });
        seqs.push(...events.map((event) => event.seq));
      }
      expect(seqs).toHaveLength(20 * 5 + 5);
      expect(new Set(seqs).size).toBe(seqs.length);

      const report = await verifyAuditChain();
      expect(report, JSON.stringify(report.firstBroken)).toMatchObject({ ok: true });
      expect(BigInt(report.lastSeq)).toBeGreaterThanOrEqual(seqs.reduce((max, seq) => (seq > max ? seq : max), 0n));
      expect(report.checked).toBe(report.lastSeq);
    } finally {
      await client.$disconnect();
    }
  });
});

describe("verification for people: auditors and admins", () => {
  afterAll(async () => {
    // Whatever the tests above wrote, the shared chain is still whole.
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it("verifies the whole chain for auditors and admins, and refuses everyone else (FORBIDDEN)", async () => {
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    const { actor: admin } = await makeActor(["ADMIN"]);
    const { actor: someone } = await makeActor();
    const report = await verifyAuditTrail(auditor);
    expect(report).toMatchObject({ ok: true, head: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(report.checked).toBeGreaterThan(0);
    expect((await verifyAuditTrail(admin)).ok).toBe(true);
    await expectAppError(verifyAuditTrail(someone), "FORBIDDEN");
  });

  it("exports a signed checkpoint for admins only; verification with it reports it found", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    await expectAppError(exportAuditCheckpoint(auditor), "FORBIDDEN");

    const checkpoint = await exportAuditCheckpoint(admin);
    expect(checkpoint).toEqual({
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      exportedAt: expect.any(String),
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const event = await eventBySeq(BigInt(checkpoint.seq));
    expect(event.hash).toBe(checkpoint.hash);
    expect(event.occurredAt.toISOString()).toBe(checkpoint.occurredAt);

    const report = await verifyAuditTrail(auditor, { checkpoint });
    expect(report).toMatchObject({ ok: true, checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash, signature: "valid" } });
    expect(report.lastSeq).toBeGreaterThanOrEqual(checkpoint.seq);
  });

  it("refuses a checkpoint that is malformed or not signed by this installation (INVALID_INPUT), naming the field", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const checkpoint = await exportAuditCheckpoint(admin);
    const altered = await expectAppError(verifyAuditTrail(admin, { checkpoint: { ...checkpoint, seq: checkpoint.seq - 1 } }), "INVALID_INPUT");
    expect(altered.fieldErrors?.signature).toBeDefined();
    const malformed = await expectAppError(verifyAuditTrail(admin, { checkpoint: { ...checkpoint, hash: "nope", extra: 1 } }), "INVALID_INPUT");
    expect(Object.keys(malformed.fieldErrors ?? {})).toEqual(expect.arrayContaining(["hash"]));
    await expectAppError(verifyAuditTrail(admin, { checkpoint: "not an object" }), "INVALID_INPUT");
  });

  it("gives pages a cheap status: the newest events and the head, for auditors and admins", async () => {
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    const { actor: someone } = await makeActor();
    const status = await getAuditChainStatus(auditor, { recent: 50 });
    expect(status).toMatchObject({ ok: true, scope: "recent" });
    expect(status.checked).toBeGreaterThan(0);
    expect(status.checked).toBeLessThanOrEqual(60); // 50, plus any appended meanwhile
    expect(status.fromSeq).toBe(Math.max(1, (status.head?.seq ?? 0) - 50 + 1));
    await expectAppError(getAuditChainStatus(someone), "FORBIDDEN");
  });
});
