import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient, db } from "@/lib/db";
import { checkDatabase } from "@/lib/health";

describe("checkDatabase", () => {
  const servers: net.Server[] = [];
  afterAll(() => servers.forEach((server) => server.close()));

  it("reports a reachable database as up", async () => {
    // A generous deadline: on a busy machine opening the first connection alone can take seconds,
    // and this case is about the answer, not the deadline (the last case is about that).
    expect(await checkDatabase(db, 30_000)).toBe(true);
  });

  it("reports a refused connection as down", async () => {
    const client = createPrismaClient("postgresql://postgres@127.0.0.1:1/none", 1);
    expect(await checkDatabase(client)).toBe(false);
  });

  it("gives up on a database that accepts connections but never answers, within the deadline", async () => {
    // A TCP server that swallows everything: the worst case, a hung server or a black hole.
    const server = net.createServer(() => {});
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as net.AddressInfo;
    const client = createPrismaClient(`postgresql://postgres@127.0.0.1:${port}/none`, 1);
    const started = performance.now();
    expect(await checkDatabase(client, 1_000)).toBe(false);
    // Bounded, not hanging: the deadline plus room for a busy machine's late timers.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
