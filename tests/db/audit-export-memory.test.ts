import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@/lib/generated/prisma/client";
import { createPrismaClient } from "@/lib/db";
import { exportStream, streamEvents } from "@/lib/audit/export";
import { createTestDatabase } from "../support/database";

// A history export streams: a million events go out while the process's memory stays within
// a fixed bound, far below the size of the file. On a database of its own, filled set-based
// (the hashes are placeholders: this is about memory, the chain tests are about hashes).

const EVENTS = 1_000_000;
const BOUND_MIB = 64;

// Live memory is what stays after a collection: expose the collector to measure it.
v8.setFlagsFromString("--expose_gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;
const liveHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let client: ReturnType<typeof createPrismaClient>;

beforeAll(async () => {
  database = await createTestDatabase("export_memory");
  // Inserting a million rows takes far longer than a request may: limits of its own, client side too.
  client = createPrismaClient(database.url, 2, { connectTimeoutMs: 10_000, statementTimeoutMs: 300_000, queryTimeoutMs: 305_000 });
  await client.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.$executeRawUnsafe("SET LOCAL statement_timeout = 0");
      // Nothing here searches: skip maintaining the search index for a million rows.
      await tx.$executeRawUnsafe("DROP INDEX audit_events_search_idx");
      await tx.$executeRawUnsafe(`
        INSERT INTO audit_events (seq, prev_hash, hash, occurred_at, actor_id, actor_name, actor_email, action, entity_type, entity_id, project_id, before, after, request_id)
        SELECT n, md5(n::text) || md5((n - 1)::text), md5(n::text) || md5(n::text), timestamptz '2026-01-01' + n * interval '1 second',
               '0f8fad5b-d9cb-469f-a165-70867728950e', 'Bench Writer', 'writer@shipshape.test', 'item.updated', 'item', 'item-' || (n % 5000),
               '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b', jsonb_build_object('status', 'IN_PROGRESS', 'version', n),
               jsonb_build_object('status', 'DONE', 'version', n + 1, 'title', 'Backups restore-tested, run ' || n), 'req-' || (n / 7)
        FROM generate_series(1, ${EVENTS}) AS n`);
    },
    { timeout: 300_000 },
  );
}, 300_000);

afterAll(async () => {
  await client?.$disconnect();
  await database?.drop();
});

describe("streaming a history export", () => {
  it(`writes ${EVENTS.toLocaleString("en-US")} events as JSON Lines with memory bounded by ${BOUND_MIB} MiB`, async () => {
    const baseline = liveHeap();
    let peak = baseline;
    let bytes = 0;
    let lines = 0;
    let nextSample = 100_000;
    const reader = exportStream(streamEvents(Prisma.sql`TRUE`, { client }), "jsonl").getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (const byte of value) if (byte === 10) lines++;
      if (lines >= nextSample) {
        peak = Math.max(peak, liveHeap());
        nextSample += 100_000;
      }
    }
    const growthMiB = (peak - baseline) / 2 ** 20;
    console.log(`export of ${lines.toLocaleString("en-US")} events: ${(bytes / 2 ** 20).toFixed(0)} MiB written, live heap grew at most ${growthMiB.toFixed(1)} MiB (sampled every 100,000 events)`);
    expect(lines).toBe(EVENTS);
    expect(bytes / 2 ** 20).toBeGreaterThan(BOUND_MIB * 3);
    expect(growthMiB).toBeLessThan(BOUND_MIB);
  }, 300_000);
});
