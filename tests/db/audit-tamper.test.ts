import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type Tx } from "@/lib/db";
import { contentHash, hashEvent, type ChainedEventContent, type Checkpoint } from "@/lib/audit/chain";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { createAuditCheckpoint, readAuditChainStatus, verifyAuditChain, type VerifyReport } from "@/lib/audit/verify";
import { createTestDatabase } from "../support/database";

// Someone who owns the tables can switch the append-only trigger off and rewrite history. The
// hash chain is what still gives them away: each case below tampers as the table owner, with
// the triggers disabled, inside a transaction that is rolled back afterwards (which also
// re-enables the triggers), and checks that verification names the first broken event and why.
// These run on a database of their own, so that seqs are known and no other test sees the damage.

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: ReturnType<typeof createPrismaClient>;
/** The seeded events by seq (1-based): ids as strings, hashes. */
let seeded: { id: string; seq: bigint; hash: string; occurredAt: Date }[] = [];
const byseq = (seq: number) => seeded[seq - 1] ?? (() => { throw new Error(`no seeded seq ${seq}`); })();

beforeAll(async () => {
  database = await createTestDatabase("audit_tamper");
  client = createPrismaClient(database.url, 4);
  for (let index = 1; index <= 10; index++) {
    await client.$transaction((tx) =>
      recordAuditEvent(tx, {
        actor: index % 3 === 0 ? null : { id: "0f8fad5b-d9cb-469f-a165-70867728950e", name: `Writer ${index}`, email: `writer${index}@shipshape.test` },
        action: index % 2 ? auditActions.ITEM_UPDATED : auditActions.COMMENT_ADDED,
        entityType: "item",
        entityId: `item-${index}`,
        before: index % 2 ? { status: "TODO", version: index } : null,
        after: { status: "DONE", version: index + 1, note: `änderung ${index} ✓` },
        requestId: `seed-${index}`,
      }),
    );
  }
  seeded = (await client.auditEvent.findMany({ orderBy: { seq: "asc" }, select: { id: true, seq: true, hash: true, occurredAt: true } })).map((row) => ({ ...row, id: row.id.toString() }));
  expect(seeded.map((row) => row.seq)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
}, 120_000);

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

class RolledBack extends Error {}

/** Runs `tamper` as the table owner with the user triggers off, verifies inside, rolls it all back. */
async function verifyWhileTampered(tamper: (tx: Tx) => Promise<unknown>, checkpoint?: Checkpoint): Promise<VerifyReport> {
  let report: VerifyReport | undefined;
  await expect(
    client.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe("ALTER TABLE audit_events DISABLE TRIGGER USER");
        await tamper(tx);
        report = await verifyAuditChain({ client: tx, batchSize: 3, ...(checkpoint ? { checkpoint } : {}) });
        throw new RolledBack();
      },
      { timeout: 30_000 },
    ),
  ).rejects.toBeInstanceOf(RolledBack);
  if (!report) throw new Error("no report");
  return report;
}

async function triggersEnabled(): Promise<Record<string, string>> {
  const rows = await client.$queryRaw<{ tgname: string; tgenabled: string }[]>`
    SELECT tgname, tgenabled::text FROM pg_trigger
    WHERE tgrelid IN ('audit_events'::regclass, 'audit_chain_head'::regclass, 'audit_pending_events'::regclass) AND NOT tgisinternal ORDER BY tgname`;
  return Object.fromEntries(rows.map((row) => [row.tgname, row.tgenabled]));
}

/** A forged event with a correct hash, as someone who read lib/audit/chain.ts would write it. */
async function insertForged(tx: Tx, content: Omit<ChainedEventContent, "occurredAt" | "actorId" | "actorEmail" | "projectId" | "before" | "requestId" | "entityType">): Promise<string> {
  const event: ChainedEventContent = { ...content, occurredAt: new Date("2026-11-23T12:00:00.000Z"), actorId: null, actorEmail: null, projectId: null, before: null, requestId: "forged", entityType: "item" };
  const [row] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO audit_events (seq, prev_hash, hash, occurred_at, actor_name, action, entity_type, entity_id, after, request_id)
    VALUES (${event.seq}, ${event.prevHash}, ${hashEvent(event)}, ${event.occurredAt}, ${event.actorName}, ${event.action}, ${event.entityType}, ${event.entityId}, ${JSON.stringify(event.after)}::jsonb, ${event.requestId})
    RETURNING id`;
  return row!.id.toString();
}

/** Moves seqs by SQL without tripping the unique index midway (two steps through a high range). */
async function renumber(tx: Tx, mapping: Record<number, number>) {
  for (const [from, to] of Object.entries(mapping)) await tx.$executeRawUnsafe(`UPDATE audit_events SET seq = ${Number(to) + 1_000_000} WHERE seq = ${from}`);
  await tx.$executeRawUnsafe(`UPDATE audit_events SET seq = seq - 1000000 WHERE seq > 1000000`);
}

describe("tampering by the table owner is found, named by its first broken event", () => {
  afterEach(async () => {
    expect(await triggersEnabled()).toEqual({
      audit_pending_events_append: "O",
      audit_chain_head_guard: "O",
      audit_chain_head_no_truncate: "O",
      audit_events_extend_chain: "O",
      audit_events_no_truncate: "O",
      audit_events_no_update_or_delete: "O",
    });
    expect(await verifyAuditChain({ client })).toMatchObject({ ok: true });
  });

  it("the untouched chain verifies, in batches", async () => {
    expect(await verifyAuditChain({ client, batchSize: 3 })).toMatchObject({ ok: true, checked: 10, lastSeq: 10, lastHash: byseq(10).hash, head: { seq: 10, hash: byseq(10).hash } });
  });

  it("an edited `after`: content_edited at that event", async () => {
    const report = await verifyWhileTampered((tx) => tx.$executeRaw`UPDATE audit_events SET after = jsonb_set(after, '{status}', '"WAIVED"') WHERE seq = 4`);
    expect(report).toMatchObject({ ok: false, checked: 3, lastSeq: 3, firstBroken: { seq: 4, id: byseq(4).id, reason: "content_edited" } });
  });

  it("an edited actor_name: content_edited at that event", async () => {
    const report = await verifyWhileTampered((tx) => tx.$executeRaw`UPDATE audit_events SET actor_name = 'Somebody Else' WHERE seq = 7`);
    expect(report.firstBroken).toMatchObject({ seq: 7, id: byseq(7).id, reason: "content_edited" });
  });

  it("an edited event whose hash was recomputed too: broken_link at the next one", async () => {
    const report = await verifyWhileTampered(async (tx) => {
      await tx.$executeRaw`UPDATE audit_events SET actor_name = 'Somebody Else' WHERE seq = 5`;
      const row = await tx.auditEvent.findUniqueOrThrow({ where: { seq: 5n } });
      await tx.$executeRaw`UPDATE audit_events SET hash = ${hashEvent({ ...row, before: row.before, after: row.after })} WHERE seq = 5`;
    });
    expect(report.firstBroken).toMatchObject({ seq: 6, id: byseq(6).id, reason: "broken_link" });
  });

  it("a deleted middle event: seq_gap at the event after it", async () => {
    const report = await verifyWhileTampered((tx) => tx.$executeRaw`DELETE FROM audit_events WHERE seq = 5`);
    expect(report.firstBroken).toMatchObject({ seq: 6, id: byseq(6).id, reason: "seq_gap", message: expect.stringContaining("seq 5 is missing") });
  });

  it("a deleted middle event, the later ones renumbered: broken_link where it was", async () => {
    const report = await verifyWhileTampered(async (tx) => {
      await tx.$executeRaw`DELETE FROM audit_events WHERE seq = 5`;
      await renumber(tx, { 6: 5, 7: 6, 8: 7, 9: 8, 10: 9 });
    });
    expect(report.firstBroken).toMatchObject({ seq: 5, id: byseq(6).id, reason: "broken_link" });
  });

  it("a forged event with a plausible hash inserted next to an existing one: duplicate_seq", async () => {
    let forged = "";
    const report = await verifyWhileTampered(async (tx) => {
      await tx.$executeRawUnsafe("DROP INDEX audit_events_seq_key");
      forged = await insertForged(tx, { seq: 5n, prevHash: byseq(4).hash, actorName: "Forger", action: auditActions.ITEM_UPDATED, entityId: "item-5", after: { status: "DONE" } });
    });
    expect(report.firstBroken).toMatchObject({ seq: 5, id: forged, reason: "duplicate_seq" });
  });

  it("a forged event with a plausible hash inserted in the middle, later ones renumbered: broken_link at the event after it", async () => {
    const report = await verifyWhileTampered(async (tx) => {
      await renumber(tx, { 10: 11, 9: 10, 8: 9, 7: 8, 6: 7, 5: 6 });
      await insertForged(tx, { seq: 5n, prevHash: byseq(4).hash, actorName: "Forger", action: auditActions.ITEM_UPDATED, entityId: "item-x", after: { status: "DONE" } });
    });
    expect(report).toMatchObject({ checked: 5, firstBroken: { seq: 6, id: byseq(5).id, reason: "broken_link" } });
  });

  it("a forged event appended behind the trigger's back (head not moved): head_mismatch", async () => {
    let forged = "";
    const report = await verifyWhileTampered(async (tx) => {
      forged = await insertForged(tx, { seq: 11n, prevHash: byseq(10).hash, actorName: "Forger", action: auditActions.ITEM_UPDATED, entityId: "item-11", after: {} });
    });
    expect(report.firstBroken).toMatchObject({ seq: 11, id: forged, reason: "head_mismatch" });
    // Proven: the ten events up to the head, not the forged one beyond it.
    expect(report).toMatchObject({ ok: false, checked: 10, lastSeq: 10, lastHash: byseq(10).hash });
  });

  it("events committed with the append trigger off, so never chained: unchained_events", async () => {
    const report = await verifyWhileTampered(async (tx) => {
      await tx.$executeRawUnsafe("ALTER TABLE audit_pending_events DISABLE TRIGGER USER");
      await recordAuditEvent(tx, { actor: null, action: auditActions.ITEM_UPDATED, entityType: "item", requestId: "never-chained" });
    });
    expect(report).toMatchObject({ ok: false, checked: 10, firstBroken: { seq: 11, id: null, reason: "unchained_events" } });
  });

  it("two events' seqs swapped: broken_link at the first", async () => {
    const report = await verifyWhileTampered((tx) => renumber(tx, { 4: 7, 7: 4 }));
    expect(report.firstBroken).toMatchObject({ seq: 4, id: byseq(7).id, reason: "broken_link" });
  });

  it("the newest events deleted, the head left behind: truncated (the head names seq 10)", async () => {
    const report = await verifyWhileTampered((tx) => tx.$executeRaw`DELETE FROM audit_events WHERE seq > 8`);
    expect(report).toMatchObject({ ok: false, checked: 8, lastSeq: 8, firstBroken: { seq: 10, id: null, reason: "truncated" } });
  });

  it("the newest events deleted and the head moved back: found only against a checkpoint kept elsewhere", async () => {
    const { checkpoint } = await createAuditCheckpoint({ client });
    expect(checkpoint).toMatchObject({ seq: 10, hash: byseq(10).hash, occurredAt: byseq(10).occurredAt.toISOString() });
    const truncate = async (tx: Tx) => {
      await tx.$executeRaw`DELETE FROM audit_events WHERE seq > 8`;
      await tx.$executeRawUnsafe("ALTER TABLE audit_chain_head DISABLE TRIGGER USER");
      await tx.$executeRaw`UPDATE audit_chain_head SET seq = 8, hash = ${byseq(8).hash}`;
    };
    expect(await verifyWhileTampered(truncate)).toMatchObject({ ok: true, checked: 8, lastSeq: 8 });
    expect(await verifyWhileTampered(truncate, checkpoint)).toMatchObject({ ok: false, checked: 8, firstBroken: { seq: 10, id: null, reason: "truncated" } });
  });

  it("the whole chain rewritten consistently from seq 3 on, head included: found only against a checkpoint", async () => {
    const { checkpoint } = await createAuditCheckpoint({ client });
    const rewrite = async (tx: Tx) => {
      await tx.$executeRaw`UPDATE audit_events SET actor_name = 'Rewritten' WHERE seq = 3`;
      let previous = byseq(2).hash;
      for (let seq = 3n; seq <= 10n; seq++) {
        await tx.$executeRaw`UPDATE audit_events SET prev_hash = ${previous} WHERE seq = ${seq}`;
        const row = await tx.auditEvent.findUniqueOrThrow({ where: { seq } });
        previous = hashEvent({ ...row, before: row.before, after: row.after });
        await tx.$executeRaw`UPDATE audit_events SET hash = ${previous} WHERE seq = ${seq}`;
      }
      await tx.$executeRawUnsafe("ALTER TABLE audit_chain_head DISABLE TRIGGER USER");
      await tx.$executeRaw`UPDATE audit_chain_head SET hash = ${previous}`;
    };
    expect(await verifyWhileTampered(rewrite)).toMatchObject({ ok: true, checked: 10 });
    const againstCheckpoint = await verifyWhileTampered(rewrite, checkpoint);
    expect(againstCheckpoint.firstBroken).toMatchObject({ seq: 10, id: byseq(10).id, reason: "checkpoint_mismatch" });
    // The rewritten events link up, but no checkpoint vouched for any of them: nothing is proven.
    expect(againstCheckpoint).toMatchObject({ ok: false, checked: 0, lastSeq: 0 });
  });

  it("the chain head alone edited: head_mismatch", async () => {
    const report = await verifyWhileTampered(async (tx) => {
      await tx.$executeRawUnsafe("ALTER TABLE audit_chain_head DISABLE TRIGGER USER");
      await tx.$executeRaw`UPDATE audit_chain_head SET hash = ${byseq(9).hash}`;
    });
    expect(report.firstBroken).toMatchObject({ seq: 10, id: byseq(10).id, reason: "head_mismatch" });
  });

  it("the page status sees damage among the newest events too", async () => {
    const status = await verifyWhileTamperedStatus((tx) => tx.$executeRaw`UPDATE audit_events SET action = 'tampered' WHERE seq = 9`);
    expect(status).toMatchObject({ ok: false, scope: "recent", fromSeq: 6, firstBroken: { seq: 9, reason: "content_edited" } });
  });
});

async function verifyWhileTamperedStatus(tamper: (tx: Tx) => Promise<unknown>) {
  let status: Awaited<ReturnType<typeof readAuditChainStatus>> | undefined;
  await expect(
    client.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("ALTER TABLE audit_events DISABLE TRIGGER USER");
      await tamper(tx);
      status = await readAuditChainStatus({ client: tx, recent: 5 });
      throw new RolledBack();
    }),
  ).rejects.toBeInstanceOf(RolledBack);
  return status;
}

describe("the database keeps the chain head", () => {
  it("refuses to move, delete or empty the head except through an appended event", async () => {
    await expect(client.$executeRaw`UPDATE audit_chain_head SET seq = seq + 1`).rejects.toThrow(/audit_chain_head moves only when an audit event is appended: UPDATE is refused/);
    await expect(client.$executeRaw`DELETE FROM audit_chain_head`).rejects.toThrow(/DELETE is refused/);
    await expect(client.$transaction((tx) => tx.$executeRawUnsafe("TRUNCATE audit_chain_head"))).rejects.toThrow(/TRUNCATE is refused/);
    expect(await client.auditChainHead.findMany()).toEqual([{ id: 1, seq: 10n, hash: byseq(10).hash }]);
  });

  it("refuses an event that does not extend the head (a fork), whatever its hash", async () => {
    for (const [seq, prevHash] of [
      [10n, byseq(9).hash], // the head's own seq
      [12n, byseq(10).hash], // a seq too far
      [11n, byseq(9).hash], // the right seq, linked to the wrong event
    ] as const) {
      await expect(
        client.$transaction((tx) => insertForged(tx, { seq, prevHash, actorName: "Forker", action: auditActions.ITEM_UPDATED, entityId: "fork", after: {} })),
      ).rejects.toThrow(/does not extend the audit chain head/);
    }
    expect(await client.auditEvent.count()).toBe(10);
  });

  it("checks links, not hashes: an extending event with a wrong hash is stored, and verification names it", async () => {
    const report = await client
      .$transaction(async (tx) => {
        await tx.$executeRaw`
          INSERT INTO audit_events (seq, prev_hash, hash, action, entity_type) VALUES (11, ${byseq(10).hash}, ${"f".repeat(64)}, 'item.updated', 'item')`;
        const inside = await verifyAuditChain({ client: tx });
        throw Object.assign(new RolledBack(), { inside });
      })
      .catch((error: RolledBack & { inside: VerifyReport }) => error.inside);
    expect(report.firstBroken).toMatchObject({ seq: 11, reason: "content_edited" });
  });

  it("a rolled-back transaction leaves no gap: the next event takes the seq it would have had", async () => {
    await expect(
      client.$transaction(async (tx) => {
        for (let index = 0; index < 3; index++) await recordAuditEvent(tx, { actor: null, action: auditActions.ITEM_UPDATED, entityType: "item", requestId: "rolled-back" });
        throw new RolledBack();
      }),
    ).rejects.toBeInstanceOf(RolledBack);
    expect(await client.auditChainHead.findUniqueOrThrow({ where: { id: 1 } })).toMatchObject({ seq: 10n, hash: byseq(10).hash });

    await client.$transaction((tx) => recordAuditEvent(tx, { actor: null, action: auditActions.ITEM_UPDATED, entityType: "item", requestId: "kept" }));
    const kept = await client.auditEvent.findFirstOrThrow({ where: { requestId: "kept" } });
    expect(kept).toMatchObject({ seq: 11n, prevHash: byseq(10).hash });
    expect(await client.auditEvent.count({ where: { requestId: "rolled-back" } })).toBe(0);
    expect(await verifyAuditChain({ client })).toMatchObject({ ok: true, checked: 11, lastSeq: 11 });
  });
});

describe("events are chained at commit, so a transaction that recorded one holds up no one", () => {
  const record = (tx: Tx, entityId: string, requestId: string) => recordAuditEvent(tx, { actor: null, action: auditActions.ITEM_UPDATED, entityType: "item", entityId, requestId });
  const signal = () => {
    let resolve = () => {};
    const promise = new Promise<void>((done) => (resolve = done));
    return { promise, resolve };
  };

  it("keeps a transaction's events out of audit_events until it commits, then appends them in the order recorded", async () => {
    await client.$transaction(async (tx) => {
      for (const entityId of ["first", "second", "third"]) await record(tx, entityId, "ordered");
      expect(await tx.auditEvent.count({ where: { requestId: "ordered" } })).toBe(0);
      expect(await tx.auditPendingEvent.count()).toBe(3);
    });
    const events = await client.auditEvent.findMany({ where: { requestId: "ordered" }, orderBy: { seq: "asc" } });
    expect(events.map((event) => event.entityId)).toEqual(["first", "second", "third"]);
    expect(events.map((event) => event.seq - events[0]!.seq)).toEqual([0n, 1n, 2n]);
    expect(await client.auditPendingEvent.count()).toBe(0);
  });

  it("lets another writer commit while a transaction that recorded an event is still open", async () => {
    const recorded = signal();
    const other = signal();
    const open = client.$transaction(
      async (tx) => {
        await record(tx, "open", "open-writer");
        recorded.resolve();
        await other.promise; // still open while the other writer records and commits
      },
      { timeout: 20_000 },
    );
    await recorded.promise;
    // Were the head locked by the open transaction, this would wait for it, which waits for
    // this: the lock timeout would fail it.
    await client.$transaction((tx) => record(tx, "other", "other-writer"));
    other.resolve();
    await open;
    const [first] = await client.auditEvent.findMany({ where: { requestId: "other-writer" } });
    const [second] = await client.auditEvent.findMany({ where: { requestId: "open-writer" } });
    // Chained in commit order: the writer that committed first comes first.
    expect(second!.seq).toBe(first!.seq + 1n);
    expect(await verifyAuditChain({ client })).toMatchObject({ ok: true });
  });

  it("does not deadlock when a writer locks a row after its event that another holds while recording its own", async () => {
    // With the head locked from the first event to commit, A (event, then row) and B (row, then
    // event) would wait for each other; with the head taken at commit, B commits, then A.
    await client.$executeRawUnsafe("CREATE TABLE IF NOT EXISTS chain_probe (id int PRIMARY KEY, n int NOT NULL)");
    await client.$executeRawUnsafe("INSERT INTO chain_probe VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
    const aRecorded = signal();
    const bLocked = signal();
    const a = client.$transaction(
      async (tx) => {
        await record(tx, "a", "deadlock-a");
        aRecorded.resolve();
        await bLocked.promise;
        await tx.$executeRaw`UPDATE chain_probe SET n = n + 1 WHERE id = 1`; // waits for B
      },
      { timeout: 20_000 },
    );
    const b = client.$transaction(
      async (tx) => {
        await aRecorded.promise;
        await tx.$executeRaw`UPDATE chain_probe SET n = n + 1 WHERE id = 1`;
        bLocked.resolve();
        await new Promise((resolve) => setTimeout(resolve, 300)); // A is now waiting for this row
        await record(tx, "b", "deadlock-b");
      },
      { timeout: 20_000 },
    );
    await Promise.all([a, b]);
    expect(await client.auditEvent.count({ where: { requestId: { in: ["deadlock-a", "deadlock-b"] } } })).toBe(2);
    expect(await verifyAuditChain({ client })).toMatchObject({ ok: true });
  });
});

// The command line and the offline verifier, as real processes, against this database.

const scratch = mkdtempSync(path.join(tmpdir(), "shipshape-audit-"));
function run(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), script, ...args], {
    env: { ...process.env, DATABASE_URL: database.url, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

/** The chain as JSON Lines, one event per line with the columns of audit_events: the export format. */
async function exportLines(): Promise<string[]> {
  const rows = await client.auditEvent.findMany({ orderBy: { seq: "asc" } });
  return rows.map((row) => JSON.stringify({ ...row, id: row.id.toString(), seq: Number(row.seq) }));
}

describe("offline verification of an export (scripts/verify-audit-export.ts)", () => {
  const script = "scripts/verify-audit-export.ts";
  const file = (name: string, lines: string[]) => {
    const target = path.join(scratch, name);
    writeFileSync(target, `${lines.join("\n")}\n`);
    return target;
  };

  it("verifies an intact export (0), names an edited line (1), refuses an unreadable one (2)", async () => {
    const lines = await exportLines();
    const intact = run(script, [file("intact.jsonl", lines)]);
    expect(intact.stdout).toMatch(new RegExp(`audit chain intact: ${lines.length} events, through seq ${lines.length}$`));
    expect(intact.status).toBe(0);

    const edited = lines.map((line, index) => (index === 2 ? line.replace(/"actorName":null/, '"actorName":"Nobody"') : line));
    expect(edited[2]).not.toBe(lines[2]);
    const broken = run(script, [file("edited.jsonl", edited), "--json"]);
    expect(broken.status).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ ok: false, checked: 2, firstBroken: { seq: 3, id: byseq(3).id, reason: "content_edited" } });

    const garbage = run(script, [file("garbage.jsonl", [lines[0]!, "{not json"])]);
    expect(garbage.status).toBe(2);
    expect(garbage.stderr).toMatch(/^error: line 2: not JSON/);
    expect(run(script, [path.join(scratch, "missing.jsonl")]).status).toBe(2);
    expect(run(script, []).status).toBe(2);
  });

  it("checks a checkpoint: its signature when the secret is given, and truncation; --partial for a slice", async () => {
    const lines = await exportLines();
    const { checkpoint } = await createAuditCheckpoint({ client });
    const checkpointFile = path.join(scratch, "checkpoint.json");
    writeFileSync(checkpointFile, JSON.stringify(checkpoint));

    const withSecret = run(script, [file("all.jsonl", lines), "--checkpoint", checkpointFile, "--json"]);
    expect(withSecret.status).toBe(0);
    expect(JSON.parse(withSecret.stdout)).toMatchObject({ ok: true, checkpoint: { seq: lines.length, signature: "valid" } });

    const withoutSecret = run(script, [file("all.jsonl", lines), "--checkpoint", checkpointFile], { AUTH_SECRET: "", AUDIT_CHECKPOINT_SECRET: "" });
    expect(withoutSecret.status).toBe(0);
    expect(withoutSecret.stderr).toContain("signature was not checked");

    const truncated = run(script, [file("truncated.jsonl", lines.slice(0, -2)), "--checkpoint", checkpointFile, "--json"]);
    expect(truncated.status).toBe(1);
    expect(JSON.parse(truncated.stdout).firstBroken).toMatchObject({ seq: lines.length, reason: "truncated" });

    writeFileSync(path.join(scratch, "altered.json"), JSON.stringify({ ...checkpoint, seq: 9 }));
    const altered = run(script, [file("all.jsonl", lines), "--checkpoint", path.join(scratch, "altered.json")]);
    expect(altered.status).toBe(2);
    expect(altered.stderr).toContain("signature does not match");

    // A filtered export: the events it leaves out keep only their place in the chain.
    const rows = await client.auditEvent.findMany({ orderBy: { seq: "asc" } });
    const filtered = rows.map((row, index) =>
      index % 3 === 0 ? lines[index]! : JSON.stringify({ id: row.id.toString(), seq: Number(row.seq), prevHash: row.prevHash, hash: row.hash, contentHash: contentHash({ ...row, before: row.before, after: row.after }) }),
    );
    const withheld = run(script, [file("filtered.jsonl", filtered), "--checkpoint", checkpointFile]);
    expect(withheld.stdout).toMatch(new RegExp(`intact: ${lines.length} events \\(${rows.filter((_, index) => index % 3 !== 0).length} with their content withheld\\), through seq ${lines.length}; checkpoint`));
    expect(withheld.status).toBe(0);

    expect(run(script, [file("slice.jsonl", lines.slice(4))]).status).toBe(1);
    expect(run(script, [file("slice.jsonl", lines.slice(4)), "--partial"]).stdout).toMatch(new RegExp(`intact \\(a stretch of the chain, from seq 5\\): ${lines.length - 4} events, through seq ${lines.length}$`));
  });
});

describe("npm run cli -- audit verify / checkpoint on a broken chain", () => {
  it("exits 0 while intact; after a committed edit, 1 naming the event, and no checkpoint (1)", async () => {
    const total = await client.auditEvent.count();
    const intact = run("scripts/cli.ts", ["audit", "verify"]);
    expect(intact.stdout).toMatch(new RegExp(`^audit chain intact: ${total} events, seq 1–${total}, last hash [0-9a-f]{12}…$`));
    expect(intact.status).toBe(0);

    // For real this time, committed: the owner switches the trigger off, edits, switches it on.
    await client.$executeRawUnsafe("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_or_delete");
    await client.$executeRaw`UPDATE audit_events SET after = '{"status":"DONE","version":99}' WHERE seq = 4`;
    await client.$executeRawUnsafe("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_or_delete");

    const broken = run("scripts/cli.ts", ["audit", "verify"]);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe(
      `audit chain BROKEN at seq 4 (event id ${byseq(4).id}): content_edited: Event ${byseq(4).id} (seq 4) was changed after it was written: its content does not match its hash. (3 events intact, through seq 3)`,
    );
    const json = run("scripts/cli.ts", ["audit", "verify", "--json"]);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, checked: 3, lastSeq: 3, firstBroken: { seq: 4, id: byseq(4).id, reason: "content_edited" } });

    const refused = run("scripts/cli.ts", ["audit", "checkpoint"]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe("error: The audit chain is broken at seq 4: no checkpoint is signed over a broken chain.");
    expect(JSON.parse(readFileSync(path.join(scratch, "checkpoint.json"), "utf8")).seq).toBe(total);
  });
});
