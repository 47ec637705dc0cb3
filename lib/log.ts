import pino, { type DestinationStream, type Logger } from "pino";

// The server's log: one JSON object per line on stdout, for whatever collects the container's
// output. LOG_LEVEL picks the least severe level written (default info; debug adds a line for
// every HTTP request, not only actions and API routes). Secrets never reach a line: the fields
// below are replaced wherever a caller puts them, at the top or one level down.

const SECRET_FIELDS = ["password", "currentPassword", "newPassword", "token", "secret", "authorization", "cookie", "set-cookie"];

export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.headers.${field}`),
  ...SECRET_FIELDS.map((field) => `*.headers["${field}"]`),
];

const LEVELS = new Set(["fatal", "error", "warn", "info", "debug", "trace", "silent"]);

export function logLevelFromEnv(value: string | undefined = process.env.LOG_LEVEL): string {
  const level = value?.trim().toLowerCase();
  return level && LEVELS.has(level) ? level : "info";
}

/** A logger with the project's fields and redaction; `destination` is for tests. */
export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevelFromEnv(),
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // "level":"warn" reads better in a log search than "level":40.
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    },
    options.destination,
  );
}

// One logger per process: the edge (scripts/server.ts) and Next's bundles of lib/ share it.
const globalForLog = globalThis as unknown as { shipshapeLog?: Logger };

export const log: Logger = (globalForLog.shipshapeLog ??= createLogger());

/** An error as log fields: its name, code, first line and, when asked, its stack; never the whole object, which may hold a query's values. */
export function errorFields(error: unknown, options: { stack?: boolean } = {}): { error: { name: string; message: string; code?: string; stack?: string } } {
  if (!(error instanceof Error)) return { error: { name: "Error", message: String(error) } };
  const code = (error as { code?: unknown }).code;
  return {
    error: {
      name: error.name,
      message: error.message.split("\n", 1)[0] ?? "",
      ...(typeof code === "string" ? { code } : {}),
      ...(options.stack && error.stack ? { stack: error.stack } : {}),
    },
  };
}
