import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { E2E_PORT } from "../playwright.config";
import { serverScript } from "../scripts/serve";
import { expect, test } from "./support/fixtures";

// Overload degrades gracefully: an instance with room for two requests and two waiting, sent a
// burst of sixty pages at once, serves some, turns the rest away at once with 503 and
// Retry-After (not a queue of seconds), and serves normally again once the burst is over. Its
// own instance (production build, the e2e database) so the small limits touch no other test.

const PORT = E2E_PORT + 20;
const BURST = 60;

let server: ChildProcess | null = null;

async function healthy(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no healthy answer from ${url}`);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  server = spawn(process.execPath, ["--import", "tsx", serverScript], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(PORT),
      DATABASE_URL: process.env.E2E_DATABASE_URL,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      AUTH_URL: `http://localhost:${PORT}`,
      MAX_CONCURRENT_REQUESTS: "2",
      MAX_QUEUED_REQUESTS: "2",
      MAX_QUEUE_WAIT_MS: "1000",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await healthy(`http://localhost:${PORT}/api/health`, Date.now() + 150_000);
});

test.afterAll(async () => {
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server?.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
});

test("a burst past the instance's limits is served in part and refused at once with 503 and Retry-After, then the instance recovers", async () => {
  const url = `http://localhost:${PORT}/signin`;
  const answers = await Promise.all(
    Array.from({ length: BURST }, async () => {
      const started = performance.now();
      const response = await fetch(url, { redirect: "manual" });
      const body = await response.text();
      return { status: response.status, retryAfter: response.headers.get("retry-after"), body, ms: performance.now() - started };
    }),
  );
  const served = answers.filter((answer) => answer.status === 200);
  const refused = answers.filter((answer) => answer.status === 503);
  // Every request got an answer, and each was either served or turned away: nothing else.
  expect(served.length + refused.length).toBe(BURST);
  expect(served.length).toBeGreaterThanOrEqual(2);
  // At most two in flight and two waiting when the burst arrives: most are refused.
  expect(refused.length).toBeGreaterThanOrEqual(BURST / 2);
  for (const answer of refused) {
    expect(answer.retryAfter).toBe("2");
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "UNAVAILABLE" } });
  }
  // Refusals are quick compared with the served pages: the queue does not grow into a tail.
  const fastestServed = Math.min(...served.map((answer) => answer.ms));
  const refusedAtOnce = refused.filter((answer) => answer.ms <= fastestServed + 1_000);
  expect(refusedAtOnce.length).toBeGreaterThanOrEqual(BURST / 2);

  // Once the burst is over, requests one at a time are all served.
  for (let index = 0; index < 5; index += 1) {
    const response = await fetch(url, { redirect: "manual" });
    expect(response.status).toBe(200);
  }
});
