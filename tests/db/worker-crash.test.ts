import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { makeWorkerUtils } from "graphile-worker";
import type pg from "pg";
import { createPool, prismaClientOver } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { releaseDeadWorkers } from "@/lib/jobs/liveness";
import { enqueueJob, jobNames, type WebhookPayload } from "@/lib/jobs/queue";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";
import { parseOutboundAllowance } from "@/lib/net/allowance";
import { createTestDatabase } from "../support/database";

// A worker killed outright (kill -9) in the middle of a webhook delivery: its job stays locked by
// a process that no longer exists. The other worker must notice the silence of its heartbeat and
// take the job again, within the staleness bound rather than graphile-worker's four hours, and
// not while the first worker still lives. Bounds are short here (a beat every 400 ms, dead after
// 3 s); the waits are on conditions, with deadlines for a busy machine.

const HEARTBEAT_MS = 400;
const STALE_AFTER_MS = 3_000;

let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
let client: PrismaClient;
let child: ChildProcess | undefined;
let survivor: RunningWorker | undefined;
const logs: string[] = [];

/** What the webhook answered, request by request ("hung": nothing). The first request hangs. */
const hooks: (number | "hung")[] = [];
const hungResponses: ServerResponse[] = [];
const receiver = createServer((request, response) => {
  request.resume();
  request.on("end", () => {
    if (hooks.length === 0) {
      hooks.push("hung");
      hungResponses.push(response);
    } else {
      hooks.push(200);
      response.writeHead(200).end("ok");
    }
  });
});

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

type JobRow = { id: string; lockedBy: string | null; lockedAt: Date | null; attempts: number; lastError: string | null };

async function webhookJob(): Promise<JobRow | null> {
  const rows = await client.$queryRaw<JobRow[]>`
    SELECT j.id::text AS id, j.locked_by AS "lockedBy", j.locked_at AS "lockedAt", j.attempts, j.last_error AS "lastError"
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = ${jobNames.webhook}`;
  return rows[0] ?? null;
}

async function heartbeats(): Promise<Map<string, Date>> {
  const rows = await client.$queryRaw<{ workerId: string; lastSeen: Date }[]>`SELECT worker_id AS "workerId", last_seen AS "lastSeen" FROM worker_heartbeats`;
  return new Map(rows.map((row) => [row.workerId, row.lastSeen]));
}

beforeAll(async () => {
  database = await createTestDatabase("worker_crash");
  pool = createPool(database.url, 3);
  client = prismaClientOver(pool);
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await survivor?.stop();
  for (const response of hungResponses) response.destroy();
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await client?.$disconnect();
  await pool?.end();
  await database?.drop();
});

it("a job locked by a worker that was killed is run by another worker once the dead one's heartbeat is stale", async () => {
  const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook/${randomUUID()}`;
  const project = await client.project.create({ data: { slug: `crash-${randomUUID()}`, name: "Crash test", webhookUrl: hookUrl }, select: { id: true } });
  const payload: WebhookPayload = {
    projectId: project.id,
    kind: "COMMENTED",
    text: "A comment",
    title: "A comment",
    body: "",
    link: "/projects/crash",
    itemId: null,
    recipients: [],
    occurredAt: new Date().toISOString(),
  };
  await client.$transaction((tx) => enqueueJob(tx, jobNames.webhook, payload));

  // The first worker: the server's worker in a process of its own, which takes the job and hangs
  // on the webhook (which would time out after 10 s).
  child = spawn(process.execPath, ["--import", "tsx", path.join("tests", "support", "worker-process.ts")], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      AUTH_SECRET: randomBytes(32).toString("base64url"),
      AUTH_URL: "https://shipshape.test",
      SHIPSHAPE_WORKER: "on",
      OUTBOUND_ALLOW_PRIVATE: "127.0.0.1/32",
      WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
      WORKER_STALE_AFTER_MS: String(STALE_AFTER_MS),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const exited = new Promise<void>((resolve) => child!.once("exit", () => resolve()));
  const deadWorkerId = await waitFor("the first worker to start", () => /^worker (\S+)$/m.exec(output)?.[1] ?? (child!.exitCode !== null ? Promise.reject(new Error(`worker exited: ${output}`)) : undefined), 60_000);
  await waitFor("the delivery in flight", () => (hooks.length > 0 ? true : undefined), 30_000);
  const locked = await webhookJob();
  expect(locked).toMatchObject({ lockedBy: deadWorkerId, attempts: 1 });

  // A second worker runs alongside with the same bounds. While the first one lives and beats, its
  // job stays its own, even once the lock is older than the staleness bound and the second worker
  // has looked for dead workers since.
  survivor = await startWorker({
    connectionString: database.url,
    delivery: { baseUrl: "https://shipshape.test", smtpUrl: undefined, smtpFrom: "Shipshape <noreply@shipshape.test>", outbound: { allowance: parseOutboundAllowance("127.0.0.1/32") } },
    concurrency: 2,
    pollInterval: 100,
    schedule: false,
    shutdownAbortMs: 300,
    liveness: { heartbeatMs: HEARTBEAT_MS, staleAfterMs: STALE_AFTER_MS },
    log: (level, message) => logs.push(`${level}: ${message}`),
  });
  const survivorId = survivor.workerId;
  await waitFor(
    "the second worker to look for dead workers after the lock outlived the bound",
    async () => {
      const beats = await heartbeats();
      const threshold = locked!.lockedAt!.getTime() + STALE_AFTER_MS + 2 * HEARTBEAT_MS;
      return (beats.get(survivorId)?.getTime() ?? 0) > threshold && (beats.get(deadWorkerId)?.getTime() ?? 0) > threshold ? true : undefined;
    },
    30_000,
  );
  expect(await webhookJob()).toMatchObject({ lockedBy: deadWorkerId, lastError: null });
  expect(hooks).toEqual(["hung"]);

  // kill -9: no shutdown, no release, the heartbeat simply stops.
  const killedAt = Date.now();
  child.kill("SIGKILL");
  await exited;

  await waitFor("the job to be delivered again and finished", async () => (hooks.includes(200) && (await webhookJob()) === null ? true : undefined), 60_000);
  const recoveredMs = Date.now() - killedAt;
  console.log(`job of the killed worker delivered again ${recoveredMs} ms after the kill (stale after ${STALE_AFTER_MS} ms)`);
  // Not before the bound ran out (counted from the last beat, up to one beat before the kill).
  expect(recoveredMs).toBeGreaterThanOrEqual(STALE_AFTER_MS - HEARTBEAT_MS - 200);
  expect(hooks).toEqual(["hung", 200]);
  expect((await heartbeats()).has(deadWorkerId)).toBe(false);
  expect(logs.some((line) => line.includes(deadWorkerId) && line.includes(locked!.id))).toBe(true);

  // A worker that stops gracefully removes its heartbeat (and so is never swept).
  await survivor.stop();
  survivor = undefined;
  expect((await heartbeats()).has(survivorId)).toBe(false);
});

it("releases locks held by an id without a heartbeat only once they are older than the bound, and never a live worker's", async () => {
  const addJob = async () =>
    (await client.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM graphile_worker.add_job(${jobNames.reminders}::text, '{}'::json, run_at => now() + interval '1 hour')`)[0]!.id;
  const [old, fresh, live] = [await addJob(), await addJob(), await addJob()];
  const tag = randomUUID().slice(0, 8);
  // An instance from before heartbeats, one that just took its job, and a live one with a long job.
  await client.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${`pool-old-${tag}`}, locked_at = now() - interval '1 hour' WHERE id = ${old}::bigint`;
  await client.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${`pool-fresh-${tag}`}, locked_at = now() WHERE id = ${fresh}::bigint`;
  await client.$executeRaw`UPDATE graphile_worker._private_jobs SET locked_by = ${`pool-live-${tag}`}, locked_at = now() - interval '1 hour' WHERE id = ${live}::bigint`;
  await client.$executeRaw`INSERT INTO worker_heartbeats (worker_id, last_seen) VALUES (${`pool-live-${tag}`}, now())`;

  const utils = await makeWorkerUtils({ pgPool: pool });
  try {
    const released = await releaseDeadWorkers(client, utils, STALE_AFTER_MS);
    expect(released.workerIds).toContain(`pool-old-${tag}`);
    expect(released.workerIds).not.toContain(`pool-fresh-${tag}`);
    expect(released.workerIds).not.toContain(`pool-live-${tag}`);
    expect(released.jobs.map((job) => job.id)).toContain(old);
  } finally {
    await utils.release();
  }
  const locks = await client.$queryRaw<{ id: string; lockedBy: string | null }[]>`
    SELECT id::text AS id, locked_by AS "lockedBy" FROM graphile_worker._private_jobs WHERE id = ANY(${[old, fresh, live]}::bigint[]) ORDER BY id`;
  expect(Object.fromEntries(locks.map((row) => [row.id, row.lockedBy]))).toEqual({ [old]: null, [fresh]: `pool-fresh-${tag}`, [live]: `pool-live-${tag}` });
  await client.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE id = ANY(${[old, fresh, live]}::bigint[])`;
  await client.$executeRaw`DELETE FROM worker_heartbeats WHERE worker_id = ${`pool-live-${tag}`}`;
});
