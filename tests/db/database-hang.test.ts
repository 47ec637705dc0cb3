import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createPool, DEFAULT_DATABASE_LIMITS, prismaClientOver } from "@/lib/db";
import { isDatabaseTimeout } from "@/lib/db-errors";
import { toAppError, toPublicError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// A database that hangs rather than refuses: between the app's client and PostgreSQL sits a TCP
// forwarder of the test's own, which can stop passing bytes while keeping every socket open (as a
// frozen host or a black-holed network path would). A query must then fail within the client's
// bound with the error the app answers 503 to, and the pool must serve again once bytes flow.
// The client is made by lib/db.ts's factory with the limits requests run under.

const LIMITS = DEFAULT_DATABASE_LIMITS;
/** What "within the bound" allows on a busy machine, beyond the bound itself. */
const SLACK_MS = 4_000;

class HangingProxy {
  readonly sockets = new Set<Socket>();
  private hung = false;
  private readonly server: Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((downstream) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [downstream, upstream]) {
        this.sockets.add(socket);
        socket.on("error", () => undefined);
        socket.on("close", () => this.sockets.delete(socket));
      }
      downstream.pipe(upstream);
      upstream.pipe(downstream);
      // After pipe(), which starts the flow.
      if (this.hung) for (const socket of [downstream, upstream]) socket.pause();
      downstream.on("close", () => upstream.destroy());
      upstream.on("close", () => downstream.destroy());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as AddressInfo).port;
  }

  /** Stops reading from every socket, old and new: nothing is forwarded, nothing is closed. */
  hang(): void {
    this.hung = true;
    for (const socket of this.sockets) socket.pause();
  }

  resume(): void {
    this.hung = false;
    for (const socket of this.sockets) socket.resume();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let proxy: HangingProxy;
let pool: pg.Pool;
let client: PrismaClient;

async function timed<T>(run: () => Promise<T>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now();
  try {
    await run();
  } catch (error) {
    return { error, ms: Date.now() - started };
  }
  throw new Error("expected the database call to fail while the database hangs");
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function expectAnswered503(error: unknown) {
  expect(isDatabaseTimeout(error), `not recognised as a database timeout: ${String(error)}`).toBe(true);
  const appError = toAppError(error);
  expect(appError).toMatchObject({ code: "UNAVAILABLE", status: 503, retryAfterSeconds: 5 });
  expect(toPublicError(error)).toEqual({ code: "UNAVAILABLE", message: "The database did not answer in time; try again shortly." });
}

beforeAll(async () => {
  const target = new URL(process.env.DATABASE_URL!);
  proxy = new HangingProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const port = await proxy.listen();
  const viaProxy = new URL(target);
  viaProxy.host = `127.0.0.1:${port}`;
  pool = createPool(viaProxy.toString(), 2);
  client = prismaClientOver(pool, { ownsPool: true });
});

afterAll(async () => {
  proxy?.resume();
  await client?.$disconnect();
  await proxy?.close();
});

describe("a database that hangs", () => {
  it("fails a query on an open connection within the client's bound, and a transaction too; the pool serves again once the database answers", async () => {
    // Both pooled connections open and working.
    await Promise.all([client.$queryRaw`SELECT pg_sleep(0.2)::text`, client.$queryRaw`SELECT pg_sleep(0.2)::text`]);
    expect(proxy.sockets.size).toBe(4);

    proxy.hang();
    const [query, transaction] = await Promise.all([
      timed(() => client.$queryRaw`SELECT 1`),
      timed(() => client.$transaction(async (tx) => tx.$queryRaw`SELECT 1`)),
    ]);
    console.log(`while hung: a query failed after ${query.ms} ms, a transaction after ${transaction.ms} ms (query bound ${LIMITS.queryTimeoutMs} ms)`);
    for (const failure of [query, transaction]) {
      expectAnswered503(failure.error);
      expect(failure.ms).toBeLessThan(LIMITS.queryTimeoutMs + SLACK_MS);
    }
    // Neither connection stays in the pool waiting for an answer that may never come.
    await waitFor("the timed-out connections to leave the pool", async () => pool.totalCount === 0, 10_000);

    // A request arriving now needs a new connection: it cannot get one in time either.
    const fresh = await timed(() => client.$queryRaw`SELECT 1`);
    console.log(`while hung: a query needing a new connection failed after ${fresh.ms} ms (connect bound ${LIMITS.connectTimeoutMs} ms)`);
    expectAnswered503(fresh.error);
    expect(fresh.ms).toBeLessThan(LIMITS.queryTimeoutMs + SLACK_MS);

    proxy.resume();
    const resumedAt = Date.now();
    await waitFor("the pool to serve queries again", async () => (await client.$queryRaw<{ one: number }[]>`SELECT 1 AS one`)[0]?.one === 1, 30_000);
    console.log(`after the database answered again: served within ${Date.now() - resumedAt} ms`);
    // Both connections of the pool work, in a transaction as well.
    const results = await Promise.all([client.$queryRaw<{ n: number }[]>`SELECT 1 AS n`, client.$transaction(async (tx) => tx.$queryRaw<{ n: number }[]>`SELECT 2 AS n`)]);
    expect(results.map((rows) => rows[0]?.n)).toEqual([1, 2]);
  });
});
