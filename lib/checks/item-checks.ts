import { z } from "zod";
import { db, DEFAULT_TRANSACTION } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan, can, type Actor } from "@/lib/policy";
import { getProjectForActor } from "@/lib/projects/data";
import { formatDateTime } from "@/lib/time";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { env } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { itemResource, lockItem } from "@/lib/checklists/mutations";
import { recordItemResult, type ResultRecorded } from "@/lib/checklists/results";
import { CheckRefused, headerNames, runCheck, type CheckResult, type CheckSpec, type HeaderName } from "@/lib/checks/run";

// Checks attached to items: a lead or the item's area owner configures one (what to probe, how
// often); the job queue runs every due check (runDueChecks, each minute, on whichever instance
// takes the tick) and a person runs one now from the item. Each run becomes an item result
// (lib/checklists/results.ts): kept, audited, part of the sign-off digest, reopening a done item
// when it fails. The result names who or what ran it: the check itself on a schedule, the person
// who pressed "Run now".

const ONE_YEAR_SECONDS = 31_536_000;
export const CHECK_INTERVALS_MINUTES = [5, 15, 60, 360, 1_440] as const;

/** HOST[:PORT], with [v6] brackets allowed. */
export function hostPort(text: string, defaultPort?: number): { host: string; port: number } | null {
  const match = /^(\[[^\]]+\]|[^:/\s]+)(?::(\d{1,5}))?$/.exec(text.trim());
  const port = match?.[2] ? Number(match[2]) : defaultPort;
  if (!match?.[1] || port === undefined || port < 1 || port > 65_535) return null;
  return { host: match[1].replace(/^\[|\]$/g, ""), port };
}

const httpUrl = z
  .string({ error: "Enter the URL to check." })
  .trim()
  .min(1, "Enter the URL to check.")
  .max(2_000, "That URL is too long.")
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), "Enter an http:// or https:// URL.");

const base = {
  itemId: z.uuid("Choose an item."),
  intervalMinutes: z.coerce.number({ error: "Choose how often it runs." }).int().refine((value) => (CHECK_INTERVALS_MINUTES as readonly number[]).includes(value), "Choose how often it runs."),
  timeoutSeconds: z.coerce.number({ error: "Enter a time limit in seconds." }).int("Enter whole seconds.").min(1, "At least 1 second.").max(30, "At most 30 seconds.").default(10),
  /** "Passing makes it done": a pass closes an open item, with the result as its evidence. */
  marksDone: z.preprocess((value) => value === "on" || value === "true" || value === true, z.boolean()).default(false),
  /** Damping: consecutive failures after a pass before the item reopens. */
  failuresToReopen: z.coerce.number({ error: "Choose after how many failures in a row it reopens the item." }).int().min(1, "From 1 to 5 failures in a row.").max(5, "From 1 to 5 failures in a row.").default(2),
};

const pem = z
  .string()
  .trim()
  .max(20_000, "That certificate is too long.")
  .refine((value) => value === "" || /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(value), "Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- …).")
  .optional();

/** A text the form may leave blank: blank is not given. */
const blankless = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** RFC 6901, as a path into the answer: "/status", "/checks/0/ok" ("~1" for "/", "~0" for "~" in a key). */
const jsonPointer = z.preprocess(
  blankless,
  z
    .string()
    .trim()
    .max(500, "That JSON pointer is too long.")
    .regex(/^(\/([^~/]|~[01])*)+$/, "A JSON pointer starts with /, e.g. /status or /checks/0/ok (~1 for a / in a key, ~0 for ~).")
    .optional(),
);

const httpFields = {
  target: httpUrl,
  expectStatus: z.coerce.number({ error: "Enter the expected status." }).int("A status from 100 to 599.").min(100, "A status from 100 to 599.").max(599, "A status from 100 to 599.").default(200),
  bodyContains: z.preprocess(blankless, z.string().trim().max(500, "At most 500 characters.").optional()),
  /** The answer is JSON with something at this pointer ... */
  jsonPointer,
  /** ... equal to this: a string as it is, anything else as its JSON (true, 3, null). */
  equals: z.preprocess(blankless, z.string().trim().max(500, "At most 500 characters.").optional()),
};

/** The headers to require: from a form's checkboxes (one or several), or a list; all of them when not given. */
const requiredHeaders = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").map((name) => name.trim()).filter(Boolean) : value),
  z
    .array(z.string({ error: `Choose from ${headerNames.join(", ")}.` }), { error: "Choose the headers to require." })
    .min(1, "Choose at least one header to require.")
    .refine((names) => names.every((name) => (headerNames as readonly string[]).includes(name)), `Choose from ${headerNames.join(", ")}.`)
    .transform((names) => headerNames.filter((name) => names.includes(name)) as HeaderName[])
    .optional(),
);

const headersFields = {
  target: httpUrl,
  require: requiredHeaders,
  /** The least Strict-Transport-Security max-age that passes, in seconds (a year unless given). */
  hstsMinMaxAge: z.preprocess(
    blankless,
    z.coerce
      .number({ error: "Enter the least HSTS max-age in seconds." })
      .int("Enter whole seconds.")
      .min(0, `From 0 to ${10 * ONE_YEAR_SECONDS} seconds (ten years).`)
      .max(10 * ONE_YEAR_SECONDS, `From 0 to ${10 * ONE_YEAR_SECONDS} seconds (ten years).`)
      .default(ONE_YEAR_SECONDS),
  ),
};

/** What a form or the API sends to attach a check; `spec` is what runs. */
export const addCheckSchema = z
  .discriminatedUnion(
    "kind",
    [
      z.object({ ...base, kind: z.literal("http"), ...httpFields }).refine((input) => input.equals === undefined || input.jsonPointer !== undefined, { path: ["jsonPointer"], message: "Enter the JSON pointer whose value is compared, e.g. /status." }),
      z.object({ ...base, kind: z.literal("headers"), ...headersFields }),
      z.object({ ...base, kind: z.literal("tls"), target: z.string({ error: "Enter HOST[:PORT]." }).trim().refine((value) => hostPort(value, 443) !== null, "Enter HOST or HOST:PORT, e.g. example.com:443."), minDaysLeft: z.coerce.number().int().min(0, "0 to 3650 days.").max(3_650, "0 to 3650 days.").default(14), ca: pem }),
      z.object({ ...base, kind: z.literal("tcp"), target: z.string({ error: "Enter HOST:PORT." }).trim().refine((value) => hostPort(value) !== null, "Enter HOST:PORT, e.g. db.internal:5432."), expect: z.enum(["open", "closed"], { error: "Choose open or closed." }).default("open") }),
    ],
    { error: "Choose what kind of check: http, headers, tls or tcp." },
  )
  .transform((input) => {
    const timeoutMs = input.timeoutSeconds * 1_000;
    const spec: CheckSpec =
      input.kind === "http"
        ? {
            kind: "http",
            url: input.target,
            expectStatus: input.expectStatus,
            timeoutMs,
            ...(input.bodyContains ? { bodyContains: input.bodyContains } : {}),
            ...(input.jsonPointer ? { jsonPointer: input.jsonPointer } : {}),
            ...(input.jsonPointer && input.equals !== undefined ? { equals: input.equals } : {}),
          }
        : input.kind === "headers"
          ? { kind: "headers", url: input.target, hstsMinMaxAge: input.hstsMinMaxAge, require: input.require ?? [...headerNames], timeoutMs }
          : input.kind === "tls"
            ? { kind: "tls", ...hostPort(input.target, 443)!, minDaysLeft: input.minDaysLeft, timeoutMs, ...(input.ca ? { ca: input.ca } : {}) }
            : { kind: "tcp", ...hostPort(input.target)!, expect: input.expect, timeoutMs };
    return { itemId: input.itemId, intervalMinutes: input.intervalMinutes, marksDone: input.marksDone, failuresToReopen: input.failuresToReopen, target: input.target, spec };
  });

const checkIdSchema = z.object({ checkId: z.uuid("Choose a check.") });

export type ItemCheckRow = { id: string; kind: string; target: string; intervalMinutes: number; marksDone: boolean; failuresToReopen: number; nextRunAt: string; lastRunAt: string | null; createdByName: string };

/** Each header a headers check may ask for, in a few words. */
export const headerLabels: Record<HeaderName, string> = {
  hsts: "HSTS",
  csp: "Content-Security-Policy",
  nosniff: "X-Content-Type-Options nosniff",
  frame: "frame protection",
  referrer: "Referrer-Policy",
};

/** In words, for lists and results: "TLS of example.com:443 (at least 14 days left)". */
export function describeCheck(spec: CheckSpec): string {
  switch (spec.kind) {
    case "http": {
      const pointer = spec.jsonPointer === undefined ? "" : spec.equals === undefined ? `, JSON ${spec.jsonPointer} present` : `, JSON ${spec.jsonPointer} = “${spec.equals}”`;
      return `HTTP ${spec.url} answers ${spec.expectStatus}${spec.bodyContains ? ` with “${spec.bodyContains}”` : ""}${pointer}`;
    }
    case "headers": {
      const asked = spec.require.map((name) => (name === "hsts" ? `HSTS (max-age ≥ ${spec.hstsMinMaxAge} s)` : headerLabels[name]));
      return `Security headers of ${spec.url}: ${asked.join(", ")}`;
    }
    case "tls":
      return `TLS of ${spec.host}:${spec.port} (at least ${spec.minDaysLeft} days left${spec.ca ? ", own CA" : ""})`;
    case "tcp":
      return `Port ${spec.host}:${spec.port} is ${spec.expect}`;
  }
}

/** Attaches a check to an item: a lead or the item's area owner (item.configureCheck); its first run is due at once. */
export async function addItemCheck(ctx: ServiceContext, input: unknown): Promise<{ checkId: string }> {
  const data = parseInput(addCheckSchema, input);
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, null);
    assertCan(ctx.actor, "item.configureCheck", itemResource(locked));
    const check = await tx.itemCheck.create({
      data: { itemId: data.itemId, projectId: locked.item.projectId, kind: data.spec.kind, spec: data.spec, target: data.target, intervalMinutes: data.intervalMinutes, marksDone: data.marksDone, failuresToReopen: data.failuresToReopen, nextRunAt: new Date(), createdById: ctx.actor.id, createdByName: ctx.actor.name },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.CHECK_ADDED,
      entityType: "item",
      entityId: data.itemId,
      projectId: locked.item.projectId,
      after: { checkId: check.id, itemTitle: locked.item.title, kind: data.spec.kind, target: data.target, intervalMinutes: data.intervalMinutes, marksDone: data.marksDone, failuresToReopen: data.failuresToReopen, spec: data.spec, description: describeCheck(data.spec) },
      requestId: ctx.requestId,
    });
    return { checkId: check.id };
  }, DEFAULT_TRANSACTION);
}

export async function removeItemCheck(ctx: ServiceContext, input: unknown): Promise<void> {
  const { checkId } = parseInput(checkIdSchema, input);
  await db.$transaction(async (tx) => {
    const check = await tx.itemCheck.findUnique({ where: { id: checkId }, select: { id: true, itemId: true, kind: true, target: true, intervalMinutes: true, spec: true } });
    if (!check) throw new AppError("NOT_FOUND", "Check not found.");
    const locked = await lockItem(tx, ctx.actor, check.itemId, null);
    assertCan(ctx.actor, "item.configureCheck", itemResource(locked));
    await tx.itemCheck.delete({ where: { id: check.id } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.CHECK_REMOVED,
      entityType: "item",
      entityId: check.itemId,
      projectId: locked.item.projectId,
      before: { checkId: check.id, itemTitle: locked.item.title, kind: check.kind, target: check.target, intervalMinutes: check.intervalMinutes, description: describeCheck(check.spec as CheckSpec) },
      requestId: ctx.requestId,
    });
  }, DEFAULT_TRANSACTION);
}

export type ItemChecks = {
  checks: (ItemCheckRow & { description: string; nextRunLabel: string; lastRunLabel: string | null })[];
  /** Whether the viewer may attach and remove checks (item.configureCheck), and run one now (item.recordResult). */
  canConfigure: boolean;
  canRun: boolean;
};

/** An item's checks and what the viewer may do with them; NOT_FOUND unless they may see the item. */
export async function getItemChecks(actor: Actor, itemId: string, zone = "UTC"): Promise<ItemChecks> {
  const item = z.uuid().safeParse(itemId).success ? await db.checklistItem.findUnique({ where: { id: itemId }, select: { area: true, project: { select: { slug: true } } } }) : null;
  if (!item) throw new AppError("NOT_FOUND", "Item not found.");
  const project = await getProjectForActor(actor, item.project.slug);
  const resource = { kind: "item" as const, projectId: project.id, roles: project.myRoles, area: item.area };
  const rows = await db.itemCheck.findMany({ where: { itemId }, orderBy: { createdAt: "asc" }, select: { id: true, kind: true, target: true, intervalMinutes: true, marksDone: true, failuresToReopen: true, nextRunAt: true, lastRunAt: true, createdByName: true, spec: true } });
  return {
    checks: rows.map(({ spec, ...row }) => ({
      ...row,
      description: describeCheck(spec as CheckSpec),
      nextRunAt: row.nextRunAt.toISOString(),
      nextRunLabel: formatDateTime(row.nextRunAt, zone),
      lastRunAt: row.lastRunAt?.toISOString() ?? null,
      lastRunLabel: row.lastRunAt ? formatDateTime(row.lastRunAt, zone) : null,
    })),
    canConfigure: can(actor, "item.configureCheck", resource),
    canRun: can(actor, "item.recordResult", resource),
  };
}

/** The actor a scheduled run records its result as: the check itself, allowed only to record results on its project. */
function checkActor(check: { id: string; projectId: string; spec: CheckSpec }): Actor {
  return { id: check.id, name: `Check: ${describeCheck(check.spec)}`, email: "", globalRoles: [], leadsAProject: false, automation: { tokenId: check.id, projectId: check.projectId, permissions: ["results:write"] } };
}

type RunnableCheck = { id: string; itemId: string; projectId: string; spec: unknown; marksDone: boolean; failuresToReopen: number };
const runnable = { id: true, itemId: true, projectId: true, spec: true, marksDone: true, failuresToReopen: true } as const;

/** A run's outcome as an item result (with the check's settings): the first reason (or what passed) as the summary, the facts as found. */
function resultInput(check: RunnableCheck, run: CheckResult | { refused: string }) {
  return { ...runResult(check.itemId, check.spec as CheckSpec, run), markDone: check.marksDone, failuresToReopen: check.failuresToReopen };
}

function runResult(itemId: string, spec: CheckSpec, run: CheckResult | { refused: string }) {
  if ("refused" in run) return { itemId, status: "fail" as const, summary: `${describeCheck(spec)}: could not run: ${run.refused}`.slice(0, 500), facts: { kind: spec.kind, refused: run.refused } };
  const summary = run.ok ? `${describeCheck(spec)}: passed in ${run.durationMs} ms` : `${describeCheck(spec)}: ${run.reasons.join("; ")}`;
  const essentials = { kind: run.kind, target: run.target, durationMs: run.durationMs };
  // As JSON (no undefined), and within what a result keeps (16 KiB): a huge header is cut to the essentials.
  const facts = JSON.parse(JSON.stringify({ ...essentials, ...run.facts })) as Record<string, unknown>;
  return { itemId, status: run.ok ? ("pass" as const) : ("fail" as const), summary: summary.slice(0, 500), facts: JSON.stringify(facts).length <= 16_000 ? facts : { ...essentials, factsTooLarge: true } };
}

async function probe(spec: CheckSpec): Promise<CheckResult | { refused: string }> {
  try {
    return await runCheck(spec, { allowance: env().OUTBOUND_ALLOW_PRIVATE });
  } catch (error) {
    if (error instanceof CheckRefused) return { refused: error.message };
    throw error;
  }
}

/**
 * Runs one check now for a person (the "Run now" button): they must be allowed to record results
 * on the item; the result is theirs. The probe's own time limit bounds the wait.
 */
export async function runItemCheckNow(ctx: ServiceContext, input: unknown): Promise<ResultRecorded> {
  const { checkId } = parseInput(checkIdSchema, input);
  const check = await db.itemCheck.findUnique({ where: { id: checkId }, select: runnable });
  if (!check) throw new AppError("NOT_FOUND", "Check not found.");
  await db.$transaction(async (tx) => assertCan(ctx.actor, "item.recordResult", itemResource(await lockItem(tx, ctx.actor, check.itemId, null))), DEFAULT_TRANSACTION);
  const spec = check.spec as CheckSpec;
  const run = await probe(spec);
  const recorded = await recordItemResult(ctx, resultInput(check, run));
  await db.itemCheck.update({ where: { id: check.id }, data: { lastRunAt: new Date(recorded.recordedAt) } });
  return recorded;
}

/** Checks claimed at once by one tick, and probed at once: the probes wait on the network, not the CPU. */
const CHECK_BATCH = 50;
const CHECK_CONCURRENCY = 8;
/** A tick stops claiming more once this has passed, so it ends before the next minute's tick. */
const TICK_BUDGET_MS = 45_000;

/**
 * The scheduler's tick: claims due checks in batches (locked, skipping those another instance
 * holds), moves each one's next run on by its interval before running it, then runs the batch a
 * few at a time and records each result as the check; claims again until none are due or the
 * tick's time budget is spent (what is left is due on the next tick, which takes the oldest
 * first). Returns how many ran.
 */
export async function runDueChecks(client: PrismaClient, now = new Date(), options: { batch?: number; concurrency?: number; budgetMs?: number; requestId?: string } = {}): Promise<number> {
  const { batch = CHECK_BATCH, concurrency = CHECK_CONCURRENCY, budgetMs = TICK_BUDGET_MS } = options;
  const started = Date.now();
  let ran = 0;
  while (Date.now() - started < budgetMs) {
    const due = await claimDueChecks(client, now, batch);
    if (due.length === 0) break;
    let next = 0;
    const lane = async () => {
      for (let check = due[next++]; check; check = due[next++]) await runScheduled(check, now, options.requestId);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, due.length) }, lane));
    ran += due.length;
    if (due.length < batch) break;
  }
  return ran;
}

async function claimDueChecks(client: PrismaClient, now: Date, limit: number): Promise<RunnableCheck[]> {
  return client.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM item_checks WHERE next_run_at <= ${now} ORDER BY next_run_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
    if (rows.length === 0) return [];
    await tx.$executeRaw`UPDATE item_checks SET next_run_at = ${now}::timestamptz + make_interval(mins => interval_minutes), last_run_at = ${now} WHERE id = ANY(${rows.map((row) => row.id)}::uuid[])`;
    return tx.itemCheck.findMany({ where: { id: { in: rows.map((row) => row.id) } }, select: runnable });
  }, DEFAULT_TRANSACTION);
}

async function runScheduled(check: RunnableCheck, now: Date, requestId?: string): Promise<void> {
  const spec = check.spec as CheckSpec;
  const run = await probe(spec);
  try {
    await recordItemResult({ actor: checkActor({ ...check, spec }), requestId: requestId ?? `check-${check.id}-${now.getTime()}` }, resultInput(check, run));
  } catch (error) {
    // The item went away meanwhile (its check with it): nothing to record. Anything else is
    // logged and the tick goes on: the other checks it claimed still run, and this one runs
    // again at its next time.
    if (error instanceof AppError && error.code === "NOT_FOUND") return;
    log.error({ component: "checks", checkId: check.id, ...errorFields(error) }, "could not record a check's result");
  }
}
