import { BlockList, isIP } from "node:net";

// Who is on the other end of a request, decided once, at the edge (scripts/server.ts), before
// Next.js or the app sees the request. A client can write any X-Forwarded-* header it likes, so
// those headers are believed only when the connection comes from a proxy the operator named in
// TRUSTED_PROXIES; otherwise the socket's own address and scheme decide. The edge then rewrites
// X-Forwarded-For to that one address and X-Forwarded-Proto/-Host to trusted values, so everything
// after it (the proxy's origin check, the sign-in limits, session records) reads them as facts.

/** The operator's proxies: IP addresses or CIDR ranges, IPv4 or IPv6. */
export type TrustedProxies = { list: BlockList; entries: readonly string[] };

const NO_PROXIES: TrustedProxies = { list: new BlockList(), entries: [] };

/** `::ffff:10.0.0.1` (an IPv4 peer on a dual-stack socket) is 10.0.0.1. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return (mapped?.[1] ?? address).toLowerCase();
}

function family(address: string): "ipv4" | "ipv6" | null {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
}

/**
 * Parses TRUSTED_PROXIES: a comma-separated list such as `10.0.0.0/8, 127.0.0.1, fd00::/8`.
 * Throws with a message naming the bad entry.
 */
export function parseTrustedProxies(value: string | undefined): TrustedProxies {
  const entries = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) return NO_PROXIES;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix, ...rest] = entry.split("/");
    const type = family(address);
    const bits = prefix === undefined ? (type === "ipv4" ? 32 : 128) : Number(prefix);
    const maxBits = type === "ipv4" ? 32 : 128;
    if (!type || rest.length > 0 || !Number.isInteger(bits) || bits < 0 || bits > maxBits || (prefix !== undefined && !/^\d+$/.test(prefix))) {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
    list.addSubnet(normalizeAddress(address), bits, type);
  }
  return { list, entries };
}

export function isTrustedProxy(trusted: TrustedProxies, address: string): boolean {
  if (trusted.entries.length === 0) return false;
  const normalized = normalizeAddress(address);
  const type = family(normalized);
  return type !== null && trusted.list.check(normalized, type);
}

/** One X-Forwarded-For entry without a port or brackets (`[::1]:80`, `1.2.3.4:5678`), or null if it is no address. */
function forwardedAddress(entry: string): string | null {
  let value = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  const normalized = normalizeAddress(value);
  return family(normalized) ? normalized : null;
}

function lastListValue(header: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(header) ? header.join(",") : header;
  return joined
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
}

export type ForwardedFacts = {
  /** The client's address: the socket's, or the nearest address a trusted proxy vouched for. */
  clientAddress: string;
  /** The scheme the client used. */
  proto: "http" | "https";
  /** The host the client asked for (a trusted proxy's X-Forwarded-Host, else Host). */
  host: string | undefined;
};

/**
 * Decides the forwarded facts of one request. X-Forwarded-For is walked from the right (each
 * proxy appends what it saw): the first address that is not itself a trusted proxy is the client.
 * An entry that is no address stops the walk there, at the proxy that wrote it.
 */
export function forwardedFacts(input: {
  peerAddress: string | undefined;
  encrypted: boolean;
  headers: Record<string, string | string[] | undefined>;
  trusted: TrustedProxies;
}): ForwardedFacts {
  const peer = normalizeAddress(input.peerAddress ?? "unknown");
  const ownProto = input.encrypted ? "https" : "http";
  const host = typeof input.headers.host === "string" ? input.headers.host : undefined;
  if (!isTrustedProxy(input.trusted, peer)) return { clientAddress: peer, proto: ownProto, host };

  const chain = (Array.isArray(input.headers["x-forwarded-for"]) ? input.headers["x-forwarded-for"].join(",") : (input.headers["x-forwarded-for"] ?? ""))
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  let clientAddress = peer;
  for (let index = chain.length - 1; index >= 0; index -= 1) {
    const address = forwardedAddress(chain[index] ?? "");
    if (address === null) break;
    clientAddress = address;
    if (!isTrustedProxy(input.trusted, address)) break;
  }
  const forwardedProto = lastListValue(input.headers["x-forwarded-proto"])?.toLowerCase();
  const proto = forwardedProto === "https" || forwardedProto === "http" ? forwardedProto : ownProto;
  return { clientAddress, proto, host: lastListValue(input.headers["x-forwarded-host"]) ?? host };
}

/** Headers the edge removes from every request before it sets its own. */
export const FORWARDING_HEADERS = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "x-real-ip", "forwarded"] as const;
