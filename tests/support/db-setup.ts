import { randomBytes } from "node:crypto";
import { inject } from "vitest";

// lib/db.ts reads its configuration from the environment on first use.
process.env.DATABASE_URL = inject("databaseUrl");
// The services log every action and route at info; the tests read outcomes, not those lines.
process.env.LOG_LEVEL ??= "warn";
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
