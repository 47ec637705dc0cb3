import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { observePool } from "@/lib/metrics";

export type { Prisma } from "@/lib/generated/prisma/client";

/** A transaction client: what mutations receive so that change and audit share one transaction. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Every interactive transaction's limits, stated rather than left to Prisma's defaults (2 s to get
 * a connection, 5 s to finish), which a busy machine exceeds: a change waits up to 10 s for a
 * pooled connection and may take 30 s in all. Each statement is also bounded (DatabaseLimits).
 */
export const DEFAULT_TRANSACTION = { maxWait: 10_000, timeout: 30_000 };

/** For transactions that write a whole checklist (thousands of rows): run them on `longDb`. */
export const LONG_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

/**
 * How long a connection may wait for the database. A database that refuses fails at once; one
 * that hangs (a frozen host, a network path that drops packets) would otherwise hold each
 * request, and its pooled connection, for the whole outage. The server cancels a statement that
 * runs longer than `statementTimeoutMs` (the connection stays usable); `queryTimeoutMs`, a little
 * longer, is the client's own bound for a server that does not answer at all: the query fails
 * and its connection is dropped, so the pool opens fresh ones once the database is back.
 */
export type DatabaseLimits = {
  /** Opening a connection, and waiting for a free one in the pool. */
  connectTimeoutMs: number;
  /** Server side: the longest a statement may run. */
  statementTimeoutMs: number;
  /** Client side: the longest a query waits for its answer; more than statementTimeoutMs. */
  queryTimeoutMs: number;
};

/**
 * Requests: every statement they run takes milliseconds, so seconds mean the database is in
 * trouble. Wide enough for a busy 2-core machine, where one query can take a second or two.
 */
export const DEFAULT_DATABASE_LIMITS: DatabaseLimits = { connectTimeoutMs: 10_000, statementTimeoutMs: 10_000, queryTimeoutMs: 15_000 };

/**
 * Operations that legitimately run long statements, on `longDb`: whole-checklist transactions
 * (LONG_TRANSACTION), audit exports and the full audit verification (batches that may scan much of
 * the table when a filter is selective). Their bound is the transaction's own. (A `SET LOCAL
 * statement_timeout` on `db` would lift only the server's bound, not the client's.)
 */
export const LONG_DATABASE_LIMITS: DatabaseLimits = { connectTimeoutMs: 10_000, statementTimeoutMs: LONG_TRANSACTION.timeout, queryTimeoutMs: LONG_TRANSACTION.timeout + 5_000 };

// Explicit timeouts so that a stuck database or a forgotten transaction cannot hang a request
// or hold locks indefinitely.
export function createPool(connectionString: string, max: number, limits: DatabaseLimits = DEFAULT_DATABASE_LIMITS): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: limits.statementTimeoutMs,
    query_timeout: limits.queryTimeoutMs,
    lock_timeout: Math.min(5_000, limits.statementTimeoutMs),
    idle_in_transaction_session_timeout: 30_000,
    // Notices a peer that vanished (host down, connection cut) on an idle connection.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    application_name: "shipshape",
  });
  // Without a listener, an idle client's error (e.g. the server restarting) crashes the process.
  pool.on("error", (error) => log.warn({ ...errorFields(error), pool: "idle client" }, "database connection lost"));
  // Nor may a checked-out client's: its query fails anyway, and the pool drops the client.
  pool.on("connect", (client) => client.on("error", () => undefined));
  return pool;
}

/** The limits of the environment (DATABASE_*_TIMEOUT_MS). */
export function databaseLimitsFromEnv(): DatabaseLimits {
  const config = env();
  return { connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS, statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS, queryTimeoutMs: config.DATABASE_QUERY_TIMEOUT_MS };
}

/**
 * The one way to make a Prisma client (a lint rule forbids `new PrismaClient` elsewhere), so that
 * every client states its transaction limits. With `ownsPool`, $disconnect() also ends the pool.
 */
export function prismaClientOver(pool: pg.Pool, options: { ownsPool?: boolean } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: options.ownsPool ?? false }), transactionOptions: DEFAULT_TRANSACTION });
}

/** A client with a pool of its own, which $disconnect() ends (so that a script can exit). */
export function createPrismaClient(connectionString: string, max = 10, limits: DatabaseLimits = DEFAULT_DATABASE_LIMITS): PrismaClient {
  return prismaClientOver(createPool(connectionString, max, limits), { ownsPool: true });
}

const globalForDb = globalThis as unknown as { shipshapeDb?: PrismaClient; shipshapePool?: pg.Pool; shipshapeLongDb?: PrismaClient };

/** The application's connection pool, shared by Prisma and the rate limiter. */
export function getPool(): pg.Pool {
  if (!globalForDb.shipshapePool) {
    const config = env();
    globalForDb.shipshapePool = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX, databaseLimitsFromEnv());
    observePool("requests", globalForDb.shipshapePool);
  }
  return globalForDb.shipshapePool;
}

function getDb(): PrismaClient {
  globalForDb.shipshapeDb ??= prismaClientOver(getPool());
  return globalForDb.shipshapeDb;
}

function getLongDb(): PrismaClient {
  // A few connections of its own: long operations never take the requests' connections.
  if (!globalForDb.shipshapeLongDb) {
    const pool = createPool(env().DATABASE_URL, LONG_POOL_MAX, LONG_DATABASE_LIMITS);
    observePool("long", pool);
    globalForDb.shipshapeLongDb = prismaClientOver(pool, { ownsPool: true });
  }
  return globalForDb.shipshapeLongDb;
}
const LONG_POOL_MAX = 3;

function lazyClient(get: () => PrismaClient): PrismaClient {
  return new Proxy({} as PrismaClient, {
    get(_target, property) {
      const client = get();
      const value = Reflect.get(client, property, client) as unknown;
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
    },
  });
}

/** The application's Prisma client, created on first use (never at build time). */
export const db: PrismaClient = lazyClient(getDb);

/** The client for operations with long statements (LONG_DATABASE_LIMITS), created on first use. */
export const longDb: PrismaClient = lazyClient(getLongDb);

/** Closes the application's client and pool, so that a command-line process can exit. */
export async function closeDb(): Promise<void> {
  await globalForDb.shipshapeDb?.$disconnect();
  await globalForDb.shipshapePool?.end();
  await globalForDb.shipshapeLongDb?.$disconnect();
  globalForDb.shipshapeLongDb = undefined;
  globalForDb.shipshapeDb = undefined;
  globalForDb.shipshapePool = undefined;
}
