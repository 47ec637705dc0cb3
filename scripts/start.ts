import { applyMigrations } from "@/lib/db/schema-engine";
import { EnvError, parseEnv } from "@/lib/env";
import { createPrismaClient, LONG_DATABASE_LIMITS } from "@/lib/db";
import { ensureBuiltInTemplates } from "@/lib/templates/mutations";
import { firstAdminNotice } from "@/lib/users/data";
import { buildIfNeeded, serve } from "./serve";

// Production start: refuse a bad configuration, apply pending migrations, then serve.
// Demo accounts are never created here; on a database without any account it says how to
// create the first admin.

try {
  const config = parseEnv(process.env);
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
  console.error(error instanceof EnvError ? error.message : `Start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
