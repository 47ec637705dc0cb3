-- Liveness of job-worker pools: each running pool refreshes its row; a stale row (or a job locked
-- by a pool with no row for longer than the staleness bound) means a dead process whose jobs
-- another instance releases with graphile_worker.force_unlock_workers (lib/jobs/liveness.ts).

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);
