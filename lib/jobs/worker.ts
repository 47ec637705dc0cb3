import { EventEmitter } from "node:events";
import { runDueChecks } from "@/lib/checks/item-checks";
import { applyRunningCampaigns } from "@/lib/campaigns/mutations";
import { Logger, makeWorkerUtils, parseCronItems, run, type JobHelpers, type LogLevel, type Runner, type TaskList, type WorkerEvents, type WorkerUtils } from "graphile-worker";
import { z } from "zod";
import { createPool, prismaClientOver } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { observePool } from "@/lib/metrics";
import { startLiveness, type Liveness, type LivenessOptions } from "@/lib/jobs/liveness";
import { jobNames, type WebhookPayload } from "@/lib/jobs/queue";
import { renewEvidence } from "@/lib/checklists/renewals";
import { deliverAccountEmail } from "@/lib/users/account-email";
import { DEFAULT_SMTP_FROM, defaultBaseUrl, deliverEmail, deliverWebhook, PermanentDeliveryError, type DeliverySettings } from "@/lib/notifications/deliver";
import { sendDueReminders } from "@/lib/notifications/reminders";

// The background worker: graphile-worker over the app's PostgreSQL. Jobs are added by notify()
// in the transaction of the change (lib/jobs/queue.ts); here they are taken, one worker per job
// however many instances run (graphile-worker locks each job row with SKIP LOCKED), and retried
// with exponential back-off (attempt n waits e^n seconds, up to the job's max attempts).

export type LogFunction = (level: LogLevel, message: string) => void;

export type WorkerOptions = {
  connectionString: string;
  delivery: DeliverySettings;
  /** Jobs run at once in this instance (default 4). Every task is safe to run concurrently. */
  concurrency?: number;
  /** How often to look for jobs that became due (retries); new jobs arrive by LISTEN/NOTIFY (default 2000 ms). */
  pollInterval?: number;
  /** Whether this worker schedules the due-reminder scan (default true). */
  schedule?: boolean;
  /** On stop, how long running jobs may finish before they are aborted and retried later (default 5000 ms). */
  shutdownAbortMs?: number;
  /** Where log lines go (default: warnings and errors to the server's JSON log, lib/log.ts). */
  log?: LogFunction;
  /** Heartbeat and dead-worker detection (lib/jobs/liveness.ts); defaults: a beat every 10 s, dead after 45 s. */
  liveness?: LivenessOptions;
};

export type RunningWorker = {
  /** The id this worker's jobs are locked with (graphile-worker's pool id), under which it beats. */
  workerId: string;
  /** Stops taking jobs, lets running ones finish (aborting them after `shutdownAbortMs`), closes connections. */
  stop(): Promise<void>;
};

/** Scans for due and overdue items every 15 minutes; cron jobs are scheduled once per tick across all instances. */
export const REMINDER_SCHEDULE = "*/15 * * * *";
/** Runs due automated checks every minute (each check's own interval decides whether it is due), then the re-attestation scan, then gives running campaigns' items to projects that have come to match them. */
export const CHECK_SCHEDULE = "* * * * *";
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_SHUTDOWN_ABORT_MS = 5_000;

const emailPayload = z.object({ notificationId: z.uuid() });
const accountEmailPayload = z.object({ linkId: z.uuid(), sealed: z.string(), kind: z.enum(["reset", "invitation"]), invitedBy: z.string().optional() });
const webhookPayload = z.object({
  projectId: z.uuid(),
  kind: z.string(),
  text: z.string(),
  title: z.string(),
  body: z.string(),
  link: z.string(),
  itemId: z.uuid().nullable(),
  recipients: z.array(z.uuid()),
  occurredAt: z.string(),
}) satisfies z.ZodType<WebhookPayload>;

/** Only warnings and errors, as JSON lines of the server's log (graphile-worker appends stack traces after a newline). */
export const consoleLog: LogFunction = (level, message) => {
  const line = message.split("\n", 1)[0];
  if (level === "error") log.error({ component: "worker" }, line);
  else if (level === "warning") log.warn({ component: "worker" }, line);
};

function taskList(db: PrismaClient, delivery: DeliverySettings): TaskList {
  // A payload that does not parse can never succeed: it is logged and dropped, not retried.
  const parse = <T>(schema: z.ZodType<T>, payload: unknown, helpers: JobHelpers): T | null => {
    const result = schema.safeParse(payload);
    if (!result.success) helpers.logger.error(`Dropping job ${helpers.job.id} (${helpers.job.task_identifier}): invalid payload`);
    return result.success ? result.data : null;
  };
  return {
    [jobNames.email]: async (payload, helpers) => {
      const job = parse(emailPayload, payload, helpers);
      if (job) await deliverEmail(db, delivery, job.notificationId, helpers.abortSignal);
    },
    [jobNames.accountEmail]: async (payload, helpers) => {
      const job = parse(accountEmailPayload, payload, helpers);
      if (job) await deliverAccountEmail(db, delivery, job, helpers.abortSignal);
    },
    [jobNames.webhook]: async (payload, helpers) => {
      const job = parse(webhookPayload, payload, helpers);
      if (!job) return;
      try {
        await deliverWebhook(db, delivery, job, { deliveryId: helpers.job.id, signal: helpers.abortSignal });
      } catch (error) {
        if (error instanceof PermanentDeliveryError) await failForGood(db, helpers);
        throw error;
      }
    },
    [jobNames.reminders]: async (_payload, helpers) => {
      await sendDueReminders(db, new Date(), { signal: helpers.abortSignal });
    },
    [jobNames.checks]: async (_payload, helpers) => {
      const now = new Date();
      await runDueChecks(db, now);
      await renewEvidence(db, now, { signal: helpers.abortSignal });
      await applyRunningCampaigns(db);
    },
  };
}

/**
 * Makes the running attempt of a job its last: the error thrown next is recorded on the job as
 * usual, and graphile-worker never takes a job again once its attempts reach max_attempts. The
 * job stays in the queue as permanently failed, with its error, for an operator to see (or to
 * reschedule once the cause is fixed). graphile-worker's own permanently_fail_jobs() skips locked
 * jobs, so this writes the row this worker holds the lock on, and the worker's copy of the job
 * alike, so that its log line and "job:failed" event say it failed for good.
 */
async function failForGood(db: PrismaClient, helpers: JobHelpers): Promise<void> {
  await db.$executeRaw`UPDATE graphile_worker._private_jobs SET max_attempts = attempts WHERE id = ${helpers.job.id}::bigint AND locked_by IS NOT NULL`;
  helpers.job.max_attempts = helpers.job.attempts;
}

/**
 * Starts a worker on the given database. Several may run against one database (in one process
 * or many): each job runs once. Signals are not handled here (see `startWorkerFromEnv`).
 */
export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const log = options.log ?? consoleLog;
  // One pool for the queue (a LISTEN connection, fetching and completing jobs) and the tasks' queries.
  const pool = createPool(options.connectionString, concurrency + 4);
  observePool("worker", pool);
  // A checked-out client (the queue's LISTEN connection, above all) that loses its server emits
  // 'error' on itself; unhandled, that would end the process. pg fails its next query anyway.
  pool.on("connect", (connection) => connection.on("error", (error) => log("error", `database connection error: ${error.message}`)));
  const db = prismaClientOver(pool);
  const schedule = options.schedule ?? true;
  // graphile-worker locks jobs with its pool's random id, which it announces only by this event.
  const events = new EventEmitter() as WorkerEvents;
  let workerId: string | undefined;
  events.on("pool:create", ({ workerPool }) => {
    workerId ??= workerPool.id;
  });
  const logger = new Logger(() => (level, message) => log(level, message));
  let runner: Runner | undefined;
  let utils: WorkerUtils | undefined;
  let liveness: Liveness;
  try {
    runner = await run({
      pgPool: pool,
      concurrency,
      pollInterval: options.pollInterval ?? 2_000,
      noHandleSignals: true,
      gracefulShutdownAbortTimeout: options.shutdownAbortMs ?? DEFAULT_SHUTDOWN_ABORT_MS,
      // Without batching, graphile-worker records a job's success or failure without awaiting it,
      // so a stop could close the pool first and leave a finished job locked (and re-run hours
      // later). Batches (even of 0 ms) are flushed before the stop completes.
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      logger,
      events,
      taskList: taskList(db, options.delivery),
      parsedCronItems: schedule
        ? parseCronItems([
            {
              task: jobNames.reminders,
              identifier: jobNames.reminders,
              match: REMINDER_SCHEDULE,
              // After downtime, one missed scan runs at start; a scan still waiting is replaced, not doubled.
              options: { backfillPeriod: 15 * 60_000, maxAttempts: 3, jobKey: jobNames.reminders, jobKeyMode: "replace" },
            },
            {
              task: jobNames.checks,
              identifier: jobNames.checks,
              match: CHECK_SCHEDULE,
              // A tick missed while down is not replayed: the next one runs whatever is due by then.
              options: { backfillPeriod: 0, maxAttempts: 1, jobKey: jobNames.checks, jobKeyMode: "replace" },
            },
          ])
        : [],
    });
    if (workerId === undefined) throw new Error("graphile-worker did not announce its worker pool's id");
    utils = await makeWorkerUtils({ pgPool: pool, logger });
    liveness = startLiveness(db, utils, workerId, options.liveness ?? {}, log);
  } catch (error) {
    await runner?.stop();
    await utils?.release();
    await db.$disconnect();
    await pool.end();
    throw error;
  }
  const started = runner;
  const ownId = workerId;
  started.promise.catch((error: unknown) => log("error", `stopped after an error: ${error instanceof Error ? error.message : String(error)}`));

  let stopping: Promise<void> | null = null;
  return {
    workerId: ownId,
    stop() {
      stopping ??= (async () => {
        await started.stop();
        // After the runner: its jobs are finished or given back, so the row no longer covers any.
        await liveness.stop();
        await utils?.release();
        await db.$disconnect();
        await pool.end();
      })();
      return stopping;
    },
  };
}

/** Stops a worker gracefully (see RunningWorker.stop). */
export function stopWorker(worker: RunningWorker): Promise<void> {
  return worker.stop();
}

/** The worker's settings from the environment (the server's configuration). */
export function workerOptionsFromEnv(): WorkerOptions {
  const config = env();
  return {
    connectionString: config.DATABASE_URL,
    delivery: {
      baseUrl: defaultBaseUrl(config.AUTH_URL, process.env.PORT),
      smtpUrl: config.SMTP_URL,
      smtpFrom: config.SMTP_FROM ?? DEFAULT_SMTP_FROM,
      secret: config.AUTH_SECRET,
      outbound: { allowance: config.OUTBOUND_ALLOW_PRIVATE },
    },
    liveness: { heartbeatMs: config.WORKER_HEARTBEAT_MS, staleAfterMs: config.WORKER_STALE_AFTER_MS },
  };
}

const globalForWorker = globalThis as unknown as { shipshapeWorker?: Promise<RunningWorker | null> };

/**
 * Starts this server's worker when SHIPSHAPE_WORKER is on (once per process), and stops it
 * before the server exits on SIGTERM/SIGINT. Never throws: without a worker the app still
 * serves, and queued jobs wait in the database for one.
 */
export function startWorkerFromEnv(): Promise<RunningWorker | null> {
  globalForWorker.shipshapeWorker ??= (async () => {
    if (env().SHIPSHAPE_WORKER !== "on") return null;
    try {
      const options = workerOptionsFromEnv();
      const worker = await startWorker(options);
      stopBeforeExit(worker);
      log.info({ component: "worker", workerId: worker.workerId, email: Boolean(options.delivery.smtpUrl) }, "worker running: notification delivery and due reminders every 15 minutes");
      return worker;
    } catch (error) {
      log.error({ component: "worker", ...errorFields(error) }, "worker could not start; notifications stay queued");
      return null;
    }
  })();
  return globalForWorker.shipshapeWorker;
}

const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;
/** The longest a signal waits for the worker before the server's own shutdown goes ahead. */
const MAX_STOP_WAIT_MS = DEFAULT_SHUTDOWN_ABORT_MS + 5_000;

/**
 * `next start` exits from its own SIGTERM/SIGINT listeners as soon as its HTTP server closed,
 * which could cut a delivery off mid-way and leave its job locked (graphile-worker frees such
 * jobs only after four hours). So the listeners present now (Next's) run only after the worker
 * stopped, or after MAX_STOP_WAIT_MS at worst; with none, the signal is raised again once the
 * worker stopped, so the process still ends. Repeated signals (a terminal's Ctrl+C reaches the
 * whole process group) do not start a second shutdown.
 */
function stopBeforeExit(worker: RunningWorker): void {
  for (const signal of STOP_SIGNALS) {
    const previous = process.listeners(signal);
    process.removeAllListeners(signal);
    let handled = false;
    const onSignal = () => {
      if (handled) return;
      handled = true;
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, MAX_STOP_WAIT_MS).unref());
      const stopped = worker.stop().catch((error: unknown) => log.error({ component: "worker", ...errorFields(error) }, "worker stop failed"));
      void Promise.race([stopped, timeout]).then(() => {
        if (previous.length > 0) {
          for (const listener of previous) listener(signal);
        } else {
          process.removeListener(signal, onSignal);
          process.kill(process.pid, signal);
        }
      });
    };
    process.on(signal, onSignal);
  }
}
