import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { ImportError, parseChecklistMarkdown } from "@/lib/import/markdown";
import { MAX_CONCURRENT_PARSES, MAX_WAITING_PARSES, parseChecklistMarkdownSafely, parseQueueState } from "@/lib/import/safe-parse";

const shared = path.resolve(process.cwd(), "../shared");

/** The error `run` fails with, when it is of `kind` (anything else, or success, fails the test). */
async function failure<E extends Error>(kind: new (...args: never[]) => E, run: Promise<unknown>): Promise<E> {
  try {
    await run;
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected ${kind.name}`);
}

const refusal = (run: Promise<unknown>) => failure(ImportError, run);
const appRefusal = (run: Promise<unknown>) => failure(AppError, run);

/** Inside every shape limit, but seconds of parsing: 990 lines of a list item's lazy continuation, repeated. */
const SLOW = `${"- [ ] x\n".concat("y ".repeat(20).concat("\n").repeat(990), "\n")}`.repeat(20);


describe("parseChecklistMarkdownSafely: the parser in a worker thread", () => {
  it("gives what the synchronous parser gives", async () => {
    const file = readFileSync(path.join(shared, "corpus/05_gitlab-operational-readiness.md"));
    expect(await parseChecklistMarkdownSafely(file)).toEqual(parseChecklistMarkdown(file));
  });

  it("passes on the parser's refusals and options", async () => {
    const error = await refusal(parseChecklistMarkdownSafely("# Nothing\n"));
    expect(error.code).toBe("NO_ITEMS");
    expect((await refusal(parseChecklistMarkdownSafely(`- [ ] x ${"*_".repeat(60)}\n`))).message).toBe(
      "Line 1 has 120 emphasis markers (*, _ or ~); the limit is 100.",
    );
    expect((await refusal(parseChecklistMarkdownSafely("- [ ] x\n".repeat(300), { maxBytes: 2048 }))).message).toBe("The file is 2.3 KB; the limit is 2 KB.");
  });

  it("stops a parse over its deadline with TOO_SLOW while the calling thread stays responsive", async () => {
    // Inside every shape limit, but seconds of parsing: 990 lines of a list item's lazy continuation, repeated.
    const slow = SLOW;
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks += 1;
    }, 10);
    const deadlineMs = 1_000;
    const started = performance.now();
    const error = await refusal(parseChecklistMarkdownSafely(slow, { deadlineMs }).finally(() => clearInterval(ticker)));
    const elapsed = performance.now() - started;
    expect(error.code).toBe("TOO_SLOW");
    expect(error.message).toBe("The file took too long to read; split it into smaller files or simplify its formatting.");
    // The main thread kept ticking: its longest pause is a fraction of the time the parse ran.
    expect(ticks).toBeGreaterThan(5);
    expect(longestGap).toBeLessThan(elapsed / 2);
  });
});

describe("parseChecklistMarkdownSafely: who may parse, and how many wait", () => {
  // Turns are decided when a parse is asked for, before anything runs: every refusal below is of
  // a parse asked for while the slow ones are certainly under way, whatever the machine's speed.
  // The slow parses end at their deadline (TOO_SLOW); the test waits for them to settle.

  it("gives each person one parse at a time: a second at once is refused as busy (429, Retry-After), another person's goes ahead", async () => {
    // Taken up at once (refusal awaits it), so its TOO_SLOW is never an unhandled rejection.
    const first = refusal(parseChecklistMarkdownSafely(SLOW, { actorKey: "alice", deadlineMs: 1_000 }));
    expect(parseQueueState()).toEqual({ running: 1, waiting: 0, actors: 1 });

    const busy = await appRefusal(parseChecklistMarkdownSafely("- [ ] x\n", { actorKey: "alice" }));
    expect(busy.code).toBe("RATE_LIMITED");
    expect(busy.status).toBe(429);
    expect(busy.message).toBe("You already have a file being read; wait for it to finish, then try again.");
    expect(busy.retryAfterSeconds).toBeGreaterThanOrEqual(1);

    // Someone else's parse is neither refused nor held up by Alice's.
    const bob = await parseChecklistMarkdownSafely("- [ ] x\n", { actorKey: "bob" });
    expect(bob.stats.items).toBe(1);

    expect((await first).code).toBe("TOO_SLOW");
    expect(parseQueueState()).toEqual({ running: 0, waiting: 0, actors: 0 });
    // Once her parse has ended, Alice may parse again.
    expect((await parseChecklistMarkdownSafely("- [ ] x\n", { actorKey: "alice" })).stats.items).toBe(1);
  });

  it("counts a waiting parse as the person's one, and refuses beyond the waiting line with UNAVAILABLE (503, Retry-After)", async () => {
    expect(MAX_CONCURRENT_PARSES).toBe(2);
    // Two people's slow files hold both turns.
    const holding = [refusal(parseChecklistMarkdownSafely(SLOW, { actorKey: "alice", deadlineMs: 1_000 })), refusal(parseChecklistMarkdownSafely(SLOW, { actorKey: "bob", deadlineMs: 1_000 }))];
    expect(parseQueueState()).toEqual({ running: 2, waiting: 0, actors: 2 });

    // Carol waits; her second parse is refused while her first only waits.
    const carol = parseChecklistMarkdownSafely("- [ ] carol\n", { actorKey: "carol" });
    expect(parseQueueState()).toMatchObject({ running: 2, waiting: 1 });
    expect((await appRefusal(parseChecklistMarkdownSafely("- [ ] again\n", { actorKey: "carol" }))).code).toBe("RATE_LIMITED");

    // Parses without an actor (the CLI) have no per-person limit, but the line is bounded for them too.
    const keyless = Array.from({ length: MAX_WAITING_PARSES - 1 }, (_, index) => parseChecklistMarkdownSafely(`- [ ] item ${index}\n`));
    expect(parseQueueState()).toEqual({ running: 2, waiting: MAX_WAITING_PARSES, actors: 3 });

    for (const options of [{ actorKey: "dave" }, {}]) {
      const full = await appRefusal(parseChecklistMarkdownSafely("- [ ] x\n", options));
      expect(full.code).toBe("UNAVAILABLE");
      expect(full.status).toBe(503);
      expect(full.message).toBe("Too many files are being read right now; try again in a few seconds.");
      expect(full.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    }
    // A refused parse takes no place: Dave was never counted.
    expect(parseQueueState()).toEqual({ running: 2, waiting: MAX_WAITING_PARSES, actors: 3 });

    // The slow ones end at their deadline; everyone who waited is then served, in turn.
    expect((await Promise.all(holding)).map((error) => error.code)).toEqual(["TOO_SLOW", "TOO_SLOW"]);
    expect((await carol).stats.items).toBe(1);
    expect((await Promise.all(keyless)).map((result) => result.stats.items)).toEqual(keyless.map(() => 1));
    expect(parseQueueState()).toEqual({ running: 0, waiting: 0, actors: 0 });
    expect((await parseChecklistMarkdownSafely("- [ ] x\n", { actorKey: "dave" })).stats.items).toBe(1);
    // Each of the ten files served starts a worker of its own (seconds each under tsx), two at a time.
  }, 180_000);
});
