import { timingSafeEqual, createHash } from "node:crypto";
import client from "prom-client";
import type pg from "pg";

// The instance's metrics, in Prometheus' text format. One registry per process: the edge
// (scripts/server.ts, loaded by tsx) and Next's bundles of lib/ are separate copies of this
// module in the same process, so the registry and everything it reads live on globalThis, and
// whichever copy comes first makes them. The edge serves them at GET /metrics (METRICS_TOKEN).

/** What every action and API route ends as: done, refused with a code a client is told, or failed on our side. */
export type Outcome = "ok" | `refused:${string}` | "failed";

/** Figures only the database knows, read at each scrape (lib/health.ts). */
export type DatabaseFigures = {
  jobsReady: number;
  jobsRunning: number;
  jobsScheduled: number;
  jobsFailed: number;
  oldestReadyJobAgeSeconds: number;
  auditChainLength: number;
};

type MetricsState = {
  registry: client.Registry;
  httpRequests: client.Counter<"method" | "kind" | "status">;
  httpDuration: client.Histogram<"kind">;
  inFlight: client.Gauge;
  queued: client.Gauge;
  shed: client.Counter<"reason">;
  actions: client.Counter<"action" | "outcome">;
  actionDuration: client.Histogram<"action">;
  routes: client.Counter<"route" | "method" | "outcome">;
  routeDuration: client.Histogram<"route">;
  pools: Map<string, pg.Pool>;
  readDatabaseFigures?: () => Promise<DatabaseFigures>;
  admission: { inFlight: number; queued: number };
};

// Seconds: a page takes tens of milliseconds when all is well; the top buckets show a tail.
const DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];
/** How long a scrape waits for the database's figures before reporting them as unknown. */
const DATABASE_FIGURES_DEADLINE_MS = 2_000;

function createState(): MetricsState {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const state: MetricsState = {
    registry,
    httpRequests: new client.Counter({ name: "shipshape_http_requests_total", help: "HTTP requests answered, by method, kind (page, action, api, auth, static, health) and status.", labelNames: ["method", "kind", "status"], registers: [registry] }),
    httpDuration: new client.Histogram({ name: "shipshape_http_request_duration_seconds", help: "Time from a request's arrival to the end of its answer, queueing included.", labelNames: ["kind"], buckets: DURATION_BUCKETS, registers: [registry] }),
    inFlight: new client.Gauge({ name: "shipshape_http_requests_in_flight", help: "Requests being served now (at most MAX_CONCURRENT_REQUESTS).", registers: [registry], collect() { this.set(state.admission.inFlight); } }),
    queued: new client.Gauge({ name: "shipshape_http_requests_queued", help: "Requests waiting for a free slot now (at most MAX_QUEUED_REQUESTS).", registers: [registry], collect() { this.set(state.admission.queued); } }),
    shed: new client.Counter({ name: "shipshape_http_requests_shed_total", help: "Requests answered 503 because the instance was full: the queue was full, or the request waited too long in it.", labelNames: ["reason"], registers: [registry] }),
    actions: new client.Counter({ name: "shipshape_actions_total", help: "Server Actions, by name and outcome (ok, refused:<CODE>, failed). They answer HTTP 200 even when refused.", labelNames: ["action", "outcome"], registers: [registry] }),
    actionDuration: new client.Histogram({ name: "shipshape_action_duration_seconds", help: "Server Actions' time to answer, the page's re-render included.", labelNames: ["action"], buckets: DURATION_BUCKETS, registers: [registry] }),
    routes: new client.Counter({ name: "shipshape_api_requests_total", help: "API route calls, by route pattern, method and outcome (ok, refused:<CODE>, failed).", labelNames: ["route", "method", "outcome"], registers: [registry] }),
    routeDuration: new client.Histogram({ name: "shipshape_api_request_duration_seconds", help: "API routes' time to answer.", labelNames: ["route"], buckets: DURATION_BUCKETS, registers: [registry] }),
    pools: new Map(),
    admission: { inFlight: 0, queued: 0 },
  };
  const poolGauge = (name: string, help: string, read: (pool: pg.Pool) => number) =>
    new client.Gauge({
      name,
      help,
      labelNames: ["pool"],
      registers: [registry],
      collect() {
        this.reset();
        for (const [label, pool] of state.pools) if (!pool.ended) this.set({ pool: label }, read(pool));
      },
    });
  poolGauge("shipshape_db_pool_connections", "Open connections in the pool (requests, long, worker).", (pool) => pool.totalCount);
  poolGauge("shipshape_db_pool_idle_connections", "Open connections that are idle.", (pool) => pool.idleCount);
  poolGauge("shipshape_db_pool_waiting_clients", "Queries waiting for a connection: above zero for long, the pool is too small or the database slow.", (pool) => pool.waitingCount);
  poolGauge("shipshape_db_pool_max_connections", "The pool's size limit.", (pool) => pool.options.max ?? 10);

  // One read of the database per scrape feeds all of these; the first gauge's collect makes it.
  let figures: Promise<DatabaseFigures | null> | null = null;
  const readFigures = (): Promise<DatabaseFigures | null> => {
    figures ??= withDeadline(state.readDatabaseFigures?.() ?? Promise.resolve(null), DATABASE_FIGURES_DEADLINE_MS).finally(() => {
      setImmediate(() => (figures = null));
    });
    return figures;
  };
  const figureGauge = (name: string, help: string, pick: (figures: DatabaseFigures) => number) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const read = await readFigures();
        this.reset();
        if (read) this.set(pick(read));
      },
    });
  new client.Gauge({
    name: "shipshape_metrics_database_up",
    help: "1 when this scrape read the database's figures (jobs, audit chain) in time, else 0 and those are absent.",
    registers: [registry],
    async collect() {
      this.set((await readFigures()) ? 1 : 0);
    },
  });
  figureGauge("shipshape_jobs_ready", "Background jobs due and waiting for a worker.", (read) => read.jobsReady);
  figureGauge("shipshape_jobs_running", "Background jobs a worker holds now.", (read) => read.jobsRunning);
  figureGauge("shipshape_jobs_scheduled", "Background jobs waiting for their time (retries after a failure, among others).", (read) => read.jobsScheduled);
  figureGauge("shipshape_jobs_failed", "Background jobs that failed for good (attempts used up, or refused): they stay for an operator.", (read) => read.jobsFailed);
  figureGauge("shipshape_jobs_oldest_ready_age_seconds", "How long the oldest due job has waited for a worker (0 when none waits).", (read) => read.oldestReadyJobAgeSeconds);
  figureGauge("shipshape_audit_chain_length", "Events in the audit chain (the chain head's seq).", (read) => read.auditChainLength);
  return state;
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise.catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const globalForMetrics = globalThis as unknown as { shipshapeMetrics?: MetricsState };

function metrics(): MetricsState {
  globalForMetrics.shipshapeMetrics ??= createState();
  return globalForMetrics.shipshapeMetrics;
}

/** Reports a pool's connections under `name`; a later pool of the same name replaces it. */
export function observePool(name: string, pool: pg.Pool): void {
  metrics().pools.set(name, pool);
}

/** How a scrape reads the job queue and the audit chain (set once the app's database client exists). */
export function setDatabaseFigures(read: () => Promise<DatabaseFigures>): void {
  metrics().readDatabaseFigures = read;
}

export function recordHttpRequest(method: string, kind: string, status: number, seconds: number): void {
  const state = metrics();
  state.httpRequests.inc({ method, kind, status: String(status) });
  state.httpDuration.observe({ kind }, seconds);
}

export function recordAction(action: string, outcome: Outcome, seconds: number): void {
  const state = metrics();
  state.actions.inc({ action, outcome });
  state.actionDuration.observe({ action }, seconds);
}

export function recordRoute(route: string, method: string, outcome: Outcome, seconds: number): void {
  const state = metrics();
  state.routes.inc({ route, method, outcome });
  state.routeDuration.observe({ route }, seconds);
}

export function recordShed(reason: "queue_full" | "queue_timeout"): void {
  metrics().shed.inc({ reason });
}

/** The admission counts the edge keeps (scripts/server.ts), read at each scrape. */
export function admissionCounts(): { inFlight: number; queued: number } {
  return metrics().admission;
}

export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

/**
 * Whether an Authorization header carries the metrics token. Both sides are hashed first, so the
 * comparison takes the same time whatever the header's length or how much of it matches.
 */
export function isMetricsAuthorized(header: string | undefined, token: string | undefined): boolean {
  if (!token || !header) return false;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(token)) && match !== null;
}
