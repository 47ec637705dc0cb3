import { BlockList, isIP } from "node:net";
import { z } from "zod";
import { allowableRangeOf, classifyAddress, describeKind, effectiveAddress } from "@/lib/net/addresses";

// The operator's exceptions to the outbound guard (OUTBOUND_ALLOW_PRIVATE): loopback, private and
// shared ranges, and host names, that this server may connect to. Whoever runs the server owns
// the network it sits in, so only they can open it; nothing here can open link-local, metadata
// or the other ranges that are never a target.

export const OUTBOUND_ALLOWANCE_VARIABLE = "OUTBOUND_ALLOW_PRIVATE";

export type OutboundAllowance = {
  /** The entries as written (CIDRs normalized to address/prefix, names lower-cased). */
  readonly entries: readonly string[];
  /** Whether an internal address lies in an allowed range (an IPv6 form counts as the IPv4 address it carries). */
  allowsAddress(address: string): boolean;
  /** Whether a host name (lower case, no trailing dot) may resolve to internal addresses. */
  allowsName(name: string): boolean;
};

export const NO_ALLOWANCE: OutboundAllowance = parseOutboundAllowance("");

/** Names that lead to instance metadata (and its credentials) whatever they resolve to. */
const METADATA_NAMES = new Set(["metadata.google.internal", "metadata"]);

export function isMetadataName(name: string): boolean {
  return METADATA_NAMES.has(name);
}

/** `localhost` and `*.localhost` mean this machine (RFC 6761), whatever a resolver answers. */
export function isLocalhostName(name: string): boolean {
  return name === "localhost" || name.endsWith(".localhost");
}

/** A host name as the checks compare it: lower case, without the trailing dot of a fully qualified name. */
export function canonicalName(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

export class AllowanceError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("; "));
    this.name = "AllowanceError";
  }
}

/**
 * Parses a comma-separated list of CIDRs (`10.20.0.0/16`), single addresses (`127.0.0.1`) and
 * host names (`hooks.internal`). Throws AllowanceError naming every entry it refuses: a range
 * that is not wholly loopback, private or shared, or a metadata name.
 */
export function parseOutboundAllowance(text: string): OutboundAllowance {
  const list = new BlockList();
  const names = new Set<string>();
  const entries: string[] = [];
  const problems: string[] = [];
  for (const raw of text.split(",").map((entry) => entry.trim()).filter(Boolean)) {
    const [network = "", prefixText, extra] = raw.split("/");
    const family = isIP(network);
    if (family !== 0 || prefixText !== undefined) {
      const maxPrefix = family === 6 ? 128 : 32;
      const prefix = prefixText === undefined ? maxPrefix : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
      if (family === 0 || extra !== undefined || !(prefix >= 0 && prefix <= maxPrefix)) {
        problems.push(`"${raw}" is not an address, a CIDR range or a host name`);
        continue;
      }
      if (!allowableRangeOf(network, prefix)) {
        const kind = classifyAddress(network).kind;
        problems.push(
          kind === "public" || kind === "loopback" || kind === "private" || kind === "shared"
            ? `${raw} is not wholly inside a loopback, private or shared range (public addresses need no allowance)`
            : `${raw} is ${describeKind(kind)}, which can never be allowed`,
        );
        continue;
      }
      list.addSubnet(network, prefix, family === 6 ? "ipv6" : "ipv4");
      entries.push(`${network}/${prefix}`);
      continue;
    }
    const name = URL.canParse(`http://${raw}/`) ? canonicalName(new URL(`http://${raw}/`).hostname) : "";
    if (!HOST_NAME.test(name)) problems.push(`"${raw}" is not an address, a CIDR range or a host name`);
    else if (isMetadataName(name)) problems.push(`${name} is a cloud metadata name, which can never be allowed`);
    else {
      names.add(name);
      entries.push(name);
    }
  }
  if (problems.length > 0) throw new AllowanceError(problems);
  return {
    entries,
    allowsAddress(address) {
      const effective = effectiveAddress(address);
      return list.check(effective, isIP(effective) === 6 ? "ipv6" : "ipv4");
    },
    allowsName: (name) => names.has(name),
  };
}

/** OUTBOUND_ALLOW_PRIVATE as lib/env.ts reads it: a start-up error names each refused entry. */
export const outboundAllowanceSchema = z.string().transform((text, ctx): OutboundAllowance => {
  try {
    return parseOutboundAllowance(text);
  } catch (error) {
    if (!(error instanceof AllowanceError)) throw error;
    for (const problem of error.problems) ctx.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  }
});
