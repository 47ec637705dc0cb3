import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress, LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { classifyAddress, describeKind, isAlwaysRefused, type AddressKind } from "@/lib/net/addresses";
import { canonicalName, isLocalhostName, isMetadataName, NO_ALLOWANCE, OUTBOUND_ALLOWANCE_VARIABLE, type OutboundAllowance } from "@/lib/net/allowance";

// The outbound guard: every connection the server opens to a target a user named (a webhook, an
// automated check) is vetted here first. The host is resolved once; if any address it resolves
// to is refused, so is the target; the connection then goes to exactly those vetted addresses
// (a pinned lookup, never a second resolution), so DNS rebinding cannot swap the address
// between the check and the connect. lib/net/http-request.ts and lib/net/connect.ts connect.

export type ResolvedAddress = { address: string; family: 4 | 6 };
/** Name resolution: every address of a name. Injected by tests; default dns.lookup(all: true). */
export type Resolve = (hostname: string) => Promise<ResolvedAddress[]>;

export type OutboundOptions = {
  /** Internal targets the operator allows (OUTBOUND_ALLOW_PRIVATE); default none. */
  allowance?: OutboundAllowance | undefined;
  /** Allow every loopback, private and shared target (the command line's --allow-private). Never link-local or metadata. */
  allowPrivate?: boolean | undefined;
  resolve?: Resolve | undefined;
};

export type VettedTarget = {
  /** The host as it was given, normalized (no brackets): the name for TLS (SNI) and the Host header. */
  host: string;
  port: number;
  /** Every address the host resolved to, all vetted: connections go to these and nowhere else. */
  addresses: readonly ResolvedAddress[];
  /** Every address is loopback, private or shared: the target is reachable only because it is allowed. */
  internal: boolean;
};

export type OutboundFailure =
  /** The target is refused by the guard: retrying cannot help until the target or the allowance changes. */
  | "refused"
  /** The host name did not resolve. */
  | "unresolved"
  | "timeout"
  /** The caller's signal aborted (e.g. the worker shutting down). */
  | "aborted"
  /** Connecting, TLS or the exchange failed; `code` holds the system or TLS error code. */
  | "failed";

/** A failed outbound connection. Messages name the host (or origin) at most, never a URL's path or query. */
export class OutboundError extends Error {
  constructor(
    readonly failure: OutboundFailure,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

const defaultResolve: Resolve = async (hostname) => (await dnsLookup(hostname, { all: true, order: "verbatim" })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/**
 * Normalizes a host the way browsers and the WHATWG URL parser do for http(s) (`127.1`,
 * `2130706433`, `0x7f.1` → 127.0.0.1; `LOCALHOST` → localhost; `[::ffff:127.0.0.1]` →
 * ::ffff:7f00:1), so that every spelling of an address is judged as that address. Only the
 * special schemes normalize IPv4 spellings, so a host:port target is parsed as http too.
 */
export function normalizeHost(host: string): string {
  const bracketed = isIP(host) === 6 ? `[${host}]` : host;
  const invalid = () => new OutboundError("refused", `"${host}" is not a valid host name or address`);
  const hasPort = bracketed.startsWith("[") ? !bracketed.endsWith("]") : bracketed.includes(":");
  if (!bracketed || hasPort || /[\s/?#@\\]/.test(bracketed) || !URL.canParse(`http://${bracketed}/`)) throw invalid();
  const url = new URL(`http://${bracketed}/`);
  if (url.port !== "" || url.hostname === "") throw invalid();
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/** "resolves to 127.0.0.1, a loopback address: …", in words a lead or operator can act on. */
function refusal(host: string, address: string, kind: AddressKind, viaName: boolean): OutboundError {
  const { ipv4 } = classifyAddress(address);
  const shown = ipv4 && ipv4 !== address ? `${address} (${ipv4})` : address;
  const subject = viaName ? `${host} resolves to ${shown},` : `${shown} is`;
  const verdict = isAlwaysRefused(kind) ? "never allowed" : `not allowed unless the server's ${OUTBOUND_ALLOWANCE_VARIABLE} permits it`;
  return new OutboundError("refused", `${subject} ${describeKind(kind)}: ${verdict}`);
}

/**
 * Resolves `host` once and vets every address, throwing OutboundError("refused") naming the
 * first refused one; "unresolved" when the name has no address; "timeout"/"aborted" from
 * `signal`. An IP address is vetted as it is.
 */
export async function vetHost(host: string, port: number, options: OutboundOptions & { signal?: AbortSignal | undefined } = {}): Promise<VettedTarget> {
  const normalized = normalizeHost(host);
  const allowance = options.allowance ?? NO_ALLOWANCE;
  const literal = isIP(normalized);
  const name = canonicalName(normalized);
  if (!literal && isMetadataName(name)) throw new OutboundError("refused", `${name} is a cloud metadata name: never allowed`);

  const answers = literal ? [normalized] : (await resolveOnce(name, options.resolve ?? defaultResolve, options.signal)).map((answer) => answer.address);
  const addresses = answers.map((address): ResolvedAddress => ({ address, family: isIP(address) === 6 ? 6 : 4 }));
  if (addresses.length === 0) throw new OutboundError("unresolved", `${name} did not resolve to any address`);
  let internal = true;
  for (const { address } of addresses) {
    let { kind } = classifyAddress(address);
    // A resolver's public answer for localhost is no reason to trust it: it is this machine.
    if (!literal && kind === "public" && isLocalhostName(name)) kind = "loopback";
    if (kind === "public") {
      internal = false;
      continue;
    }
    const allowed = !isAlwaysRefused(kind) && (options.allowPrivate === true || allowance.allowsAddress(address) || (!literal && allowance.allowsName(name)));
    if (!allowed) throw refusal(name, address, kind, !literal);
  }
  return { host: normalized, port, addresses, internal };
}

async function resolveOnce(name: string, resolve: Resolve, signal: AbortSignal | undefined): Promise<ResolvedAddress[]> {
  // dns.lookup cannot be cancelled; the signal only stops the wait for it.
  let onAbort = () => {};
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(new OutboundError("aborted", `resolving ${name} was interrupted`));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([resolve(name), aborted]);
  } catch (error) {
    if (error instanceof OutboundError) throw error;
    const code = typeof (error as { code?: unknown }).code === "string" ? ((error as { code: string }).code) : undefined;
    if (code === "ENOTFOUND" || code === "ENODATA" || code === "EAI_NONAME" || code === "EAI_AGAIN") throw new OutboundError("unresolved", `${name} did not resolve (${code})`, code);
    throw new OutboundError("failed", `${name} could not be resolved (${code ?? "error"})`, code);
  } finally {
    signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * A `lookup` for node:net, tls, http and https that answers with the vetted addresses only (all
 * of them for happy eyeballs, else the first of the family asked for), and refuses any other name.
 */
export function pinnedLookup(target: VettedTarget): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    const wanted = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    const addresses = target.addresses.filter((address) => wanted === 0 || address.family === wanted);
    if (normalizeHost(hostname) !== target.host || addresses.length === 0) {
      callback(Object.assign(new Error(`${hostname} is not the vetted host`), { code: "ENOTFOUND" }), "", 0);
    } else if (options.all) callback(null, addresses.map((address) => ({ ...address })));
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  };
}

/** An AbortSignal for a deadline and, if given, the caller's own signal. */
export function deadlineSignal(timeoutMs: number, signal: AbortSignal | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return signal ? AbortSignal.any([timeout, signal]) : timeout;
}

/**
 * What went wrong, as an OutboundError. Once `signal` fired, that is the story (the socket's own
 * error is its consequence): a timeout if the deadline passed, else the caller's abort.
 */
export function connectionError(error: unknown, signal: AbortSignal, timeoutMs: number): OutboundError {
  if (error instanceof OutboundError && error.failure !== "aborted") return error;
  if (signal.aborted) {
    const reason = signal.reason as { name?: unknown } | undefined;
    return reason?.name === "TimeoutError" ? new OutboundError("timeout", `did not answer within ${timeoutMs / 1000} s`) : new OutboundError("aborted", "was interrupted");
  }
  if (error instanceof OutboundError) return error;
  const code = typeof (error as { code?: unknown }).code === "string" ? (error as { code: string }).code : undefined;
  return new OutboundError("failed", `could not be reached (${code ?? (error instanceof Error ? error.name : "error")})`, code);
}
