import { spawn } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

// `npm start` against a database that does not answer: the message names the database's host and
// port, and says what timed out (opening a connection, or a query on an open one), within the
// configured limits rather than after a fixed wait.

const servers: Server[] = [];
const sockets = new Set<Socket>();

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function listen(onConnection: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    onConnection(socket);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** Accepts connections and never says a word: a frozen host, a firewall that swallows packets. */
const silent = () => listen(() => undefined);

/** Completes PostgreSQL's start-up (authentication ok, ready for query), then ignores every query. */
const hangsAfterConnecting = () =>
  listen((socket) => {
    let greeted = false;
    socket.on("data", () => {
      if (greeted) return;
      greeted = true;
      const authenticationOk = Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0]);
      const readyForQuery = Buffer.from([0x5a, 0, 0, 0, 5, 0x49]);
      socket.write(Buffer.concat([authenticationOk, readyForQuery]));
    });
  });

async function start(port: number): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "start.ts")], {
    cwd: process.cwd(),
    env: {
      ...process.env,
      DATABASE_URL: `postgresql://shipshape:secret@127.0.0.1:${port}/shipshape`,
      AUTH_SECRET: "a".repeat(40),
      DATABASE_CONNECT_TIMEOUT_MS: "1000",
      DATABASE_STATEMENT_TIMEOUT_MS: "1000",
      DATABASE_QUERY_TIMEOUT_MS: "1500",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  return { code, stderr, ms: Date.now() - started };
}

describe("npm start against a database that does not answer", () => {
  it("names the database and says that connecting timed out", async () => {
    const port = await silent();
    const result = await start(port);
    console.log(`start-up against a silent database: exit ${result.code} after ${result.ms} ms: ${result.stderr.trim()}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Start failed: the database at 127.0.0.1:${port} did not answer: connecting timed out after 1 s (DATABASE_CONNECT_TIMEOUT_MS).`);
    expect(result.stderr).not.toContain("secret");
  });

  it("names the database and says that a query timed out on an open connection", async () => {
    const port = await hangsAfterConnecting();
    const result = await start(port);
    console.log(`start-up against a database that hangs after connecting: exit ${result.code} after ${result.ms} ms: ${result.stderr.trim()}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`Start failed: the database at 127.0.0.1:${port} accepted the connection but did not answer a query: it timed out after 1.5 s (DATABASE_QUERY_TIMEOUT_MS).`);
  });
});
