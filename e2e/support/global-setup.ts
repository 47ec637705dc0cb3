import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createPrismaClient } from "@/lib/db";
import { seedDemoData } from "@/lib/demo/seed";
import { createTestDatabase } from "../../tests/support/database";
import { E2E_PORT } from "../../playwright.config";
import { serverScript } from "../../scripts/serve";

// The end-to-end run gets its own fresh database with the demo data, and its own production
// server (scripts/server.ts, what `npm start` runs, on the last build) pointed at it.

async function waitForHealth(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The app did not become healthy at ${url} within ${timeoutMs / 1000}s.`);
}

export default async function globalSetup() {
  if (!existsSync(path.join(process.cwd(), ".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `npm run build` first (`npm test` does).");
  }
  const database = await createTestDatabase("e2e");
  const db = createPrismaClient(database.url, 2);
  await seedDemoData(db);
  await db.$disconnect();

  process.env.E2E_DATABASE_URL = database.url;
  const server = spawn(process.execPath, ["--import", "tsx", serverScript], {
    env: { ...process.env, NODE_ENV: "production", PORT: String(E2E_PORT), DATABASE_URL: database.url, AUTH_SECRET: randomBytes(32).toString("base64url"), AUTH_URL: "" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  await waitForHealth(`http://localhost:${E2E_PORT}/api/health`, 60_000);

  return async () => {
    server.kill("SIGTERM");
    await new Promise((resolve) => server.once("exit", resolve));
    await database.drop();
  };
}
