import pg from "pg";
import { db } from "@/lib/db";
import type { DatabaseFigures } from "@/lib/metrics";

type Pingable = { $queryRaw: (query: TemplateStringsArray) => Promise<unknown> };

/** Whether the database answers within the deadline; never hangs longer than that. */
export async function checkDatabase(client: Pingable = db, deadlineMs = 2_500): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deadlineMs);
  });
  const query = client.$queryRaw`SELECT 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

type Queryable = { $queryRaw: <T>(query: TemplateStringsArray) => Promise<T> };

/**
 * The operator's figures for /metrics: the job queue (graphile-worker's own table) and the audit
 * chain's length (its head row: one read, never a count of the events). Counting the jobs scans
 * the queue, which stays small unless deliveries back up: exactly when the figure matters.
 */
export async function readDatabaseFigures(client: Queryable = db): Promise<DatabaseFigures> {
  const [jobs] = await client.$queryRaw<
    { ready: bigint; running: bigint; scheduled: bigint; failed: bigint; oldest_ready_age: number | null }[]
  >`SELECT count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= now()) AS ready,
           count(*) FILTER (WHERE locked_at IS NOT NULL AND attempts < max_attempts) AS running,
           count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at > now()) AS scheduled,
           count(*) FILTER (WHERE attempts >= max_attempts) AS failed,
           extract(epoch FROM now() - min(run_at) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= now()))::float8 AS oldest_ready_age
      FROM graphile_worker._private_jobs`;
  const [head] = await client.$queryRaw<{ seq: bigint }[]>`SELECT seq FROM audit_chain_head WHERE id = 1`;
  return {
    jobsReady: Number(jobs?.ready ?? 0),
    jobsRunning: Number(jobs?.running ?? 0),
    jobsScheduled: Number(jobs?.scheduled ?? 0),
    jobsFailed: Number(jobs?.failed ?? 0),
    oldestReadyJobAgeSeconds: Math.max(0, jobs?.oldest_ready_age ?? 0),
    auditChainLength: Number(head?.seq ?? 0),
  };
}

/** Where a database is, for messages: host and port from its URL, never the credentials. */
export function databaseAddress(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    const host = url.hostname || url.searchParams.get("host") || "localhost";
    return `${host}:${url.port || "5432"}`;
  } catch {
    return "(unparsable DATABASE_URL)";
  }
}

export type DatabaseProbe = { ok: true } | { ok: false; message: string };

/**
 * One connection and one query against the database, each within its limit, so that start-up can
 * say what is wrong in words: which database, and whether it refused, could not be found, never
 * let a connection open, or opened one and then did not answer a query.
 */
export async function probeDatabase(databaseUrl: string, limits: { connectTimeoutMs: number; queryTimeoutMs: number }): Promise<DatabaseProbe> {
  const where = `the database at ${databaseAddress(databaseUrl)}`;
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: limits.connectTimeoutMs, query_timeout: limits.queryTimeoutMs, application_name: "shipshape-start" });
  client.on("error", () => undefined);
  try {
    try {
      await client.connect();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      if (code === "ECONNREFUSED") return { ok: false, message: `${where} refused the connection: is PostgreSQL running there?` };
      if (code === "ENOTFOUND" || code === "EAI_AGAIN") return { ok: false, message: `${where}: the host name does not resolve.` };
      if (/timeout|terminated/i.test(message)) return { ok: false, message: `${where} did not answer: connecting timed out after ${seconds(limits.connectTimeoutMs)} (DATABASE_CONNECT_TIMEOUT_MS).` };
      return { ok: false, message: `${where} refused the connection: ${message.split("\n", 1)[0]}` };
    }
    try {
      await client.query("SELECT 1");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (/timeout/i.test(message)) return { ok: false, message: `${where} accepted the connection but did not answer a query: it timed out after ${seconds(limits.queryTimeoutMs)} (DATABASE_QUERY_TIMEOUT_MS).` };
      return { ok: false, message: `${where} refused a query: ${message.split("\n", 1)[0]}` };
    }
    return { ok: true };
  } finally {
    // A connection to a database that hangs would wait for its own end too: do not await it.
    void client.end().catch(() => undefined);
  }
}
