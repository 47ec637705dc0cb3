import { checkServerIdentity, type PeerCertificate } from "node:tls";
import { outboundConnect } from "@/lib/net/connect";
import { outboundRequest } from "@/lib/net/http-request";
import { OutboundError, type OutboundOptions } from "@/lib/net/outbound";

// Automated checks: one probe of a target, through the outbound guard (lib/net: the host resolved
// once and vetted, link-local and metadata always refused, loopback and private ranges only when
// allowed, capped answers and redirects). A result says whether it passed, what was found (the
// facts an auditor reads later) and, when it failed, why in words.

export type CheckKind = "http" | "tls" | "headers" | "tcp";

export type HttpCheck = { kind: "http"; url: string; expectStatus: number; bodyContains?: string; jsonPointer?: string; equals?: string };
export type TlsCheck = { kind: "tls"; host: string; port: number; minDaysLeft: number; ca?: string };
export type HeadersCheck = { kind: "headers"; url: string; hstsMinMaxAge: number; require: readonly HeaderName[] };
export type TcpCheck = { kind: "tcp"; host: string; port: number; expect: "open" | "closed" };
export type CheckSpec = (HttpCheck | TlsCheck | HeadersCheck | TcpCheck) & { timeoutMs: number };

export const headerNames = ["hsts", "csp", "nosniff", "frame", "referrer"] as const;
export type HeaderName = (typeof headerNames)[number];

export type CheckResult = {
  ok: boolean;
  kind: CheckKind;
  target: string;
  facts: Record<string, unknown>;
  /** Why it failed, one sentence each (empty when it passed). */
  reasons: string[];
  durationMs: number;
};

/** The check could not run at all: a refused target (the guard), a malformed one. Not a failure of the target. */
export class CheckRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CheckRefused";
  }
}

export type RunOptions = Pick<OutboundOptions, "allowance" | "allowPrivate" | "resolve"> & { now?: Date };

const DAY_MS = 86_400_000;

function targetOf(spec: CheckSpec): string {
  return spec.kind === "http" || spec.kind === "headers" ? spec.url : `${spec.host}:${spec.port}`;
}

/** A failure to reach the target is a failed check (with why), except a target the guard refuses, which cannot be checked. */
function unreachable(error: unknown): string {
  if (error instanceof OutboundError) {
    if (error.failure === "refused") throw new CheckRefused(`the target is refused: ${error.message}`);
    return error.failure === "timeout" ? `no answer in time (${error.message})` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** RFC 6901: the value at a JSON pointer, or undefined. */
export function atPointer(document: unknown, pointer: string): unknown {
  if (pointer === "") return document;
  if (!pointer.startsWith("/")) return undefined;
  let value: unknown = document;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

async function runHttp(spec: HttpCheck & { timeoutMs: number }, options: RunOptions): Promise<Omit<CheckResult, "durationMs">> {
  const started = performance.now();
  const response = await outboundRequest(spec.url, { ...options, timeoutMs: spec.timeoutMs, maxRedirects: 3, maxBodyBytes: 256 * 1024 });
  const latencyMs = Math.round(performance.now() - started);
  const body = response.body.toString("utf8");
  const reasons: string[] = [];
  const facts: Record<string, unknown> = { status: response.status, latencyMs, url: response.url.href, bytes: response.body.length, truncated: response.truncated };
  if (response.status !== spec.expectStatus) reasons.push(`answered ${response.status}, expected ${spec.expectStatus}`);
  if (spec.bodyContains !== undefined && !body.includes(spec.bodyContains)) reasons.push(`the body does not contain “${spec.bodyContains}”`);
  if (spec.jsonPointer !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
      reasons.push("the body is not JSON");
    }
    if (parsed !== undefined) {
      const value = atPointer(parsed, spec.jsonPointer);
      facts.pointerValue = value ?? null;
      const text = typeof value === "string" ? value : JSON.stringify(value);
      if (value === undefined) reasons.push(`nothing at ${spec.jsonPointer}`);
      else if (spec.equals !== undefined && text !== spec.equals) reasons.push(`${spec.jsonPointer} is ${text}, expected ${spec.equals}`);
    }
  }
  return { ok: reasons.length === 0, kind: "http", target: spec.url, facts, reasons };
}

const nameOf = (entity: PeerCertificate["issuer"] | undefined) => (entity ? (entity.CN ?? entity.O ?? Object.values(entity).join(", ")) : null);

async function runTls(spec: TlsCheck & { timeoutMs: number }, options: RunOptions, now: Date): Promise<Omit<CheckResult, "durationMs">> {
  // Connected without refusing, so that what is wrong with the certificate is reported, not just "failed".
  const { socket } = await outboundConnect({ host: spec.host, port: spec.port }, { ...options, timeoutMs: spec.timeoutMs, tls: { rejectUnauthorized: false, ...(spec.ca ? { ca: spec.ca } : {}) } });
  try {
    const certificate = socket.getPeerCertificate();
    const protocol = socket.getProtocol();
    const notAfter = certificate.valid_to ? new Date(certificate.valid_to) : null;
    const notBefore = certificate.valid_from ? new Date(certificate.valid_from) : null;
    const daysLeft = notAfter ? Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS) : null;
    const hostnameMatches = certificate.subject ? checkServerIdentity(spec.host, certificate) === undefined : false;
    const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
    const reasons: string[] = [];
    if (notAfter && notAfter.getTime() <= now.getTime()) reasons.push(`the certificate expired on ${notAfter.toISOString().slice(0, 10)}`);
    else if (daysLeft !== null && daysLeft < spec.minDaysLeft) reasons.push(`the certificate expires in ${daysLeft} day${daysLeft === 1 ? "" : "s"}, fewer than ${spec.minDaysLeft}`);
    if (notBefore && notBefore.getTime() > now.getTime()) reasons.push(`the certificate is not valid before ${notBefore.toISOString().slice(0, 10)}`);
    if (!hostnameMatches) reasons.push(`the certificate is not for ${spec.host}`);
    if (!socket.authorized && authorizationError !== "CERT_HAS_EXPIRED") reasons.push(`the certificate does not chain to a trusted root (${authorizationError ?? "unknown"})`);
    if (protocol !== "TLSv1.2" && protocol !== "TLSv1.3") reasons.push(`the protocol is ${protocol ?? "unknown"}, older than TLS 1.2`);
    return {
      ok: reasons.length === 0,
      kind: "tls",
      target: targetOf({ ...spec }),
      facts: {
        daysLeft,
        notAfter: notAfter?.toISOString() ?? null,
        notBefore: notBefore?.toISOString() ?? null,
        issuer: nameOf(certificate.issuer),
        subject: nameOf(certificate.subject),
        protocol,
        hostnameMatches,
        trusted: socket.authorized,
        authorizationError,
      },
      reasons,
    };
  } finally {
    socket.destroy();
  }
}

function hstsMaxAge(value: string | undefined): number | null {
  const match = /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?/i.exec(value ?? "");
  return match ? Number(match[1]) : null;
}

async function runHeaders(spec: HeadersCheck & { timeoutMs: number }, options: RunOptions): Promise<Omit<CheckResult, "durationMs">> {
  const response = await outboundRequest(spec.url, { ...options, timeoutMs: spec.timeoutMs, maxRedirects: 3, maxBodyBytes: 0 });
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  const judged: Record<HeaderName, () => { value: string | null; ok: boolean; reason: string }> = {
    hsts: () => {
      const value = header("strict-transport-security");
      const maxAge = hstsMaxAge(value);
      return { value: value ?? null, ok: maxAge !== null && maxAge >= spec.hstsMinMaxAge, reason: value ? `Strict-Transport-Security max-age is ${maxAge ?? "missing"}, less than ${spec.hstsMinMaxAge}` : "no Strict-Transport-Security header" };
    },
    csp: () => {
      const value = header("content-security-policy");
      return { value: value ?? null, ok: Boolean(value?.trim()), reason: "no Content-Security-Policy header" };
    },
    nosniff: () => {
      const value = header("x-content-type-options");
      return { value: value ?? null, ok: value?.trim().toLowerCase() === "nosniff", reason: value ? `X-Content-Type-Options is “${value}”, not nosniff` : "no X-Content-Type-Options header" };
    },
    frame: () => {
      const frameOptions = header("x-frame-options");
      const csp = header("content-security-policy") ?? "";
      const ancestors = /frame-ancestors\s+([^;]+)/i.exec(csp)?.[1]?.trim() ?? null;
      const ok = /^(deny|sameorigin)$/i.test(frameOptions?.trim() ?? "") || (ancestors !== null && !ancestors.includes("*"));
      return { value: frameOptions ?? (ancestors ? `frame-ancestors ${ancestors}` : null), ok, reason: "no frame protection (X-Frame-Options DENY or SAMEORIGIN, or CSP frame-ancestors)" };
    },
    referrer: () => {
      const value = header("referrer-policy");
      return { value: value ?? null, ok: Boolean(value) && !/unsafe-url/i.test(value ?? ""), reason: value ? `Referrer-Policy is “${value}”` : "no Referrer-Policy header" };
    },
  };
  const headers: Record<string, { value: string | null; ok: boolean }> = {};
  const reasons: string[] = [];
  for (const name of spec.require) {
    const verdict = judged[name]();
    headers[name] = { value: verdict.value, ok: verdict.ok };
    if (!verdict.ok) reasons.push(verdict.reason);
  }
  return { ok: reasons.length === 0, kind: "headers", target: spec.url, facts: { status: response.status, headers }, reasons };
}

async function runTcp(spec: TcpCheck & { timeoutMs: number }, options: RunOptions): Promise<Omit<CheckResult, "durationMs">> {
  const target = targetOf(spec);
  try {
    const { socket, address } = await outboundConnect({ host: spec.host, port: spec.port }, { ...options, timeoutMs: spec.timeoutMs });
    socket.destroy();
    const open = { open: true, address };
    return spec.expect === "open" ? { ok: true, kind: "tcp", target, facts: open, reasons: [] } : { ok: false, kind: "tcp", target, facts: open, reasons: [`${target} is open, expected closed`] };
  } catch (error) {
    const why = unreachable(error);
    const closed = { open: false, error: why };
    return spec.expect === "closed" ? { ok: true, kind: "tcp", target, facts: closed, reasons: [] } : { ok: false, kind: "tcp", target, facts: closed, reasons: [`${target} is not reachable: ${why}`] };
  }
}

/** Runs one check. Throws CheckRefused when it cannot run (a refused target); anything else is a result. */
export async function runCheck(spec: CheckSpec, options: RunOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const now = options.now ?? new Date();
  let result: Omit<CheckResult, "durationMs">;
  try {
    if (spec.kind === "http") result = await runHttp(spec, options);
    else if (spec.kind === "tls") result = await runTls(spec, options, now);
    else if (spec.kind === "headers") result = await runHeaders(spec, options);
    else result = await runTcp(spec, options);
  } catch (error) {
    if (error instanceof CheckRefused) throw error;
    result = { ok: false, kind: spec.kind, target: targetOf(spec), facts: {}, reasons: [unreachable(error)] };
  }
  return { ...result, durationMs: Math.round(performance.now() - started) };
}
