// npm run db:migrate — applies pending prisma/migrations to DATABASE_URL, as `prisma migrate deploy` would.
import { applyMigrations } from "@/lib/db/schema-engine";

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("DATABASE_URL is not set: export the PostgreSQL URL to migrate, e.g. postgresql://user@host:5432/db");
  process.exit(1);
}

try {
  const { applied } = await applyMigrations(databaseUrl);
  if (applied.length === 0) console.log("Database is up to date.");
  for (const name of applied) console.log(`Applied migration ${name}`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
