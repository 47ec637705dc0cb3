import { startWorkerFromEnv } from "@/lib/jobs/worker";

// The server's worker alone, configured by the environment as in the server (SHIPSHAPE_WORKER,
// DATABASE_URL, WORKER_HEARTBEAT_MS, …), for tests that kill its process. Prints its worker id
// once it runs: "worker <id>".
const worker = await startWorkerFromEnv();
if (!worker) process.exit(1);
process.stdout.write(`worker ${worker.workerId}\n`);
