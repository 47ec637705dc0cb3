import { randomBytes } from "node:crypto";
import { inject } from "vitest";

// lib/db.ts reads its configuration from the environment on first use.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
