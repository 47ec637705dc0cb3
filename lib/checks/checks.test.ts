import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createTcpServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckRefused, runCheck, type CheckSpec } from "@/lib/checks/run";
import { parseCheckArgs, runCheckCli } from "../../scripts/cli-check";

// Every kind of check against real servers on loopback: HTTPS with certificates made here by
// openssl (valid under a test CA; expired; for another host; self-signed; expiring in 5 days),
// HTTP with and without the security headers, one too slow to answer, and a closed port.

const dir = mkdtempSync(path.join(tmpdir(), "checks-"));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
const stamp = (date: Date) => `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
const DAY = 86_400_000;

/** A leaf certificate signed by the test CA (or self-signed), for `names`, valid between the two dates. */
function issue(name: string, options: { names: string[]; from: Date; to: Date; selfSigned?: boolean }): { cert: string; key: string } {
  const san = options.names.map((entry) => (/^\d/.test(entry) ? `IP:${entry}` : `DNS:${entry}`)).join(",");
  openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file(`${name}.key`), "-out", file(`${name}.csr`), "-subj", `/CN=${options.names[0]}`, "-addext", `subjectAltName=${san}`);
  const signer = options.selfSigned ? ["-selfsign", "-keyfile", file(`${name}.key`)] : ["-cert", file("ca.pem"), "-keyfile", file("ca.key")];
  openssl("ca", "-config", file("ca.cnf"), "-batch", "-notext", "-in", file(`${name}.csr`), ...signer, "-startdate", stamp(options.from), "-enddate", stamp(options.to), "-out", file(`${name}.pem`));
  return { cert: readFileSync(file(`${name}.pem`), "utf8"), key: readFileSync(file(`${name}.key`), "utf8") };
}

const servers: (Server | HttpServer)[] = [];
function listen<S extends Server | HttpServer>(server: S): Promise<number> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

const ports: Record<string, number> = {};
let ca = "";
const now = new Date();

beforeAll(async () => {
  writeFileSync(file("index.txt"), "");
  writeFileSync(file("serial"), "01\n");
  writeFileSync(
    file("ca.cnf"),
    ["[ca]", "default_ca = ca_default", "[ca_default]", `database = ${file("index.txt")}`, `new_certs_dir = ${dir}`, `serial = ${file("serial")}`, "default_md = sha256", "policy = any", "copy_extensions = copy", "unique_subject = no", "[any]", "commonName = supplied"].join("\n"),
  );
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "30", "-subj", "/CN=Shipshape Test CA");
  ca = readFileSync(file("ca.pem"), "utf8");
  const year = { from: new Date(now.getTime() - DAY), to: new Date(now.getTime() + 365 * DAY) };
  const certificates = {
    valid: issue("valid", { names: ["localhost", "127.0.0.1"], ...year }),
    expired: issue("expired", { names: ["localhost", "127.0.0.1"], from: new Date(now.getTime() - 60 * DAY), to: new Date(now.getTime() - 2 * DAY) }),
    otherHost: issue("other", { names: ["shipshape.example.org"], ...year }),
    selfSigned: issue("self", { names: ["localhost", "127.0.0.1"], ...year, selfSigned: true }),
    expiring: issue("expiring", { names: ["localhost", "127.0.0.1"], from: new Date(now.getTime() - DAY), to: new Date(now.getTime() + 5 * DAY + 3_600_000) }),
  };
  for (const [name, certificate] of Object.entries(certificates)) {
    ports[name] = await listen(createHttpsServer({ ...certificate, minVersion: "TLSv1.2" }, (_request, response) => response.end("ok")));
  }
  ports.plain = await listen(
    createHttpServer((request, response) => {
      if (request.url === "/health") return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok", db: { up: true } }));
      if (request.url === "/secure") {
        return void response
          .writeHead(200, {
            "strict-transport-security": "max-age=31536000; includeSubDomains",
            "content-security-policy": "default-src 'self'; frame-ancestors 'none'",
            "x-content-type-options": "nosniff",
            "referrer-policy": "strict-origin-when-cross-origin",
          })
          .end("secure");
      }
      response.writeHead(request.url === "/missing" ? 404 : 200).end("plain page");
    }),
  );
  ports.slow = await listen(createHttpServer(() => undefined));
  const closed = createTcpServer();
  ports.closed = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
  servers.splice(servers.indexOf(closed), 1);
});

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

const local = { allowPrivate: true };
const tls = (port: number, extra: Partial<Extract<CheckSpec, { kind: "tls" }>> = {}): CheckSpec => ({ kind: "tls", host: "localhost", port, minDaysLeft: 14, timeoutMs: 10_000, ca, ...extra });

describe("tls", () => {
  it("passes a valid certificate under the configured CA, with the facts an auditor reads", async () => {
    const result = await runCheck(tls(ports.valid!), local);
    expect(result.reasons).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.facts).toMatchObject({ issuer: "Shipshape Test CA", subject: "localhost", hostnameMatches: true, trusted: true });
    expect(result.facts.protocol).toMatch(/^TLSv1\.[23]$/);
    expect(result.facts.daysLeft).toBeGreaterThanOrEqual(363);
  });

  it.each([
    ["expired", "expired", /the certificate expired on/],
    ["for another host", "otherHost", /not for localhost/],
    ["self-signed", "selfSigned", /does not chain to a trusted root/],
    ["expiring in 5 days", "expiring", /expires in 5 days, fewer than 14/],
  ])("fails a certificate %s, saying why", async (_what, name, reason) => {
    const result = await runCheck(tls(ports[name]!), local);
    expect(result.ok).toBe(false);
    expect(result.reasons.join(" ")).toMatch(reason);
  });

  it("without the CA, a certificate of an unknown issuer does not chain", async () => {
    const result = await runCheck(tls(ports.valid!, { ca: undefined }), local);
    expect(result.ok).toBe(false);
    expect(result.facts.trusted).toBe(false);
  });
});

describe("http and headers", () => {
  it("checks the status, a body substring and a JSON pointer", async () => {
    const base = `http://127.0.0.1:${ports.plain}`;
    expect(await runCheck({ kind: "http", url: `${base}/health`, expectStatus: 200, jsonPointer: "/db/up", equals: "true", timeoutMs: 10_000 }, local)).toMatchObject({ ok: true, facts: { status: 200, pointerValue: true } });
    const wrong = await runCheck({ kind: "http", url: `${base}/missing`, expectStatus: 200, bodyContains: "welcome", timeoutMs: 10_000 }, local);
    expect(wrong.ok).toBe(false);
    expect(wrong.reasons).toEqual(["answered 404, expected 200", "the body does not contain “welcome”"]);
  });

  it("reports each security header separately", async () => {
    const spec = { kind: "headers" as const, hstsMinMaxAge: 31_536_000, require: ["hsts", "csp", "nosniff", "frame", "referrer"] as const, timeoutMs: 10_000 };
    const secure = await runCheck({ ...spec, url: `http://127.0.0.1:${ports.plain}/secure` }, local);
    expect(secure.ok).toBe(true);
    expect(secure.facts.headers).toMatchObject({ hsts: { ok: true }, csp: { ok: true }, nosniff: { ok: true, value: "nosniff" }, frame: { ok: true }, referrer: { ok: true } });
    const bare = await runCheck({ ...spec, url: `http://127.0.0.1:${ports.plain}/` }, local);
    expect(bare.ok).toBe(false);
    expect(bare.reasons).toHaveLength(5);
    expect(Object.values(bare.facts.headers as Record<string, { ok: boolean }>).every((header) => !header.ok)).toBe(true);
  });

  it("a server slower than the timeout fails in about the timeout", async () => {
    const started = performance.now();
    const result = await runCheck({ kind: "http", url: `http://127.0.0.1:${ports.slow}/`, expectStatus: 200, timeoutMs: 500 }, local);
    expect(result.ok).toBe(false);
    expect(result.reasons[0]).toMatch(/no answer in time/);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe("tcp", () => {
  it("tells an open port from a closed one, either way round", async () => {
    expect(await runCheck({ kind: "tcp", host: "127.0.0.1", port: ports.plain!, expect: "open", timeoutMs: 5_000 }, local)).toMatchObject({ ok: true, facts: { open: true } });
    expect(await runCheck({ kind: "tcp", host: "127.0.0.1", port: ports.closed!, expect: "closed", timeoutMs: 5_000 }, local)).toMatchObject({ ok: true, facts: { open: false } });
    const expectedOpen = await runCheck({ kind: "tcp", host: "127.0.0.1", port: ports.closed!, expect: "open", timeoutMs: 5_000 }, local);
    expect(expectedOpen.ok).toBe(false);
  });
});

describe("the outbound guard", () => {
  it("refuses loopback unless allowed, and link-local metadata always", async () => {
    await expect(runCheck({ kind: "tcp", host: "127.0.0.1", port: ports.plain!, expect: "open", timeoutMs: 5_000 })).rejects.toBeInstanceOf(CheckRefused);
    await expect(runCheck({ kind: "http", url: "http://169.254.169.254/latest/meta-data/", expectStatus: 200, timeoutMs: 5_000 }, local)).rejects.toBeInstanceOf(CheckRefused);
  });
});

describe("npm run cli -- check", () => {
  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const parsed = parseCheckArgs(argv);
    if (!parsed.ok) return { code: parsed.exitCode, out, err: [parsed.error] };
    const code = await runCheckCli(parsed.command, { out: (text) => out.push(text), err: (text) => err.push(text) });
    return { code, out, err };
  };

  it("prints the result as JSON and exits 0 on a pass, 1 on a fail, 2 when it cannot run", async () => {
    writeFileSync(file("ca-copy.pem"), ca);
    const pass = await run(["tls", `localhost:${ports.valid}`, "--ca", file("ca-copy.pem"), "--allow-private", "--json"]);
    expect(pass.code).toBe(0);
    const printed = JSON.parse(pass.out.join("")) as Record<string, unknown>;
    expect(Object.keys(printed).sort()).toEqual(["facts", "kind", "ok", "reasons", "target"]);
    expect(printed).toMatchObject({ ok: true, kind: "tls", target: `localhost:${ports.valid}` });
    expect(Object.keys(printed.facts as object)).toEqual(expect.arrayContaining(["daysLeft", "notAfter", "issuer", "protocol", "hostnameMatches"]));
    expect((await run(["tcp", `127.0.0.1:${ports.closed}`, "--allow-private", "--json"])).code).toBe(1);
    expect((await run(["tcp", `127.0.0.1:${ports.closed}`, "--closed", "--allow-private", "--json"])).code).toBe(0);
    const refused = await run(["tcp", `127.0.0.1:${ports.plain}`, "--json"]);
    expect(refused.code).toBe(2);
    expect(refused.err.join("")).toMatch(/--allow-private/);
    expect((await run(["dns", "example.org"])).code).toBe(2);
    expect((await run(["http", "not a url"])).code).toBe(2);
    expect((await run(["headers", "http://x.test/", "--require", "hsts,cookies"])).code).toBe(2);
  });
});
