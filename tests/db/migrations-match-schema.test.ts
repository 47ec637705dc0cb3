import { readFile } from "node:fs/promises";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { diffSchemas, schemaPath } from "@/lib/db/schema-engine";
import { createTestDatabase } from "../support/database";

// The unit test in lib/db/schema-engine.test.ts checks that the newest migration saved the
// schema in use; this one checks what that cannot: that the migrations, applied in order to an
// empty database, build what prisma/schema.prisma describes. It builds a second database
// straight from the schema (the engine's SQL from nothing to it) and compares the two
// catalogues: tables, columns, enums, indexes and constraints. Triggers and functions that
// migrations add by hand are not in the schema's language, so they are not compared.

/** Indexes the schema's language cannot describe (expressions), written by hand in migrations. */
const HAND_WRITTEN_INDEXES = ["audit_events_search_idx", "audit_events_actor_name_trgm_idx", "audit_events_actor_email_trgm_idx", "checklist_items_attested_at_renewal_idx"];

type Database = Awaited<ReturnType<typeof createTestDatabase>>;
let fromMigrations: Database;
let fromSchema: Database;

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** The public schema's shape as sorted lines of text, without Prisma's own bookkeeping table. */
async function catalogue(url: string): Promise<string[]> {
  const columns = await query<{ line: string }>(
    url,
    `SELECT format('column %s.%s %s %s default %s', table_name, column_name, udt_name, is_nullable, coalesce(column_default, '-')) AS line
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  );
  const enums = await query<{ line: string }>(
    url,
    `SELECT format('enum %s %s', t.typname, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)) AS line
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
      WHERE n.nspname = 'public' GROUP BY t.typname`,
  );
  const indexes = await query<{ line: string }>(
    url,
    `SELECT format('index %s', indexdef) AS line FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
  );
  const constraints = await query<{ line: string }>(
    url,
    `SELECT format('constraint %s.%s %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)) AS line
       FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.contype IN ('p', 'f', 'u') AND c.conrelid::regclass::text <> '_prisma_migrations'`,
  );
  return [...columns, ...enums, ...indexes, ...constraints].map((row) => row.line).sort();
}

beforeAll(async () => {
  fromMigrations = await createTestDatabase("from_migrations");
  fromSchema = await createTestDatabase("from_schema", { migrate: false });
  const sql = await diffSchemas(null, await readFile(schemaPath, "utf8"), fromSchema.url);
  const client = new pg.Client({ connectionString: fromSchema.url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}, 180_000);
afterAll(async () => {
  await fromMigrations?.drop();
  await fromSchema?.drop();
});

describe("prisma/migrations", () => {
  it("build, from an empty database, the tables, columns, enums, indexes and keys prisma/schema.prisma describes", async () => {
    const [built, described] = await Promise.all([catalogue(fromMigrations.url), catalogue(fromSchema.url)]);
    const handWritten = (line: string) => HAND_WRITTEN_INDEXES.some((name) => line.startsWith(`index CREATE INDEX ${name} `));
    const onlyBuilt = built.filter((line) => !described.includes(line) && !handWritten(line));
    const onlyDescribed = described.filter((line) => !built.includes(line));
    expect({ onlyInTheMigrations: onlyBuilt, onlyInTheSchema: onlyDescribed }).toEqual({ onlyInTheMigrations: [], onlyInTheSchema: [] });
    expect(built.length).toBeGreaterThan(50);
  }, 60_000);
});
