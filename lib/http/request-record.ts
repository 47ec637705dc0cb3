import { AsyncLocalStorage } from "node:async_hooks";
import { errorFields, log } from "@/lib/log";
import { recordAction, recordRoute, type Outcome } from "@/lib/metrics";
import { toPublicError } from "@/lib/errors";

// What the app learns about a request while serving it, for the one log line and the metrics the
// edge (scripts/server.ts) writes when the answer is sent: who the caller was, and for a Server
// Action or an API route its name and outcome. Server Actions answer HTTP 200 whether they did
// their work or were refused, so the status alone cannot say; runFormAction and lib/api.ts can.
//
// The edge runs each request inside a record; Next's code reaches it through the same
// AsyncLocalStorage, kept on globalThis because Next's bundles carry their own copy of lib/.

export type RequestRecord = {
  /** Set by the edge from the Next-Action header. */
  action?: string;
  /** Set by lib/api.ts: the route's pattern, e.g. /api/v1/projects/[slug]/gate. */
  route?: string;
  actorId?: string;
  outcome?: Outcome;
  /** The refused or failed error, for the line. */
  error?: unknown;
};

const globalForRecords = globalThis as unknown as { shipshapeRequestRecords?: AsyncLocalStorage<RequestRecord> };
const records = (globalForRecords.shipshapeRequestRecords ??= new AsyncLocalStorage<RequestRecord>());

/** Runs the handling of one request with its record (the edge). */
export function runWithRequestRecord<T>(record: RequestRecord, run: () => T): T {
  return records.run(record, run);
}

export function currentRequestRecord(): RequestRecord | undefined {
  return records.getStore();
}

/** The caller, once authenticated: a user's id, or `token:<prefix>` for a pipeline token. */
export function noteActor(actorId: string): void {
  const record = records.getStore();
  if (record) record.actorId = actorId;
}

/** An error as an outcome: a refusal with the code the client is told, or a failure on our side. */
export function outcomeOf(error: unknown): Outcome {
  const { code } = toPublicError(error);
  return code === "INTERNAL" || code === "UNAVAILABLE" ? "failed" : `refused:${code}`;
}

/**
 * Records how an action or route ended. Under the edge, its line is written when the answer has
 * been sent; without one (`next dev`), here and now.
 */
export function noteOutcome(what: { kind: "action" | "route"; name: string; method?: string; requestId?: string | null }, outcome: Outcome, startedAt: number, error?: unknown): void {
  const record = records.getStore();
  if (record) {
    if (what.kind === "route") record.route = what.name;
    record.action ??= what.kind === "action" ? what.name : undefined;
    record.outcome = outcome;
    record.error = error;
    return;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  if (what.kind === "action") recordAction(what.name, outcome, seconds);
  else recordRoute(what.name, what.method ?? "GET", outcome, seconds);
  log[levelOf(outcome, error)]({ requestId: what.requestId ?? null, [what.kind]: what.name, outcome, durationMs: Math.round(seconds * 1000), ...failureFields(outcome, error) }, `${what.kind} ${outcome}`);
}

/** failed: error (or warn when the database did not answer, which is an outage, not a bug); refused and ok: info. */
export function levelOf(outcome: Outcome, error?: unknown): "error" | "warn" | "info" {
  if (outcome !== "failed") return "info";
  return error !== undefined && toPublicError(error).code === "UNAVAILABLE" ? "warn" : "error";
}

/** For a failed outcome, what went wrong (with the stack when it was a bug rather than an outage). */
export function failureFields(outcome: Outcome, error: unknown): ReturnType<typeof errorFields> | Record<string, never> {
  if (outcome !== "failed" || error === undefined) return {};
  return errorFields(error, { stack: toPublicError(error).code === "INTERNAL" });
}
