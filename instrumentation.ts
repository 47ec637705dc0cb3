// Runs once when a server instance starts. The Node-only part lives in its own module, as
// Next.js recommends, so that the Edge bundle never sees it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    await import("./lib/startup-check");
    // /metrics (served by the edge, scripts/server.ts) reads the job queue and the audit chain
    // through the app's own database client.
    const [{ setDatabaseFigures }, { readDatabaseFigures }] = await Promise.all([import("./lib/metrics"), import("./lib/health")]);
    setDatabaseFigures(() => readDatabaseFigures());
    // Notification delivery and reminders run in the server process unless SHIPSHAPE_WORKER=off.
    const { startWorkerFromEnv } = await import("./lib/jobs/worker");
    await startWorkerFromEnv();
  }
}
