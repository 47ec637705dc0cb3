import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Tx } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { readVerifiedChainStatus, verifyAuditChain, type VerifiedChainStatus } from "@/lib/audit/verify";
import { createTestDatabase } from "../support/database";
import { countQueries } from "../support/query-count";

// The history badge verifies the chain incrementally: from the position verified last
// (audit_verified_head), only the events appended since. On a database of its own, so that the
// positions are known and the tampering (rolled back) is seen by no other test.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: ReturnType<typeof createPrismaClient>;

async function append(count: number) {
  for (let index = 0; index < count; index++) {
    await client.$transaction((tx) =>
      recordAuditEvent(tx, {
        actor: { id: "0f8fad5b-d9cb-469f-a165-70867728950e", name: "Writer", email: "writer@shipshape.test" },
        action: auditActions.ITEM_UPDATED,
        entityType: "item",
        entityId: `item-${index}`,
        before: { status: "TODO" },
        after: { status: "DONE", note: `step ${index}` },
        requestId: "verified-head",
      }),
    );
  }
}

const remembered = async () => (await client.auditVerifiedHead.findUnique({ where: { id: 1 } }))?.seq ?? null;

class RolledBack extends Error {}

/** Tampers as the table owner with the triggers off, reads the badge inside, rolls it all back. */
async function statusWhileTampered(tamper: (tx: Tx) => Promise<unknown>, read: (tx: Tx) => Promise<VerifiedChainStatus> = (tx) => readVerifiedChainStatus({ client: tx })) {
  let status: VerifiedChainStatus | undefined;
  await expect(
    client.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("ALTER TABLE audit_events DISABLE TRIGGER USER");
      await tamper(tx);
      status = await read(tx);
      throw new RolledBack();
    }),
  ).rejects.toBeInstanceOf(RolledBack);
  if (!status) throw new Error("no status read");
  return status;
}

beforeAll(async () => {
  database = await createTestDatabase("audit_verified_head");
  client = createPrismaClient(database.url, 8);
  await append(10);
}, 120_000);

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

describe("the verified head", () => {
  it("catches up in bounded steps, then verifies only what was appended since", async () => {
    const first = await readVerifiedChainStatus({ client, limit: 4 });
    expect(first).toMatchObject({ ok: true, scope: "verified", verifiedSeq: 4, headSeq: 10, unverified: 6, checkedNow: 4, fullyVerifiedAt: null });
    expect(await remembered()).toBe(4n);
    expect(await readVerifiedChainStatus({ client, limit: 4 })).toMatchObject({ ok: true, verifiedSeq: 8, unverified: 2, checkedNow: 4 });
    expect(await readVerifiedChainStatus({ client, limit: 4 })).toMatchObject({ ok: true, verifiedSeq: 10, unverified: 0, checkedNow: 2 });
    const settled = await readVerifiedChainStatus({ client });
    expect(settled).toMatchObject({ ok: true, verifiedSeq: 10, unverified: 0, checkedNow: 0 });
    expect(settled.verifiedAt).not.toBeNull();

    await append(3);
    expect(await readVerifiedChainStatus({ client })).toMatchObject({ ok: true, verifiedSeq: 13, headSeq: 13, unverified: 0, checkedNow: 3 });
    expect(await remembered()).toBe(13n);
  });

  it("costs the same few queries however long the history is", async () => {
    await readVerifiedChainStatus({ client });
    const idle = await countQueries(() => readVerifiedChainStatus({ client }));
    await append(5);
    const advancing = await countQueries(() => readVerifiedChainStatus({ client }));
    expect(advancing.result.checkedNow).toBe(5);
    expect(idle.queries, idle.statements.join("\n")).toBeLessThanOrEqual(3);
    // Advancing adds reading the new events and remembering how far they were verified.
    expect(advancing.queries).toBeLessThanOrEqual(idle.queries + 2);
  });

  it("moves only forward along a verified path when many view at once", async () => {
    await append(6);
    const head = (await client.auditChainHead.findUniqueOrThrow({ where: { id: 1 } })).seq;
    const statuses = await Promise.all(Array.from({ length: 6 }, () => readVerifiedChainStatus({ client, limit: 2 })));
    expect(statuses.every((status) => status.ok)).toBe(true);
    // Each view advanced from what it read, or lost to one that got there first: never beyond what one view verified.
    const reached = await remembered();
    expect(reached).not.toBeNull();
    expect(reached!).toBeLessThanOrEqual(head);
    expect(statuses.map((status) => BigInt(status.verifiedSeq)).some((seq) => seq === reached)).toBe(true);
    for (let view = 0; view < 10 && (await remembered()) !== head; view++) await readVerifiedChainStatus({ client, limit: 2 });
    expect(await remembered()).toBe(head);
    const row = await client.auditVerifiedHead.findUniqueOrThrow({ where: { id: 1 } });
    const event = await client.auditEvent.findUniqueOrThrow({ where: { seq: head }, select: { hash: true } });
    expect(row.hash).toBe(event.hash);
  });

  it("sees an edited new event, and a rewrite of the history up to the verified position", async () => {
    await readVerifiedChainStatus({ client });
    const verified = (await remembered())!;
    await append(2);
    const edited = await statusWhileTampered((tx) => tx.$executeRaw`UPDATE audit_events SET action = 'tampered' WHERE seq = ${verified + 2n}`);
    expect(edited).toMatchObject({ ok: false, firstBroken: { seq: Number(verified + 2n), reason: "content_edited" } });

    const rewritten = await statusWhileTampered((tx) => tx.$executeRaw`UPDATE audit_events SET hash = ${"f".repeat(64)} WHERE seq = ${verified}`);
    expect(rewritten).toMatchObject({ ok: false, firstBroken: { seq: Number(verified), reason: "verified_mismatch" } });

    const cut = await statusWhileTampered(async (tx) => {
      await tx.$executeRawUnsafe("ALTER TABLE audit_chain_head DISABLE TRIGGER USER");
      await tx.$executeRaw`DELETE FROM audit_events WHERE seq >= ${verified}`;
      await tx.$executeRaw`UPDATE audit_chain_head SET seq = ${verified - 1n}`;
    });
    expect(cut).toMatchObject({ ok: false, firstBroken: { reason: "truncated" } });
    // Nothing was remembered from the damaged views.
    expect(await remembered()).toBe(verified);
    expect(await readVerifiedChainStatus({ client })).toMatchObject({ ok: true, checkedNow: 2 });
  });

  it("remembers a full verification: its time when intact, its break until one passes", async () => {
    const full = await verifyAuditChain({ client });
    expect(full.ok).toBe(true);
    const status = await readVerifiedChainStatus({ client });
    expect(status).toMatchObject({ ok: true, verifiedSeq: full.lastSeq, checkedNow: 0 });
    expect(status.fullyVerifiedAt).not.toBeNull();

    const broken = await statusWhileTampered(
      (tx) => tx.$executeRaw`UPDATE audit_events SET action = 'tampered' WHERE seq = 3`,
      async (tx) => {
        expect((await verifyAuditChain({ client: tx })).firstBroken).toMatchObject({ seq: 3, reason: "content_edited" });
        return readVerifiedChainStatus({ client: tx });
      },
    );
    // An edit below the verified head is found only by a full verification, and then stands.
    expect(broken).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: "content_edited" } });
    expect(broken.brokenFoundAt).toBeDefined();
    expect((await readVerifiedChainStatus({ client })).ok).toBe(true);
  });
});
