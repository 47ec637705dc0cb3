/** True when a write failed on a unique constraint (Prisma's P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

// What node-postgres, its pool, PostgreSQL and Prisma report when the database did not answer
// within our limits (lib/db.ts): no connection in time, no reply to a query in time, a statement
// or lock wait cancelled by the server's own timeout, no transaction started in time.
const TIMEOUT_MESSAGES = [
  "Query read timeout",
  "timeout exceeded when trying to connect",
  "Connection terminated due to connection timeout",
  // node-postgres' own Client (not the pool) when a connection did not open in time.
  "timeout expired",
  "canceling statement due to statement timeout",
  "canceling statement due to lock timeout",
  "Unable to start a transaction in the given time",
  // A database restarting or stopped: it refuses connections, ends the ones it had, or is not
  // ready yet. Equally "try again shortly", and the pool reconnects by itself once it is back.
  "Connection terminated unexpectedly",
  "connect ECONNREFUSED",
  "the database system is starting up",
  "the database system is shutting down",
  "the database system is in recovery mode",
  "terminating connection due to administrator command",
  "the database system is not yet accepting connections",
  // Prisma's words for the same, when it wraps the driver's error in its own.
  "Server has closed the connection",
  "Can't reach database server",
];
// query_canceled, lock_not_available (PostgreSQL); transaction start timed out (Prisma).
// admin_shutdown, crash_shutdown, cannot_connect_now (PostgreSQL restarting); ECONNREFUSED (down).
const TIMEOUT_CODES = new Set(["57014", "55P03", "P2028", "57P01", "57P02", "57P03", "ECONNREFUSED", "P1001", "P1017"]);
// Prisma's driver adapter (@prisma/adapter-pg) raises a DriverAdapterError whose message may be
// no more than its kind (e.g. "ConnectionClosed" for a socket reset by a crashing server); the
// kind is the reliable part.
const TIMEOUT_KINDS = new Set(["ConnectionClosed", "DatabaseNotReachable", "SocketTimeout", "TooManyConnections"]);

/**
 * True when an error (or one it wraps: Prisma nests the driver's error under `cause`) means the
 * database did not answer in time. Such a request may well succeed a little later.
 */
export function isDatabaseTimeout(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (typeof current === "object" && current !== null && !seen.has(current)) {
    seen.add(current);
    const { code, originalCode, kind, message, cause } = current as { code?: unknown; originalCode?: unknown; kind?: unknown; message?: unknown; cause?: unknown };
    if (typeof kind === "string" && TIMEOUT_KINDS.has(kind)) return true;
    if ((typeof code === "string" && TIMEOUT_CODES.has(code)) || (typeof originalCode === "string" && TIMEOUT_CODES.has(originalCode))) return true;
    if (typeof message === "string" && TIMEOUT_MESSAGES.some((text) => message.includes(text))) return true;
    current = cause;
  }
  return false;
}
