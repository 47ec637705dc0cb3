import type { WorkerUtils } from "graphile-worker";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// graphile-worker frees a job whose worker died (kill -9, out of memory, power loss) only when
// its lock is four hours old. So each running pool writes a heartbeat row under the id it locks
// jobs with, and every pool, at each beat, looks for pools gone silent for longer than the
// staleness bound: their jobs are released with graphile-worker's own force_unlock_workers and
// their rows deleted, and a worker takes the jobs again at its next poll. Locks held by an id
// with no heartbeat row at all (a pool from before heartbeats, or one whose row a sweep already
// removed) are released once the lock itself is older than the bound. All times are the
// database's, so instances' clocks need not agree.
//
// A pool that only stalls past the bound (its event loop blocked, its database unreachable) may
// have its job released while it still runs it: the job then runs twice, which every task
// tolerates already (jobs run at least once; webhooks carry a delivery id).

export type LivenessOptions = {
  /** How often this pool writes its heartbeat and looks for dead pools (default 10 s). */
  heartbeatMs?: number;
  /** A pool silent for longer than this is dead (default 45 s); keep it several beats long. */
  staleAfterMs?: number;
};

export const DEFAULT_HEARTBEAT_MS = 10_000;
export const DEFAULT_STALE_AFTER_MS = 45_000;

export type ReleasedLocks = { workerIds: string[]; jobs: { id: string; task: string }[] };

type Log = (level: "info" | "warning" | "error", message: string) => void;

/** Records that the pool `workerId` is alive now (database time). */
export async function writeHeartbeat(db: PrismaClient, workerId: string): Promise<void> {
  await db.$executeRaw`
    INSERT INTO worker_heartbeats (worker_id, last_seen) VALUES (${workerId}, now())
    ON CONFLICT (worker_id) DO UPDATE SET last_seen = now()`;
}

/**
 * Releases the locks of every pool silent for longer than `staleAfterMs`, and of ids without a
 * heartbeat whose locks are that old, and deletes the dead pools' heartbeat rows. Safe to run
 * from several instances at once: releasing twice changes nothing.
 */
export async function releaseDeadWorkers(db: PrismaClient, utils: Pick<WorkerUtils, "forceUnlockWorkers">, staleAfterMs: number): Promise<ReleasedLocks> {
  const stale = `${Math.max(1, Math.round(staleAfterMs))} milliseconds`;
  const dead = await db.$queryRaw<{ workerId: string }[]>`
    SELECT worker_id AS "workerId" FROM worker_heartbeats WHERE last_seen < now() - ${stale}::interval
    UNION
    SELECT locked_by FROM graphile_worker._private_jobs
    WHERE locked_by IS NOT NULL AND locked_at < now() - ${stale}::interval
      AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = locked_by)
    UNION
    SELECT locked_by FROM graphile_worker._private_job_queues
    WHERE locked_by IS NOT NULL AND locked_at < now() - ${stale}::interval
      AND NOT EXISTS (SELECT 1 FROM worker_heartbeats h WHERE h.worker_id = locked_by)`;
  const workerIds = dead.map((row) => row.workerId).sort();
  if (workerIds.length === 0) return { workerIds, jobs: [] };
  const jobs = await db.$queryRaw<{ id: string; task: string }[]>`
    SELECT j.id::text AS id, t.identifier AS task
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.locked_by = ANY(${workerIds}::text[]) ORDER BY j.id`;
  await utils.forceUnlockWorkers(workerIds);
  // A pool that beat again meanwhile keeps its row (its jobs were released all the same).
  await db.$executeRaw`DELETE FROM worker_heartbeats WHERE worker_id = ANY(${workerIds}::text[]) AND last_seen < now() - ${stale}::interval`;
  return { workerIds, jobs };
}

export type Liveness = {
  /** Ends the beats and deletes this pool's heartbeat row (a pool that stopped holds no jobs). */
  stop(): Promise<void>;
};

/**
 * Beats for the pool `workerId` every `heartbeatMs` and, after each beat, releases dead pools'
 * jobs. Never throws: a failed beat or sweep is logged and tried again at the next one.
 */
export function startLiveness(db: PrismaClient, utils: Pick<WorkerUtils, "forceUnlockWorkers">, workerId: string, options: LivenessOptions, log: Log): Liveness {
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const beat = async () => {
    try {
      await writeHeartbeat(db, workerId);
    } catch (error) {
      log("warning", `heartbeat failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    try {
      const released = await releaseDeadWorkers(db, utils, staleAfterMs);
      if (released.workerIds.length > 0) {
        const jobs = released.jobs.length ? released.jobs.map((job) => `${job.id} (${job.task})`).join(", ") : "none";
        log("warning", `released the jobs of workers silent for over ${Math.round(staleAfterMs / 1000)} s: ${released.workerIds.join(", ")}; jobs: ${jobs}`);
      }
    } catch (error) {
      log("warning", `looking for dead workers failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = beat().finally(schedule);
    }, heartbeatMs);
    // The worker's pool keeps a running process alive; this timer alone must not.
    timer.unref();
  };
  running = beat().finally(schedule);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await db.$executeRaw`DELETE FROM worker_heartbeats WHERE worker_id = ${workerId}`.catch((error: unknown) =>
        log("warning", `could not remove the heartbeat: ${error instanceof Error ? error.message : String(error)}`),
      );
    },
  };
}
