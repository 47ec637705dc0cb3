import { describe, expect, it } from "vitest";
import { parseOutboundAllowance } from "@/lib/net/allowance";
import { vetUrl } from "@/lib/net/http-request";
import { normalizeHost, OutboundError, pinnedLookup, vetHost, type ResolvedAddress, type Resolve } from "@/lib/net/outbound";

// The guard's decisions, with name resolution injected: no test here asks a real DNS server.

/** A resolver answering from a table, counting its calls; unknown names do not resolve. */
function table(answers: Record<string, string[]>): Resolve & { calls: string[] } {
  const calls: string[] = [];
  const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const addresses = answers[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return Object.assign(resolve, { calls });
}

const resolve = table({ localhost: ["127.0.0.1", "::1"], "hooks.example.com": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"] });

async function refusalOf(url: string, options: Parameters<typeof vetUrl>[1] = {}): Promise<OutboundError> {
  const error = await vetUrl(url, { resolve, ...options }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof OutboundError)) throw new Error(`${url} was not refused (${String(error)})`);
  expect(error.failure).toBe("refused");
  return error;
}

const UNLESS_ALLOWED = "not allowed unless the server's OUTBOUND_ALLOW_PRIVATE permits it";

describe("the spellings of internal targets", () => {
  it.each([
    ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a cloud metadata address: never allowed"],
    ["https://metadata.google.internal/", "metadata.google.internal is a cloud metadata name: never allowed"],
    ["https://metadata.google.internal./computeMetadata/v1/", "metadata.google.internal is a cloud metadata name: never allowed"],
    ["https://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address: never allowed"],
    ["https://10.0.0.5/", `10.0.0.5 is a private address: ${UNLESS_ALLOWED}`],
    ["https://192.168.1.1/", `192.168.1.1 is a private address: ${UNLESS_ALLOWED}`],
    ["https://172.16.0.1/", `172.16.0.1 is a private address: ${UNLESS_ALLOWED}`],
    ["https://127.0.0.1:5432/", `127.0.0.1 is a loopback address: ${UNLESS_ALLOWED}`],
    ["http://127.1:8080/", `127.0.0.1 is a loopback address: ${UNLESS_ALLOWED}`],
    ["http://2130706433/", `127.0.0.1 is a loopback address: ${UNLESS_ALLOWED}`],
    ["http://0x7f.1/", `127.0.0.1 is a loopback address: ${UNLESS_ALLOWED}`],
    ["http://[::1]:3000/", `::1 is a loopback address: ${UNLESS_ALLOWED}`],
    ["http://LOCALHOST:9/", `localhost resolves to 127.0.0.1, a loopback address: ${UNLESS_ALLOWED}`],
    ["https://[::ffff:127.0.0.1]/", `::ffff:7f00:1 (127.0.0.1) is a loopback address: ${UNLESS_ALLOWED}`],
    ["https://[::ffff:a9fe:a9fe]/", "::ffff:a9fe:a9fe (169.254.169.254) is a cloud metadata address: never allowed"],
    ["https://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe (169.254.169.254) is a cloud metadata address: never allowed"],
    ["https://0.0.0.0/", "0.0.0.0 is an unspecified address: never allowed"],
    ["https://[fe80::1]/", "fe80::1 is a link-local address: never allowed"],
    ["https://100.64.1.2/", `100.64.1.2 is a shared (carrier-grade NAT) address: ${UNLESS_ALLOWED}`],
  ])("refuses %s", async (url, message) => {
    expect((await refusalOf(url)).message).toBe(message);
  });

  it("needs no resolver for an address, and asks for a name once", async () => {
    const counting = table({ localhost: ["127.0.0.1"] });
    await refusalOf("http://127.1:8080/", { resolve: counting });
    await refusalOf("https://metadata.google.internal/", { resolve: counting });
    expect(counting.calls).toEqual([]);
    await refusalOf("http://LOCALHOST:9/", { resolve: counting });
    expect(counting.calls).toEqual(["localhost"]);
  });

  it("never repeats the path or query of the URL, where webhook secrets live", async () => {
    const error = await refusalOf("https://10.0.0.5/services/T0/B0/s3cr3t?token=s3cr3t#s3cr3t");
    expect(error.message).not.toContain("s3cr3t");
  });

  it("refuses a name when ANY of its addresses is refused, and names that one", async () => {
    const mixed = table({ "hooks.corp.test": ["93.184.215.14", "10.1.2.3"] });
    expect((await refusalOf("https://hooks.corp.test/x", { resolve: mixed })).message).toBe(`hooks.corp.test resolves to 10.1.2.3, a private address: ${UNLESS_ALLOWED}`);
  });

  it("treats localhost names as this machine whatever a resolver answers", async () => {
    const lying = table({ "app.localhost": ["93.184.215.14"] });
    expect((await refusalOf("http://app.localhost/", { resolve: lying })).message).toBe(`app.localhost resolves to 93.184.215.14, a loopback address: ${UNLESS_ALLOWED}`);
    expect((await vetUrl("http://app.localhost/", { resolve: lying, allowance: parseOutboundAllowance("app.localhost") })).internal).toBe(true);
  });

  it("lets public targets through, with every address they resolve to", async () => {
    const target = await vetUrl("https://Hooks.Example.com/services/x", { resolve });
    expect(target).toMatchObject({ host: "hooks.example.com", port: 443, internal: false });
    expect(target.addresses.map((address) => address.address)).toEqual(["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]);
  });

  it("refuses what is not an http(s) URL without credentials", async () => {
    expect((await refusalOf("ftp://example.com/")).message).toBe("ftp:// is not http:// or https://");
    expect((await refusalOf("https://user:pw@hooks.example.com/")).message).toBe("https://hooks.example.com carries credentials in the URL");
    expect((await refusalOf("not a url")).message).toBe("is not a valid URL");
  });

  it("reports a name that does not resolve as unresolved, not refused", async () => {
    await expect(vetUrl("https://nowhere.test/", { resolve })).rejects.toMatchObject({ failure: "unresolved", message: "nowhere.test did not resolve (ENOTFOUND)" });
  });
});

describe("what the operator allows", () => {
  const allowance = parseOutboundAllowance("127.0.0.1/32,10.0.0.0/8,fd00::/8,100.64.0.0/10,localhost");

  it("opens exactly the allowed ranges and names", async () => {
    expect((await vetUrl("https://127.0.0.1:5432/", { allowance })).internal).toBe(true);
    expect((await vetUrl("http://127.1:8080/", { allowance })).addresses).toEqual([{ address: "127.0.0.1", family: 4 }]);
    expect((await vetUrl("https://[::ffff:127.0.0.1]/", { allowance })).internal).toBe(true);
    expect((await vetUrl("https://10.0.0.5/", { allowance })).internal).toBe(true);
    // Allowed by name: every loopback address localhost resolves to.
    expect((await vetUrl("http://LOCALHOST:9/", { allowance, resolve })).addresses).toHaveLength(2);
    expect((await refusalOf("https://127.0.0.2/", { allowance })).message).toBe(`127.0.0.2 is a loopback address: ${UNLESS_ALLOWED}`);
    expect((await refusalOf("https://192.168.1.1/", { allowance })).message).toContain(UNLESS_ALLOWED);
    expect((await refusalOf("http://[::1]:3000/", { allowance })).message).toContain(UNLESS_ALLOWED);
  });

  it("cannot open metadata or link-local addresses inside an allowed range, nor by allowing everything private", async () => {
    // 100.64.0.0/10 holds Alibaba's metadata address, fd00::/8 AWS's.
    expect((await refusalOf("https://100.100.100.200/", { allowance })).message).toBe("100.100.100.200 is a cloud metadata address: never allowed");
    expect((await refusalOf("https://[fd00:ec2::254]/", { allowance })).message).toBe("fd00:ec2::254 is a cloud metadata address: never allowed");
    for (const url of ["https://169.254.169.254/latest/meta-data", "https://metadata.google.internal/", "https://[fd00:ec2::254]/", "https://[::ffff:169.254.169.254]/", "https://[fe80::1]/", "https://0.0.0.0/", "https://224.0.0.1/"]) {
      expect((await refusalOf(url, { allowPrivate: true })).message).toMatch(/: never allowed$/);
    }
    const metadataByName = table({ "evil.example.com": ["169.254.169.254"] });
    expect((await refusalOf("https://evil.example.com/", { resolve: metadataByName, allowPrivate: true, allowance })).message).toBe("evil.example.com resolves to 169.254.169.254, a cloud metadata address: never allowed");
  });

  it("allowPrivate (the command line's --allow-private) opens every loopback, private and shared target", async () => {
    for (const url of ["https://10.0.0.5/", "https://192.168.1.1/", "https://172.16.0.1/", "https://127.0.0.1:5432/", "http://127.1:8080/", "http://2130706433/", "http://[::1]:3000/", "http://0x7f.1/", "https://[::ffff:127.0.0.1]/", "https://100.64.0.1/"]) {
      expect((await vetUrl(url, { allowPrivate: true })).internal).toBe(true);
    }
    expect((await vetUrl("http://LOCALHOST:9/", { allowPrivate: true, resolve })).internal).toBe(true);
  });
});

describe("host:port targets", () => {
  it("normalize every spelling of an address as the URL parser does for http", () => {
    expect(["127.1", "2130706433", "0x7f.1", "0177.0.0.1", "127.0.0.1"].map(normalizeHost)).toEqual(Array(5).fill("127.0.0.1"));
    expect(normalizeHost("[::1]")).toBe("::1");
    expect(normalizeHost("::1")).toBe("::1");
    expect(normalizeHost("[::ffff:127.0.0.1]")).toBe("::ffff:7f00:1");
    expect(normalizeHost("LOCALHOST")).toBe("localhost");
    for (const bad of ["", "a b", "host/path", "user@host", "host:80", "http://x"]) expect(() => normalizeHost(bad)).toThrow(OutboundError);
  });

  it("are vetted like URLs", async () => {
    await expect(vetHost("127.1", 5432)).rejects.toMatchObject({ failure: "refused", message: `127.0.0.1 is a loopback address: ${UNLESS_ALLOWED}` });
    await expect(vetHost("[::1]", 22)).rejects.toMatchObject({ failure: "refused" });
    expect(await vetHost("hooks.example.com", 443, { resolve })).toMatchObject({ host: "hooks.example.com", port: 443, internal: false });
  });
});

describe("the pinned lookup", () => {
  it("answers with the vetted addresses only, and only for the vetted host", async () => {
    const target = await vetHost("hooks.example.com", 443, { resolve });
    const lookup = pinnedLookup(target);
    const ask = (hostname: string, options: { all?: boolean; family?: number }) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown; family?: number }>((done) => lookup(hostname, options, (error, address, family) => done({ error, address, family })));
    expect(await ask("hooks.example.com", { all: true })).toMatchObject({ error: null, address: [{ address: "93.184.215.14", family: 4 }, { address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 }] });
    expect(await ask("hooks.example.com", {})).toMatchObject({ error: null, address: "93.184.215.14", family: 4 });
    expect(await ask("hooks.example.com", { family: 6 })).toMatchObject({ error: null, address: "2606:2800:21f:cb07:6820:80da:af6b:8b2c", family: 6 });
    expect((await ask("elsewhere.example.com", { all: true })).error?.code).toBe("ENOTFOUND");
  });
});
