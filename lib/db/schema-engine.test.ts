// Guards the migration history without a database: every change to prisma/schema.prisma must
// come with a migration (npm run db:migration -- <name>), which saves the schema it was made
// from next to its SQL. The newest copy is the "before" of the next migration, so it must
// match the schema in use.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrationsDir, schemaPath } from "./schema-engine";

const folders = readdirSync(migrationsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort((a, b) => a.localeCompare(b));

describe("prisma/migrations", () => {
  it("has at least one migration", () => {
    expect(folders.length).toBeGreaterThan(0);
  });

  it.each(folders)("%s has a migration.sql", (folder) => {
    expect(existsSync(path.join(migrationsDir, folder, "migration.sql"))).toBe(true);
  });

  it("has a copy of prisma/schema.prisma equal to the current one in the newest migration", () => {
    const newest = folders.at(-1) ?? "(none)";
    const copy = path.join(migrationsDir, newest, "schema.prisma");
    expect(existsSync(copy), `${copy} is missing`).toBe(true);
    expect(
      readFileSync(schemaPath, "utf8"),
      `prisma/schema.prisma changed since migration ${newest}: run npm run db:migration -- <name> (with --empty if only comments changed)`,
    ).toBe(readFileSync(copy, "utf8"));
  });
});
