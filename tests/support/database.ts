import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "@/lib/db/schema-engine";

// Each test run gets its own fresh database, created and migrated here and dropped afterwards.
// It is never the demo database, and never a remote server.

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

function adminUrl(): URL {
  const url = new URL(process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
  if (!LOCAL_HOSTS.has(url.hostname)) {
    throw new Error(`Refusing to run tests against ${url.hostname}: TEST_DATABASE_URL must point at localhost.`);
  }
  return url;
}

async function withAdminClient<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl().toString(), connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL at ${adminUrl().host} for the tests (${error instanceof Error ? error.message : String(error)}). ` +
        "Start it, or set TEST_DATABASE_URL to a local server where the user may create databases.",
    );
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** `migrate: false` leaves the database empty (for tests that apply migrations step by step). */
export async function createTestDatabase(label: string, options: { migrate?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `shipshape_${label}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = adminUrl();
  url.pathname = `/${name}`;
  if (options.migrate !== false) await applyMigrations(url.toString());
  return {
    url: url.toString(),
    drop: () => withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
