import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import type { TLSSocket } from "node:tls";
import next from "next";
import { EnvError, parseEnv, type Env } from "@/lib/env";
import { AdmissionGate } from "@/lib/http/admission";
import { FORWARDING_HEADERS, forwardedFacts, parseTrustedProxies } from "@/lib/http/forwarded";
import { failureFields, levelOf, runWithRequestRecord, type RequestRecord } from "@/lib/http/request-record";
import { log } from "@/lib/log";
import { admissionCounts, isMetricsAuthorized, recordAction, recordHttpRequest, recordRoute, recordShed, renderMetrics, type Outcome } from "@/lib/metrics";

// The production HTTP server: Next.js behind a thin edge of our own, in one process. The edge is
// the only place that sees the TCP socket, so it decides who the client is and which scheme and
// host they used (lib/http/forwarded.ts) and replaces whatever X-Forwarded-* headers the client
// sent. Next.js itself fills those headers only when they are absent, so without this edge a
// client could name any address and reset its own sign-in limit.
//
// It also keeps the instance within what it can serve (lib/http/admission.ts: past
// MAX_CONCURRENT_REQUESTS and a short queue, 503 with Retry-After), writes one JSON log line per
// action and API call with its outcome, and serves the instance's metrics at /metrics to callers
// with METRICS_TOKEN. Next runs in this very process, so its code and the edge share one metrics
// registry and one request record (lib/http/request-record.ts).
//
// Run by scripts/serve.ts (`npm start`, `npm run demo`) and by the end-to-end tests.

function loadConfig(): Env {
  try {
    return parseEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
const config = loadConfig();

const port = Number(process.env.PORT ?? "3000");
const trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);
const gate = new AdmissionGate({
  maxConcurrent: config.MAX_CONCURRENT_REQUESTS ?? 4 * config.DATABASE_POOL_MAX,
  maxQueued: config.MAX_QUEUED_REQUESTS ?? 2 * config.DATABASE_POOL_MAX,
  maxWaitMs: config.MAX_QUEUE_WAIT_MS,
});
/** What a turned-away client is told to wait: long enough for a queue to drain. */
const OVERLOAD_RETRY_AFTER_SECONDS = 2;

const app = next({ dev: false, dir: process.cwd(), port, hostname: "localhost" });

type Kind = "page" | "action" | "api" | "auth" | "static" | "health" | "metrics";

function kindOf(request: http.IncomingMessage, pathname: string): Kind {
  if (pathname.startsWith("/_next/")) return "static";
  if (pathname === "/api/health") return "health";
  if (pathname === "/metrics") return "metrics";
  if (pathname.startsWith("/api/auth/")) return "auth";
  if (pathname.startsWith("/api/")) return "api";
  if (request.method === "POST" && typeof request.headers["next-action"] === "string") return "action";
  return "page";
}

/** Server Action ids to their exported names, from the build's manifest (ids are hashes). */
function loadActionNames(): Map<string, string> {
  const names = new Map<string, string>();
  try {
    const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next", "server", "server-reference-manifest.json"), "utf8")) as {
      node?: Record<string, { exportedName?: string }>;
    };
    for (const [id, entry] of Object.entries(manifest.node ?? {})) if (entry.exportedName) names.set(id, entry.exportedName);
  } catch {
    // Without the manifest, an action is logged under its id.
  }
  return names;
}
let actionNames = new Map<string, string>();

/** Where a request did not pass through runFormAction or lib/api.ts (pages, health, auth), its status says. */
function outcomeOfStatus(status: number): Outcome {
  if (status >= 500) return "failed";
  if (status >= 400) return `refused:${status}`;
  return "ok";
}

const BUSY_BODY = JSON.stringify({ error: { code: "UNAVAILABLE", message: "The server is busy; try again shortly." } });

function refuseOverload(response: http.ServerResponse): void {
  response.writeHead(503, { "content-type": "application/json", "retry-after": String(OVERLOAD_RETRY_AFTER_SECONDS), "cache-control": "no-store" });
  response.end(BUSY_BODY);
}

async function serveMetrics(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  if (request.method !== "GET" || !isMetricsAuthorized(request.headers.authorization, config.METRICS_TOKEN)) {
    response.writeHead(404, { "content-type": "text/plain", "cache-control": "no-store" });
    response.end("Not found\n");
    return;
  }
  Object.assign(admissionCounts(), { inFlight: gate.inFlight, queued: gate.queued });
  const { contentType, body } = await renderMetrics();
  response.writeHead(200, { "content-type": contentType, "cache-control": "no-store" });
  response.end(body);
}

function writeLine(request: http.IncomingMessage, response: http.ServerResponse, kind: Kind, pathname: string, record: RequestRecord, startedAt: number): void {
  const seconds = (performance.now() - startedAt) / 1000;
  const status = response.statusCode;
  const method = request.method ?? "GET";
  // A client that went away before the whole answer was sent.
  const aborted = !response.writableFinished;
  recordHttpRequest(method, kind, status, seconds);
  const outcome = record.outcome ?? outcomeOfStatus(status);
  if (kind === "action") recordAction(record.action ?? "unknown", outcome, seconds);
  else if (record.route) recordRoute(record.route, method, outcome, seconds);
  // Actions and API calls always get their line; pages and assets only at debug (an access log).
  const isAppCall = kind === "action" || kind === "api" || kind === "auth" || record.route !== undefined;
  const level = isAppCall ? levelOf(outcome, record.error) : "debug";
  if (!log.isLevelEnabled(level)) return;
  const requestId = response.getHeader("x-request-id");
  log[level](
    {
      requestId: typeof requestId === "string" ? requestId : null,
      actorId: record.actorId ?? null,
      method,
      ...(kind === "action" ? { action: record.action ?? "unknown" } : { route: record.route ?? pathname }),
      kind,
      status,
      outcome,
      durationMs: Math.round(seconds * 1000),
      ...(aborted ? { aborted: true } : {}),
      ...failureFields(outcome, record.error),
    },
    `${kind === "action" ? `action ${record.action ?? "unknown"}` : `${method} ${record.route ?? pathname}`} ${outcome}`,
  );
}

const server = http.createServer((request, response) => {
  const startedAt = performance.now();
  const pathname = (request.url ?? "/").split("?", 1)[0] ?? "/";
  const kind = kindOf(request, pathname);
  if (kind === "metrics") {
    void serveMetrics(request, response).catch((error: unknown) => {
      log.error({ error: String(error) }, "metrics failed");
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
    return;
  }
  const facts = forwardedFacts({
    peerAddress: request.socket.remoteAddress,
    encrypted: Boolean((request.socket as TLSSocket).encrypted),
    headers: request.headers,
    trusted,
  });
  for (const name of FORWARDING_HEADERS) delete request.headers[name];
  request.headers["x-forwarded-for"] = facts.clientAddress;
  request.headers["x-forwarded-proto"] = facts.proto;
  if (facts.host) request.headers["x-forwarded-host"] = facts.host;

  const actionId = request.headers["next-action"];
  const record: RequestRecord = kind === "action" && typeof actionId === "string" ? { action: actionNames.get(actionId) ?? actionId } : {};
  response.once("close", () => writeLine(request, response, kind, pathname, record, startedAt));

  // Health must answer however busy the instance is: a load balancer reads it to decide.
  if (kind === "health") {
    void runWithRequestRecord(record, () => handle(request, response));
    return;
  }
  const gone = new AbortController();
  request.once("close", () => {
    if (!response.writableEnded) gone.abort();
  });
  void gate.admit(gone.signal).then((admission) => {
    if (!admission.admitted) {
      recordShed(admission.reason);
      // Turned away by this instance, not failed: the line says so and why.
      record.outcome = `refused:BUSY_${admission.reason.toUpperCase()}`;
      refuseOverload(response);
      return;
    }
    response.once("close", admission.release);
    void runWithRequestRecord(record, () => handle(request, response));
  });
});

// Registered before Next prepares, so that the worker's shutdown hook (lib/jobs/worker.ts) runs
// first and this, the server's own shutdown, after it.
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (!server.listening) process.exit(0);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    // Requests still running get a few seconds; then the process ends regardless.
    setTimeout(() => process.exit(0), 5_000).unref();
  });
}

await app.prepare();
const handle = app.getRequestHandler();
actionNames = loadActionNames();
// Every interface, as `next start` does.
server.listen(port, () => {
  log.info(
    { port, trustedProxies: trusted.entries, maxConcurrentRequests: gate.limits.maxConcurrent, maxQueuedRequests: gate.limits.maxQueued, maxQueueWaitMs: gate.limits.maxWaitMs, metrics: Boolean(config.METRICS_TOKEN) },
    `Shipshape is listening on http://localhost:${port}${trusted.entries.length ? ` (trusting proxies ${trusted.entries.join(", ")})` : ""}`,
  );
});
