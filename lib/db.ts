import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";

export type { Prisma } from "@/lib/generated/prisma/client";

/** A transaction client: what mutations receive so that change and audit share one transaction. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

/**
 * Every interactive transaction's limits, stated rather than left to Prisma's defaults (2 s to get
 * a connection, 5 s to finish), which a busy machine exceeds: a change waits up to 10 s for a
 * pooled connection and may take 30 s in all. Each statement is also bounded by the server
 * (statement_timeout below).
 */
export const DEFAULT_TRANSACTION = { maxWait: 10_000, timeout: 30_000 };

/** For transactions that write a whole checklist (thousands of rows). */
export const LONG_TRANSACTION = { timeout: 120_000, maxWait: 10_000 };

// Explicit timeouts so that a stuck database or a forgotten transaction cannot hang a request
// or hold locks indefinitely.
export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 15_000,
    lock_timeout: 5_000,
    idle_in_transaction_session_timeout: 30_000,
    application_name: "shipshape",
  });
  // Without a listener, an idle client's error (e.g. the server restarting) crashes the process.
  pool.on("error", (error) => console.error("[db] idle client error:", error.message));
  return pool;
}

/**
 * The one way to make a Prisma client (a lint rule forbids `new PrismaClient` elsewhere), so that
 * every client states its transaction limits. With `ownsPool`, $disconnect() also ends the pool.
 */
export function prismaClientOver(pool: pg.Pool, options: { ownsPool?: boolean } = {}): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: options.ownsPool ?? false }), transactionOptions: DEFAULT_TRANSACTION });
}

/** A client with a pool of its own, which $disconnect() ends (so that a script can exit). */
export function createPrismaClient(connectionString: string, max = 10): PrismaClient {
  return prismaClientOver(createPool(connectionString, max), { ownsPool: true });
}

const globalForDb = globalThis as unknown as { shipshapeDb?: PrismaClient; shipshapePool?: pg.Pool };

/** The application's connection pool, shared by Prisma and the rate limiter. */
export function getPool(): pg.Pool {
  if (!globalForDb.shipshapePool) {
    const config = env();
    globalForDb.shipshapePool = createPool(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  }
  return globalForDb.shipshapePool;
}

function getDb(): PrismaClient {
  globalForDb.shipshapeDb ??= prismaClientOver(getPool());
  return globalForDb.shipshapeDb;
}

/** The application's Prisma client, created on first use (never at build time). */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDb();
    const value = Reflect.get(client, property, client) as unknown;
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});

/** Closes the application's client and pool, so that a command-line process can exit. */
export async function closeDb(): Promise<void> {
  await globalForDb.shipshapeDb?.$disconnect();
  await globalForDb.shipshapePool?.end();
  globalForDb.shipshapeDb = undefined;
  globalForDb.shipshapePool = undefined;
}
