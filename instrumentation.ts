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

/**
 * A page or route that failed on the server: one log line with the digest the browser shows
 * (app/(app)/error.tsx says "Reference for your administrator"), so the two can be matched.
 */
export async function onRequestError(error: unknown, request: { path: string; method: string }, context: { routePath: string; routeType: string }) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ log }, { isDatabaseTimeout }] = await Promise.all([import("./lib/log"), import("./lib/db-errors")]);
  const failure = error instanceof Error ? error : new Error(String(error));
  const digest = (error as { digest?: unknown } | null)?.digest;
  log.error(
    { digest: typeof digest === "string" ? digest : null, method: request.method, path: request.path.split("?", 1)[0], route: context.routePath, routeType: context.routeType, databaseTimeout: isDatabaseTimeout(error), err: { name: failure.name, message: failure.message } },
    `${request.method} ${context.routePath} failed on the server`,
  );
}
