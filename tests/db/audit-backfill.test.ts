import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db";
import { GENESIS_HASH } from "@/lib/audit/chain";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { verifyAuditChain } from "@/lib/audit/verify";
import { migrationsDir } from "@/lib/db/schema-engine";
import { createTestDatabase } from "../support/database";

// Databases that already hold events (demo databases, anyone who ran an earlier build) get the
// chain in the migration: the events are chained in id order by SQL written once for that
// purpose. This test builds such a database (the migrations before the chain, then events with
// awkward JSON), applies the chain's migrations as the engine would (each file one transaction),
// and checks that the TypeScript verifier, the one definition of the chain, agrees.

const folders = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort((a, b) => a.localeCompare(b));
const firstChainMigration = folders.findIndex((folder) => folder.endsWith("_audit_hash_chain"));

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: pg.Client;

async function migrate(selected: string[]) {
  for (const folder of selected) await sql.query(readFileSync(path.join(migrationsDir, folder, "migration.sql"), "utf8"));
}

// Legacy rows as the old writer (Prisma, JSON.stringify) or a hand-run INSERT could leave them.
const legacy: { occurredAt: string; actorId: string | null; actorName: string | null; before: string | null; after: string | null }[] = [
  { occurredAt: "2026-01-02T03:04:05.678Z", actorId: null, actorName: null, before: null, after: '{"b":1,"a":2}' },
  {
    occurredAt: "2026-01-02T03:04:05.678Z",
    actorId: "0F8FAD5B-D9CB-469F-A165-70867728950E",
    actorName: 'Zoë "Ops" \\ \u2028 😀',
    before: '{"z":{"y":[3,2,1],"x":{}},"A":[],"😀":"emoji","\\ue000":"private use","é":null,"quote":"say \\"hi\\"\\n\\t\\u0001"}',
    after: `[${[1e21, 1e-7, -0.000001, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 123456789012345680000, 0.000001, -1.5, 0].map((n) => JSON.stringify(n)).join(",")}, 1.50, 1E2, -0, true, false, null]`,
  },
  { occurredAt: "2026-01-03T00:00:00.001Z", actorId: "0f8fad5b-d9cb-469f-a165-70867728950e", actorName: "Ada", before: '"a top-level string"', after: "null" },
  { occurredAt: "2026-01-03T00:00:00.002Z", actorId: null, actorName: "日本語", before: "42", after: '{"nested":{"deep":{"deeper":[{"k":"v"},[[]]]}}}' },
];

beforeAll(async () => {
  expect(firstChainMigration).toBeGreaterThan(0);
  database = await createTestDatabase("audit_backfill", { migrate: false });
  sql = new pg.Client({ connectionString: database.url });
  await sql.connect();
  await migrate(folders.slice(0, firstChainMigration));
  for (const [index, row] of legacy.entries()) {
    await sql.query(
      `INSERT INTO audit_events (occurred_at, actor_id, actor_name, actor_email, action, entity_type, entity_id, project_id, before, after, request_id)
       VALUES ($1, $2, $3, $4, 'item.updated', 'item', $5, $6, $7::jsonb, $8::jsonb, $9)`,
      [row.occurredAt, row.actorId, row.actorName, row.actorName ? `legacy${index}@example.com` : null, index % 2 ? null : `legacy-${index}`, index === 1 ? row.actorId : null, row.before, row.after, index === 3 ? null : `legacy-request-${index}`],
    );
  }
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await database?.drop();
});

describe("the hash chain migrations on a database that already holds events", () => {
  it("chain the existing events in id order so that lib/audit/chain.ts verifies them, and the writer continues the chain", async () => {
    await migrate(folders.slice(firstChainMigration));
    const { rows } = await sql.query<{ id: string; seq: string; prev_hash: string }>("SELECT id::text, seq::text, prev_hash FROM audit_events ORDER BY id");
    expect(rows.map((row) => row.seq)).toEqual(["1", "2", "3", "4"]);
    expect(rows[0]?.prev_hash).toBe(GENESIS_HASH);

    const client = createPrismaClient(database.url, 2);
    try {
      const report = await verifyAuditChain({ client });
      expect(report, JSON.stringify(report.firstBroken)).toMatchObject({ ok: true, checked: 4, lastSeq: 4, head: { seq: 4 } });
      expect(report.head?.hash).toBe(report.lastHash);

      await client.$transaction((tx) => recordAuditEvent(tx, { actor: null, action: auditActions.ITEM_UPDATED, entityType: "item", after: { after: "the migration" }, requestId: "new" }));
      expect(await verifyAuditChain({ client })).toMatchObject({ ok: true, checked: 5, lastSeq: 5 });
    } finally {
      await client.$disconnect();
    }

    // The backfill's helper functions are gone; the append-only trigger is back on.
    const { rows: functions } = await sql.query("SELECT proname FROM pg_proc WHERE proname LIKE 'audit_backfill%'");
    expect(functions).toEqual([]);
    await expect(sql.query("UPDATE audit_events SET action = 'x' WHERE seq = 1")).rejects.toThrow(/append-only: UPDATE is refused/);
  });
});
