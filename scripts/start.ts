import { applyMigrations } from "@/lib/db/schema-engine";
import { EnvError, parseEnv } from "@/lib/env";
import { createPrismaClient, LONG_DATABASE_LIMITS } from "@/lib/db";
import { ensureBuiltInTemplates } from "@/lib/templates/mutations";
import { firstAdminNotice } from "@/lib/users/data";
import { isDatabaseTimeout } from "@/lib/db-errors";
import { databaseAddress, probeDatabase } from "@/lib/health";
import { buildIfNeeded, serve } from "./serve";

/** A start-up refusal whose message is complete as it is. */
class StartError extends Error {}

// Production start: refuse a bad configuration, apply pending migrations, then serve.
// Demo accounts are never created here; on a database without any account it says how to
// create the first admin.

let databaseUrl: string | undefined;
try {
  const config = parseEnv(process.env);
  databaseUrl = config.DATABASE_URL;
  // First one connection and one query under the configured limits, so that a database that is
  // down or silent is named, with what timed out, rather than reported as a bare "timeout expired".
  const probe = await probeDatabase(config.DATABASE_URL, { connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS, queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS });
  if (!probe.ok) throw new StartError(probe.message);
  const { applied } = await applyMigrations(config.DATABASE_URL);
  console.log(applied.length ? `Applied migrations: ${applied.join(", ")}` : "Database schema is up to date.");
  // Loading the built-in templates writes whole checklists: the limits of long operations.
  const db = createPrismaClient(config.DATABASE_URL, 2, LONG_DATABASE_LIMITS);
  const loaded = await ensureBuiltInTemplates(db);
  // Once per start, before serving: nobody can sign in until someone runs this.
  const notice = await firstAdminNotice(db);
  await db.$disconnect();
  if (loaded) console.log(`Loaded ${loaded} built-in templates.`);
  if (notice) console.log(notice);
  await buildIfNeeded({ ...process.env, NODE_ENV: "production" });
  await serve({ ...process.env, NODE_ENV: "production" });
} catch (error) {
  if (error instanceof EnvError) console.error(error.message);
  else if (error instanceof StartError) console.error(`Start failed: ${error.message}`);
  else {
    const message = error instanceof Error ? error.message : String(error);
    // Past the probe, a database error still says which database it came from.
    console.error(`Start failed: ${message}${databaseUrl && isDatabaseTimeout(error) ? ` (the database at ${databaseAddress(databaseUrl)} did not answer in time)` : ""}`);
  }
  process.exit(1);
}
