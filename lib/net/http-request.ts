import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { connectionError, deadlineSignal, OutboundError, pinnedLookup, vetHost, type OutboundOptions, type VettedTarget } from "@/lib/net/outbound";

// HTTP(S) to a user-named target through the outbound guard: one vetted resolution per hop, a
// connection pinned to it, a deadline over the whole exchange, a cap on what is read and on
// redirects. Used by webhook delivery; written for the automated http and headers checks too.

export type VettedUrl = VettedTarget & { url: URL };

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** An http(s) URL without credentials, with its host vetted (see vetHost). */
export async function vetUrl(input: string | URL, options: OutboundOptions & { signal?: AbortSignal | undefined } = {}): Promise<VettedUrl> {
  const url = typeof input === "string" ? (URL.canParse(input) ? new URL(input) : null) : new URL(input);
  if (!url) throw new OutboundError("refused", "is not a valid URL");
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundError("refused", `${url.protocol}// is not http:// or https://`);
  // Credentials in a URL would be sent to whatever the URL names; nothing here needs them.
  if (url.username || url.password) throw new OutboundError("refused", `${url.origin} carries credentials in the URL`);
  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  return { ...(await vetHost(url.hostname, port, options)), url };
}

export type OutboundRequest = OutboundOptions & {
  method?: string;
  headers?: OutgoingHttpHeaders;
  body?: string | Buffer;
  /** The whole exchange (resolving, connecting, TLS, answer and body) must finish in this time. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Redirects to follow, each to a target vetted anew; only for GET and HEAD (default 0: a 3xx is the answer). */
  maxRedirects?: number;
  /** Bytes of the body to keep; more are not read (`truncated`). 0: the body is not read at all (default 64 KiB). */
  maxBodyBytes?: number;
};

export type OutboundResponse = {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The body was longer than maxBodyBytes, so only that much was read. */
  truncated: boolean;
  /** Where the answer came from: the last URL after redirects, and the address connected to. */
  url: URL;
  address: string;
  /** The URLs redirected from, in order. */
  redirects: URL[];
};

/**
 * Sends one request to `target` (a URL, vetted here, or a VettedUrl from vetUrl, whose addresses
 * are used as they are) and reads the answer within the limits. Throws OutboundError: "refused"
 * (also for a redirect to a refused target), "unresolved", "timeout", "aborted" or "failed".
 * Messages name the origin at most.
 */
export async function outboundRequest(target: string | URL | VettedUrl, request: OutboundRequest): Promise<OutboundResponse> {
  const signal = deadlineSignal(request.timeoutMs, request.signal);
  const method = (request.method ?? "GET").toUpperCase();
  const maxRedirects = method === "GET" || method === "HEAD" ? (request.maxRedirects ?? 0) : 0;
  const redirects: URL[] = [];
  let headers = request.headers;
  const guard = { allowance: request.allowance, allowPrivate: request.allowPrivate, resolve: request.resolve, signal };
  try {
    let vetted = typeof target === "object" && "addresses" in target ? target : await vetUrl(target, guard);
    for (;;) {
      const response = await exchange(vetted, method, { ...request, headers }, signal);
      const location = response.headers.location;
      if (response.status < 300 || response.status > 399 || !location || redirects.length >= maxRedirects) return { ...response, redirects };
      redirects.push(vetted.url);
      const next = URL.canParse(location, vetted.url) ? new URL(location, vetted.url) : null;
      if (!next) throw new OutboundError("failed", `${vetted.url.origin} redirected to an invalid URL`);
      // As browsers do: credentials meant for one origin are not handed to another.
      if (next.origin !== vetted.url.origin) headers = withoutCredentials(headers);
      vetted = await vetUrl(next, guard);
    }
  } catch (error) {
    throw connectionError(error, signal, request.timeoutMs);
  }
}

function withoutCredentials(headers: OutgoingHttpHeaders | undefined): OutgoingHttpHeaders | undefined {
  return headers && Object.fromEntries(Object.entries(headers).filter(([name]) => !["authorization", "cookie", "proxy-authorization"].includes(name.toLowerCase())));
}

function exchange(target: VettedUrl, method: string, request: OutboundRequest, signal: AbortSignal): Promise<Omit<OutboundResponse, "redirects">> {
  const maxBodyBytes = request.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const isHttps = target.url.protocol === "https:";
  return new Promise((resolve, reject) => {
    const outgoing = (isHttps ? httpsRequest : httpRequest)({
      host: target.host,
      port: target.port,
      path: `${target.url.pathname}${target.url.search}`,
      method,
      headers: request.headers,
      lookup: pinnedLookup(target),
      // A socket of its own: a pooled one may have been opened to another vetting's address.
      agent: false,
      // The certificate must be valid for the host name, which is also sent as SNI.
      ...(isHttps && !isIP(target.host) ? { servername: target.host } : {}),
      signal,
    });
    outgoing.on("error", reject);
    outgoing.on("response", (incoming: IncomingMessage) => {
      const address = incoming.socket.remoteAddress ?? "";
      readCapped(incoming, maxBodyBytes).then(({ body, truncated }) => {
        outgoing.destroy();
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body, truncated, url: target.url, address });
      }, reject);
    });
    outgoing.end(request.body);
  });
}

/** Reads up to `limit` bytes of a body, then stops (the caller destroys the connection). */
function readCapped(incoming: IncomingMessage, limit: number): Promise<{ body: Buffer; truncated: boolean }> {
  if (limit === 0) return Promise.resolve({ body: Buffer.alloc(0), truncated: false });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (truncated: boolean) => {
      incoming.removeAllListeners("data");
      incoming.pause();
      resolve({ body: Buffer.concat(chunks, Math.min(size, limit)), truncated });
    };
    incoming.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > limit) finish(true);
    });
    incoming.once("end", () => finish(false));
    incoming.once("error", reject);
    incoming.once("close", () => {
      if (!incoming.complete) reject(new OutboundError("failed", "the connection closed before the answer was complete", "ECONNRESET"));
    });
  });
}
