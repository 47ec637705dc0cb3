import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOutboundAllowance } from "@/lib/net/allowance";
import { outboundRequest, vetUrl } from "@/lib/net/http-request";
import type { ResolvedAddress } from "@/lib/net/outbound";

// Against real local servers. Linux routes all of 127.0.0.0/8 to loopback, so 127.0.0.2 is a
// second "machine" on the same port: the rebinding tests see which of the two a request reaches.

type Seen = { address: string; method: string; url: string; host: string | undefined; authorization?: string | undefined; body: string };

function listen(address: string, port: number, handle: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ server: Server; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      seen.push({ address, method: request.method ?? "", url: request.url ?? "", host: request.headers.host, authorization: request.headers.authorization, body: Buffer.concat(chunks).toString("utf8") });
      handle(request, response);
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve({ server, seen }));
  });
}

const close = (server: Server) => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
};

/** A resolver that gives `first` on its first call and `later` on every call after (a rebinding DNS server). */
function rebinding(first: string, later: string) {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    return [{ address: calls.length === 1 ? first : later, family: 4 }];
  };
  return { resolve, calls };
}

const BIG = "x".repeat(200 * 1024);
let vetted: Awaited<ReturnType<typeof listen>>;
let other: Awaited<ReturnType<typeof listen>>;
let port: number;
const hanging: ServerResponse[] = [];

function answer(request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "http://x");
  if (url.pathname === "/big") return void response.writeHead(200).end(BIG);
  if (url.pathname === "/hang") return void hanging.push(response);
  if (url.pathname === "/redirect") return void response.writeHead(302, { Location: url.searchParams.get("to") ?? "/" }).end();
  if (url.pathname === "/loop") return void response.writeHead(301, { Location: "/loop" }).end();
  response.writeHead(200, { "Content-Type": "text/plain" }).end(`hello from ${request.socket.localAddress}`);
}

beforeAll(async () => {
  vetted = await listen("127.0.0.2", 0, answer);
  port = (vetted.server.address() as AddressInfo).port;
  other = await listen("127.0.0.1", port, answer);
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await Promise.all([close(vetted.server), close(other.server)]);
});

const allow2 = parseOutboundAllowance("127.0.0.2/32");
const both = parseOutboundAllowance("127.0.0.1/32,127.0.0.2/32");
const TIMEOUT = 20_000;

describe("DNS rebinding", () => {
  it("connects to the address vetted at check time, never to what the name resolves to later", async () => {
    const dns = rebinding("127.0.0.2", "127.0.0.1");
    const response = await outboundRequest(`http://rebind.test:${port}/hook`, { method: "POST", body: "event", resolve: dns.resolve, allowance: allow2, timeoutMs: TIMEOUT });
    expect(response.status).toBe(200);
    expect(response.address).toBe("127.0.0.2");
    expect(dns.calls).toEqual(["rebind.test"]);
    expect(vetted.seen.filter((seen) => seen.url === "/hook")).toEqual([{ address: "127.0.0.2", method: "POST", url: "/hook", host: `rebind.test:${port}`, body: "event" }]);
    expect(other.seen.filter((seen) => seen.url === "/hook")).toEqual([]);
  });

  it("a target vetted earlier is used as it is, with no second resolution", async () => {
    const dns = rebinding("127.0.0.2", "127.0.0.1");
    const target = await vetUrl(`http://rebind.test:${port}/later`, { resolve: dns.resolve, allowance: allow2 });
    // Whatever the name resolves to now (127.0.0.1), the request goes to the vetted 127.0.0.2.
    expect((await dns.resolve("rebind.test"))[0]?.address).toBe("127.0.0.1");
    const response = await outboundRequest(target, { resolve: dns.resolve, allowance: allow2, timeoutMs: TIMEOUT });
    expect(response.address).toBe("127.0.0.2");
    expect(dns.calls).toHaveLength(2);
    expect(other.seen.filter((seen) => seen.url === "/later")).toEqual([]);
  });

  it("refuses a name whose first answer is refused, and sends nothing", async () => {
    const dns = rebinding("127.0.0.1", "127.0.0.2");
    await expect(outboundRequest(`http://rebind.test:${port}/refused`, { resolve: dns.resolve, allowance: allow2, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "refused" });
    expect(dns.calls).toEqual(["rebind.test"]);
    expect([...vetted.seen, ...other.seen].filter((seen) => seen.url === "/refused")).toEqual([]);
  });
});

describe("outboundRequest", () => {
  it("sends to an address literal with its Host header, and refuses one that is not allowed", async () => {
    const response = await outboundRequest(`http://127.0.0.2:${port}/literal`, { allowance: allow2, timeoutMs: TIMEOUT });
    expect(response.body.toString()).toBe("hello from 127.0.0.2");
    expect(vetted.seen.find((seen) => seen.url === "/literal")?.host).toBe(`127.0.0.2:${port}`);
    await expect(outboundRequest(`http://127.1:${port}/literal-refused`, { allowance: allow2, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "refused" });
    expect(other.seen.filter((seen) => seen.url === "/literal-refused")).toEqual([]);
  });

  it("does not follow redirects unless asked, and never for a POST", async () => {
    const to = `http://127.0.0.1:${port}/target`;
    const redirect = `http://127.0.0.2:${port}/redirect?to=${encodeURIComponent(to)}`;
    const unfollowed = await outboundRequest(redirect, { allowance: both, timeoutMs: TIMEOUT });
    expect(unfollowed.status).toBe(302);
    expect(unfollowed.headers.location).toBe(to);
    expect((await outboundRequest(redirect, { method: "POST", body: "{}", allowance: both, maxRedirects: 5, timeoutMs: TIMEOUT })).status).toBe(302);
    expect(other.seen.filter((seen) => seen.url === "/target")).toEqual([]);

    const followed = await outboundRequest(redirect, { headers: { Authorization: "Bearer s3cr3t" }, allowance: both, maxRedirects: 1, timeoutMs: TIMEOUT });
    expect(followed.status).toBe(200);
    expect(followed.url.href).toBe(to);
    expect(followed.redirects.map((url) => url.pathname)).toEqual(["/redirect"]);
    // The credentials went to the origin they were meant for, not to the one it redirected to.
    expect(vetted.seen.filter((seen) => seen.url.startsWith("/redirect")).at(-1)?.authorization).toBe("Bearer s3cr3t");
    expect(other.seen.filter((seen) => seen.url === "/target")).toMatchObject([{ authorization: undefined }]);
  });

  it("stops after maxRedirects, and vets every hop: a redirect to a refused target is refused", async () => {
    const loop = await outboundRequest(`http://127.0.0.2:${port}/loop`, { allowance: allow2, maxRedirects: 3, timeoutMs: TIMEOUT });
    expect(loop.status).toBe(301);
    expect(loop.redirects).toHaveLength(3);
    for (const to of [`http://127.0.0.1:${port}/internal`, "http://169.254.169.254/latest/meta-data/"]) {
      const redirect = `http://127.0.0.2:${port}/redirect?to=${encodeURIComponent(to)}`;
      await expect(outboundRequest(redirect, { allowance: allow2, maxRedirects: 5, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "refused" });
    }
    expect(other.seen.filter((seen) => seen.url === "/internal")).toEqual([]);
  });

  it("reads at most maxBodyBytes of the answer (64 KiB by default), or nothing", async () => {
    const url = `http://127.0.0.2:${port}/big`;
    const capped = await outboundRequest(url, { allowance: allow2, timeoutMs: TIMEOUT });
    expect(capped).toMatchObject({ status: 200, truncated: true });
    expect(capped.body.length).toBe(64 * 1024);
    const small = await outboundRequest(url, { allowance: allow2, maxBodyBytes: 10, timeoutMs: TIMEOUT });
    expect(small.body.toString()).toBe("x".repeat(10));
    const none = await outboundRequest(url, { allowance: allow2, maxBodyBytes: 0, timeoutMs: TIMEOUT });
    expect(none.body.length).toBe(0);
    const whole = await outboundRequest(url, { allowance: allow2, maxBodyBytes: BIG.length, timeoutMs: TIMEOUT });
    expect(whole).toMatchObject({ truncated: false });
    expect(whole.body.length).toBe(BIG.length);
  });

  it("gives up at the deadline, or when the caller aborts", async () => {
    const url = `http://127.0.0.2:${port}/hang`;
    await expect(outboundRequest(url, { allowance: allow2, timeoutMs: 300 })).rejects.toMatchObject({ failure: "timeout", message: "did not answer within 0.3 s" });
    const controller = new AbortController();
    const hungBefore = hanging.length;
    const pending = outboundRequest(url, { allowance: allow2, timeoutMs: TIMEOUT, signal: controller.signal });
    await waitFor(() => hanging.length > hungBefore);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ failure: "aborted" });
  });

  it("reports a closed port as failed, with its code", async () => {
    const closed = await listen("127.0.0.2", 0, answer);
    const closedPort = (closed.server.address() as AddressInfo).port;
    await close(closed.server);
    await expect(outboundRequest(`http://127.0.0.2:${closedPort}/`, { allowance: allow2, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "failed", code: "ECONNREFUSED", message: "could not be reached (ECONNREFUSED)" });
  });
});

describe("https", () => {
  const fixtures = path.join(import.meta.dirname, "fixtures");
  const cert = readFileSync(path.join(fixtures, "hooks-test-cert.pem"));
  const key = readFileSync(path.join(fixtures, "hooks-test-key.pem"));
  const servernames: string[] = [];
  const server = createHttpsServer(
    {
      cert,
      key,
      SNICallback: (servername, callback) => {
        servernames.push(servername);
        callback(null, undefined);
      },
    },
    (_request, response) => response.end("secure"),
  );
  server.on("tlsClientError", () => undefined);
  let httpsPort: number;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.2", resolve));
    httpsPort = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies the certificate against the host name it sends as SNI, though it connects to the vetted address", async () => {
    const resolve = async () => [{ address: "127.0.0.2", family: 4 as const }];
    // The certificate is self-signed for hooks.test: valid for the name, but no public CA vouches for it.
    await expect(outboundRequest(`https://hooks.test:${httpsPort}/`, { resolve, allowance: allow2, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "failed", code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
    await waitFor(() => servernames.length > 0 || undefined);
    expect(servernames[0]).toBe("hooks.test");
  });
});

async function waitFor(check: () => boolean | undefined, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
