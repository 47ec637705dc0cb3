import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ImportError, parseChecklistMarkdown } from "@/lib/import/markdown";
import { parseChecklistMarkdownSafely } from "@/lib/import/safe-parse";

const shared = path.resolve(process.cwd(), "../shared");

async function refusal(run: Promise<unknown>): Promise<ImportError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error("expected an ImportError");
}

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
    const slow = `${"- [ ] x\n".concat("y ".repeat(20).concat("\n").repeat(990), "\n")}`.repeat(20);
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
