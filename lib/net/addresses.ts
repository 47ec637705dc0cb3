import { BlockList, isIPv4, isIPv6 } from "node:net";

// What an IP address is, for connections the server makes to targets its users name (webhooks,
// and later automated checks). Some kinds are never a legitimate target; some are only when the
// operator says so (lib/net/allowance.ts).

export type AddressKind =
  | "public"
  | "loopback"
  | "private"
  /** 100.64.0.0/10, carrier-grade NAT (also used by overlay networks such as Tailscale). */
  | "shared"
  | "link-local"
  | "metadata"
  | "unspecified"
  | "multicast"
  | "broadcast"
  | "reserved";

/** Kinds the operator may allow (OUTBOUND_ALLOW_PRIVATE, or --allow-private on the command line). */
export const ALLOWABLE_KINDS: ReadonlySet<AddressKind> = new Set(["loopback", "private", "shared"]);

/** Never a target, whatever is allowed: cloud credentials live behind link-local and metadata addresses. */
export function isAlwaysRefused(kind: AddressKind): boolean {
  return kind !== "public" && !ALLOWABLE_KINDS.has(kind);
}

const KIND_WORDS: Record<AddressKind, string> = {
  public: "a public address",
  loopback: "a loopback address",
  private: "a private address",
  shared: "a shared (carrier-grade NAT) address",
  "link-local": "a link-local address",
  metadata: "a cloud metadata address",
  unspecified: "an unspecified address",
  multicast: "a multicast address",
  broadcast: "a broadcast address",
  reserved: "a reserved address",
};

export function describeKind(kind: AddressKind): string {
  return KIND_WORDS[kind];
}

/**
 * Special ranges, most specific first: the first that matches decides (169.254.169.254 is
 * metadata before it is link-local; fd00:ec2::254 before it is private).
 */
const RANGES: [AddressKind, string][] = [
  // AWS, GCP, Azure, OpenStack and others (169.254.169.254), AWS over IPv6, Alibaba Cloud, and
  // Azure's WireServer, which answers VMs on a public address.
  ["metadata", "169.254.169.254/32"],
  ["metadata", "fd00:ec2::254/128"],
  ["metadata", "100.100.100.200/32"],
  ["metadata", "168.63.129.16/32"],
  ["unspecified", "0.0.0.0/8"],
  ["unspecified", "::/128"],
  ["broadcast", "255.255.255.255/32"],
  ["link-local", "169.254.0.0/16"],
  ["link-local", "fe80::/10"],
  ["multicast", "224.0.0.0/4"],
  ["multicast", "ff00::/8"],
  ["loopback", "127.0.0.0/8"],
  ["loopback", "::1/128"],
  ["private", "10.0.0.0/8"],
  ["private", "172.16.0.0/12"],
  ["private", "192.168.0.0/16"],
  ["private", "fc00::/7"],
  // Deprecated site-local addresses still route inside some networks.
  ["private", "fec0::/10"],
  ["shared", "100.64.0.0/10"],
  // IANA's special-purpose registries: protocol assignments, documentation, benchmarking,
  // the old 6to4 relay, "future use"; for IPv6 also discard-only, Teredo and local NAT64.
  ["reserved", "192.0.0.0/24"],
  ["reserved", "192.0.2.0/24"],
  ["reserved", "192.88.99.0/24"],
  ["reserved", "198.18.0.0/15"],
  ["reserved", "198.51.100.0/24"],
  ["reserved", "203.0.113.0/24"],
  ["reserved", "240.0.0.0/4"],
  ["reserved", "64:ff9b:1::/48"],
  ["reserved", "100::/64"],
  ["reserved", "2001::/32"],
  ["reserved", "2001:2::/48"],
  ["reserved", "2001:db8::/32"],
  ["reserved", "3fff::/20"],
];

type Range = { kind: AddressKind; family: "ipv4" | "ipv6"; prefix: number; list: BlockList };

const ranges: Range[] = RANGES.map(([kind, cidr]) => {
  const [network, prefix] = cidr.split("/") as [string, string];
  const family = isIPv4(network) ? "ipv4" : "ipv6";
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), family);
  return { kind, family, prefix: Number(prefix), list };
});

/** Global unicast: every other IPv6 address is unassigned, so refused as reserved. */
const globalUnicast = new BlockList();
globalUnicast.addSubnet("2000::", 3, "ipv6");

export type AddressClass = {
  kind: AddressKind;
  /** The IPv4 address an IPv6 form carries (mapped, compatible, NAT64, 6to4): what it reaches. */
  ipv4?: string;
};

/** Classifies an IP address (without brackets). Throws on anything that is not one. */
export function classifyAddress(address: string): AddressClass {
  if (isIPv4(address)) return { kind: rangeKind(address, "ipv4") ?? "public" };
  if (!isIPv6(address)) throw new TypeError(`Not an IP address: ${address}`);
  const embedded = embeddedIPv4(ipv6Groups(address));
  if (embedded) {
    const kind = rangeKind(embedded.ipv4, "ipv4") ?? "public";
    // An IPv4-compatible address (deprecated) reaches nothing public: only its special cases mean anything.
    return { kind: kind === "public" && !embedded.translates ? "reserved" : kind, ipv4: embedded.ipv4 };
  }
  return { kind: rangeKind(address, "ipv6") ?? (globalUnicast.check(address, "ipv6") ? "public" : "reserved") };
}

/** The address an allowance or message should speak of: the IPv4 one an IPv6 form carries, if any. */
export function effectiveAddress(address: string): string {
  return classifyAddress(address).ipv4 ?? address;
}

function rangeKind(address: string, family: "ipv4" | "ipv6"): AddressKind | undefined {
  return ranges.find((range) => range.family === family && range.list.check(address, family))?.kind;
}

/**
 * The smallest allowable range (loopback, private, shared) that holds the whole of `cidr`, or
 * undefined: what an operator may allow (lib/net/allowance.ts).
 */
export function allowableRangeOf(network: string, prefix: number): AddressKind | undefined {
  const family = isIPv4(network) ? "ipv4" : "ipv6";
  const kind = rangeKind(network, family);
  if (!kind || !ALLOWABLE_KINDS.has(kind)) return undefined;
  const holding = ranges.find((range) => range.kind === kind && range.family === family && range.list.check(network, family));
  return holding && prefix >= holding.prefix ? kind : undefined;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted quad converted). */
function ipv6Groups(address: string): number[] {
  let text = address.split("%")[0]!;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? (text.split("::") as [string, string]) : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
}

/**
 * The IPv4 address inside an IPv6 one that leads to it: IPv4-mapped (::ffff:a.b.c.d), IPv4-
 * translated (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d) and 6to4
 * (2002:AABB:CCDD::). `translates`: the form really reaches that IPv4 address.
 */
function embeddedIPv4(groups: number[]): { ipv4: string; translates: boolean } | undefined {
  const quad = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  const [g0, g1, g2, , , g5, g6, g7] = groups as [number, number, number, number, number, number, number, number];
  if (zeros(0, 5) && g5 === 0xffff) return { ipv4: quad(g6, g7), translates: true };
  if (zeros(0, 4) && groups[4] === 0xffff && g5 === 0) return { ipv4: quad(g6, g7), translates: true };
  if (g0 === 0x64 && g1 === 0xff9b && zeros(2, 6)) return { ipv4: quad(g6, g7), translates: true };
  if (g0 === 0x2002) return { ipv4: quad(g1, g2), translates: true };
  // ::/128 and ::1 are themselves (unspecified, loopback), not IPv4-compatible forms.
  if (zeros(0, 6) && !(g6 === 0 && g7 <= 1)) return { ipv4: quad(g6, g7), translates: false };
  return undefined;
}
