// Parsing a Markdown checklist off the request thread. The synchronous parser can still take a
// long time on a file inside the shape limits (or on a bug), and while it runs on the request
// thread every other request waits; in a worker thread it costs at most one deadline of one CPU,
// and a worker over its time or memory is terminated and answered with an ImportError.

import { Worker } from "node:worker_threads";
import { importParseDeadlineSchema } from "@/lib/env";
import { AppError, rateLimited } from "@/lib/errors";
import { ImportError, type ImportResult, type ParseOptions } from "@/lib/import/markdown";
import type { ParseReply, ParseRequest } from "@/lib/import/parse-worker";

// Not imported from parse-worker.ts: importing it here would bundle the worker into the server.
const READY = "ready";

/** How long one file may take to parse, once the parser is loaded: IMPORT_PARSE_DEADLINE_MS, 10 s unless set. */
export function configuredParseDeadlineMs(): number {
  const parsed = importParseDeadlineSchema.safeParse(process.env.IMPORT_PARSE_DEADLINE_MS || undefined);
  // A bad value stops the server at start-up (lib/env.ts); elsewhere (CLI, tests) it is the default.
  return parsed.success ? parsed.data : importParseDeadlineSchema.parse(undefined);
}
/** How long loading the parser may take: a failure of the server, not of the file. */
const STARTUP_DEADLINE_MS = 60_000;
/** The old-generation heap one parse may use: the tree of a 1 MB file of plain task items alone takes 330 MB. */
export const PARSE_MEMORY_MB = 512;
/** Parses running at once; more wait their turn, so a burst of uploads cannot take every CPU and 2 GB. */
export const MAX_CONCURRENT_PARSES = 2;
/** Parses waiting for a turn; more are refused (UNAVAILABLE), so a burst cannot pile up requests and their files without end. */
export const MAX_WAITING_PARSES = 8;

export type SafeParseOptions = ParseOptions & {
  deadlineMs?: number;
  /**
   * Who is parsing (a user's or token's id): each may have one parse running or waiting at a
   * time, so nobody holds both turns; a second at once is refused (RATE_LIMITED). Without one
   * (the CLI, the built-in templates) only the shared bounds apply.
   */
  actorKey?: string;
};

const TOO_SLOW_MESSAGE = "The file took too long to read; split it into smaller files or simplify its formatting.";
const TOO_MUCH_MEMORY_MESSAGE = "The file needs too much memory to read; split it into smaller files.";

const BUSY_MESSAGE = "You already have a file being read; wait for it to finish, then try again.";
const QUEUE_FULL_MESSAGE = "Too many files are being read right now; try again in a few seconds.";

let running = 0;
const waiting: (() => void)[] = [];
/** The actor keys with a parse running or waiting. */
const parsing = new Set<string>();

/** How many parses run and wait now, and for whom (for tests and diagnostics). */
export function parseQueueState(): { running: number; waiting: number; actors: number } {
  return { running, waiting: waiting.length, actors: parsing.size };
}

/** How long a refused caller is asked to wait: about one parse's deadline. */
function retryAfterSeconds(deadlineMs: number): number {
  return Math.max(1, Math.ceil(deadlineMs / 1000));
}

/**
 * A turn to parse, or a refusal decided at once (before any await, so a burst is judged in the
 * order it arrives): RATE_LIMITED when this actor already has a parse running or waiting,
 * UNAVAILABLE when every turn is taken and the waiting line is full.
 */
function takeTurn(actorKey: string | undefined, deadlineMs: number): Promise<() => void> {
  if (actorKey !== undefined && parsing.has(actorKey)) return Promise.reject(rateLimited(BUSY_MESSAGE, retryAfterSeconds(deadlineMs)));
  const mustWait = running >= MAX_CONCURRENT_PARSES;
  if (mustWait && waiting.length >= MAX_WAITING_PARSES) return Promise.reject(new AppError("UNAVAILABLE", QUEUE_FULL_MESSAGE, undefined, undefined, retryAfterSeconds(deadlineMs)));
  if (actorKey !== undefined) parsing.add(actorKey);
  const release = () => {
    running -= 1;
    if (actorKey !== undefined) parsing.delete(actorKey);
    waiting.shift()?.();
  };
  if (!mustWait) {
    running += 1;
    return Promise.resolve(release);
  }
  return new Promise((resolve) =>
    waiting.push(() => {
      running += 1;
      resolve(release);
    }),
  );
}

/**
 * parseChecklistMarkdown in a worker thread with a deadline and a memory limit: the same result,
 * the same ImportErrors, plus TOO_SLOW when the deadline passes. The deadline counts from when
 * the worker starts, not while waiting for a turn. Refused at once, as an AppError with a
 * Retry-After, when the actor already has a parse under way (RATE_LIMITED) or the waiting line
 * is full (UNAVAILABLE).
 */
export async function parseChecklistMarkdownSafely(input: string | Uint8Array, options: SafeParseOptions = {}): Promise<ImportResult> {
  const { deadlineMs = configuredParseDeadlineMs(), actorKey, ...parseOptions } = options;
  const release = await takeTurn(actorKey, deadlineMs);
  try {
    return await parseInWorker({ input, options: parseOptions }, deadlineMs);
  } finally {
    release();
  }
}

function parseInWorker(request: ParseRequest, deadlineMs: number): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    // The literal `new Worker(new URL(…, import.meta.url))` is what Next's bundler recognises and
    // compiles as a separate entry; run from source (tsx, vitest) the worker loads the .ts file
    // through tsx.
    const worker = new Worker(new URL("./parse-worker.ts", import.meta.url), {
      execArgv: workerExecArgv(),
      resourceLimits: { maxOldGenerationSizeMb: PARSE_MEMORY_MB, maxYoungGenerationSizeMb: 32 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      outcome();
    };
    let timer = setTimeout(() => settle(() => reject(new Error("The Markdown parser did not start in time."))), STARTUP_DEADLINE_MS);
    worker.on("message", (reply: ParseReply | typeof READY) => {
      if (reply === READY) {
        clearTimeout(timer);
        timer = setTimeout(() => settle(() => reject(new ImportError("TOO_SLOW", TOO_SLOW_MESSAGE))), deadlineMs);
        worker.postMessage(request);
        return;
      }
      settle(() => {
        if (reply.ok) resolve(reply.result);
        else if ("refusal" in reply) reject(new ImportError(reply.refusal.code, reply.refusal.message));
        else reject(new Error(`The Markdown parser failed: ${reply.failure}`));
      });
    });
    worker.once("error", (error: Error & { code?: string }) =>
      settle(() => reject(error.code === "ERR_WORKER_OUT_OF_MEMORY" ? new ImportError("TOO_LARGE", TOO_MUCH_MEMORY_MESSAGE) : error)),
    );
    worker.once("exit", (code) => settle(() => reject(new Error(`The Markdown parser stopped (exit code ${code}) before answering.`))));
  });
}

/** Run from TypeScript source, the worker needs tsx to load its .ts entry and the `@/` paths. */
function workerExecArgv(): string[] {
  const fromSource = import.meta.url.endsWith(".ts");
  if (!fromSource || process.execArgv.some((arg) => arg.includes("tsx"))) return process.execArgv;
  return [...process.execArgv, "--import", "tsx"];
}
