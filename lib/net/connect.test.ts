import { readFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import path from "node:path";
import { createServer as createTlsServer } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOutboundAllowance } from "@/lib/net/allowance";
import { outboundConnect } from "@/lib/net/connect";
import { vetHost, type ResolvedAddress } from "@/lib/net/outbound";

// Raw TCP and TLS through the guard, against local listeners on 127.0.0.2 (allowed) and
// 127.0.0.1 (not allowed) on one port, as in http-request.test.ts.

const allow2 = parseOutboundAllowance("127.0.0.2/32");
const TIMEOUT = 20_000;
const fixtures = path.join(import.meta.dirname, "fixtures");
const cert = readFileSync(path.join(fixtures, "hooks-test-cert.pem"));
const key = readFileSync(path.join(fixtures, "hooks-test-key.pem"));

function listen(server: Server, address: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, address, () => resolve((server.address() as AddressInfo).port));
  });
}

const accepted: Record<string, number> = { "127.0.0.1": 0, "127.0.0.2": 0 };
const count = (address: string) => (socket: Socket) => {
  accepted[address]! += 1;
  socket.end();
};
const vettedServer = createServer(count("127.0.0.2"));
const otherServer = createServer(count("127.0.0.1"));
const tlsServer = createTlsServer({ cert, key }, (socket) => socket.end("secure"));
tlsServer.on("tlsClientError", () => undefined);
let port: number;
let tlsPort: number;

beforeAll(async () => {
  port = await listen(vettedServer, "127.0.0.2");
  await listen(otherServer, "127.0.0.1", port);
  tlsPort = await listen(tlsServer, "127.0.0.2");
});

afterAll(async () => {
  await Promise.all([vettedServer, otherServer, tlsServer].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

/** hooks.test (the fixture certificate's name) and other.test both at 127.0.0.2. */
const local = async (): Promise<ResolvedAddress[]> => [{ address: "127.0.0.2", family: 4 }];

describe("outboundConnect over TCP", () => {
  it("connects to the address vetted once, however the name resolves afterwards", async () => {
    const calls: string[] = [];
    const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
      calls.push(hostname);
      return [{ address: calls.length === 1 ? "127.0.0.2" : "127.0.0.1", family: 4 }];
    };
    const connection = await outboundConnect({ host: "db.rebind.test", port }, { resolve, allowance: allow2, timeoutMs: TIMEOUT });
    expect(connection.address).toBe("127.0.0.2");
    connection.socket.destroy();
    const target = await vetHost("db.rebind.test", port, { resolve: local, allowance: allow2 });
    const again = await outboundConnect(target, { resolve, allowance: allow2, timeoutMs: TIMEOUT });
    expect(again.address).toBe("127.0.0.2");
    again.socket.destroy();
    expect(calls).toEqual(["db.rebind.test"]);
    expect(accepted["127.0.0.1"]).toBe(0);
  });

  it("refuses every spelling of a target that is not allowed, before connecting", async () => {
    for (const host of ["127.0.0.1", "127.1", "2130706433", "0x7f.1", "[::1]", "::1", "[::ffff:127.0.0.1]"]) {
      await expect(outboundConnect({ host, port }, { allowance: allow2, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "refused" });
    }
    await expect(outboundConnect({ host: "169.254.169.254", port: 80 }, { allowPrivate: true, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "refused", message: "169.254.169.254 is a cloud metadata address: never allowed" });
    expect(accepted["127.0.0.1"]).toBe(0);
  });
});

describe("outboundConnect over TLS", () => {
  it("verifies the certificate against the host name, sent as SNI", async () => {
    const connection = await outboundConnect({ host: "hooks.test", port: tlsPort }, { resolve: local, allowance: allow2, tls: { ca: cert }, timeoutMs: TIMEOUT });
    expect(connection.socket.authorized).toBe(true);
    expect(connection.address).toBe("127.0.0.2");
    connection.socket.destroy();
    await expect(outboundConnect({ host: "other.test", port: tlsPort }, { resolve: local, allowance: allow2, tls: { ca: cert }, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "failed", code: "ERR_TLS_CERT_ALTNAME_INVALID" });
    await expect(outboundConnect({ host: "hooks.test", port: tlsPort }, { resolve: local, allowance: allow2, tls: true, timeoutMs: TIMEOUT })).rejects.toMatchObject({ failure: "failed", code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
  });

  it("with rejectUnauthorized: false, hands over the socket so a check can report what is wrong", async () => {
    const connection = await outboundConnect({ host: "hooks.test", port: tlsPort }, { resolve: local, allowance: allow2, tls: { rejectUnauthorized: false }, timeoutMs: TIMEOUT });
    expect(connection.socket.authorized).toBe(false);
    expect(String(connection.socket.authorizationError)).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    expect(connection.socket.getPeerCertificate().subjectaltname).toBe("DNS:hooks.test");
    connection.socket.destroy();
  });
});
