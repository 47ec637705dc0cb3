import { defineConfig } from "prisma/config";

// The CLI reads this file; the app connects through lib/db.ts with the pg driver adapter.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/shipshape" },
});
