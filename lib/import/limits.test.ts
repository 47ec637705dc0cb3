import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ImportError, normalizeDetails, parseChecklistMarkdown } from "@/lib/import/markdown";
import { MARKDOWN_LIMITS, findShapeProblem } from "@/lib/import/limits";

const shared = path.resolve(process.cwd(), "../shared");

function refusal(markdown: string): ImportError {
  try {
    parseChecklistMarkdown(markdown);
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error("expected an ImportError");
}

const nestedList = (levels: number) => Array.from({ length: levels }, (_, level) => `${"  ".repeat(level)}- [ ] level ${level + 1}`).join("\n");

describe("shape limits, checked before parsing", () => {
  it("every real checklist is within them", () => {
    for (const folder of ["seeds", "corpus"]) {
      for (const file of readdirSync(path.join(shared, folder)).filter((name) => name !== "README.md")) {
        const text = readFileSync(path.join(shared, folder, file), "utf8").replace(/\r\n?/g, "\n");
        expect({ file, problem: findShapeProblem(text) }).toEqual({ file, problem: null });
      }
    }
  });

  it("nesting: list and quote markers and indentation, naming the line", () => {
    expect(parseChecklistMarkdown(nestedList(MARKDOWN_LIMITS.nesting)).stats.maxDepth).toBe(20);
    const error = refusal(`# Deep\n\n${nestedList(41)}\n`);
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("Line 23 is nested 21 levels deep (lists, quotes and indentation); the limit is 20.");
    expect(refusal(`- [ ] x\n\n${"> ".repeat(30)}quoted\n`).message).toBe("Line 3 is nested 30 levels deep (lists, quotes and indentation); the limit is 20.");
    expect(refusal(`- [ ] x\n${"- ".repeat(25)}y\n`).message).toMatch(/^Line 2 is nested 25 levels deep/);
    expect(refusal(`- [ ] x\n>\t>\t>${" ".repeat(60)}- y\n`).message).toMatch(/^Line 2 is nested \d+ levels deep/);
  });

  it("emphasis markers on a line: runs and spread-out delimiters alike", () => {
    expect(refusal(`- [ ] x\n\n${"*_".repeat(200)}\n`).message).toBe("Line 3 has 400 emphasis markers (*, _ or ~); the limit is 100.");
    expect(refusal(`- [ ] x\n\n${"*a_".repeat(60)}\n`).message).toBe("Line 3 has 120 emphasis markers (*, _ or ~); the limit is 100.");
    expect(refusal(`- [ ] x ${"~a".repeat(101)}\n`).message).toBe("Line 1 has 101 emphasis markers (*, _ or ~); the limit is 100.");
    expect(parseChecklistMarkdown(`- [ ] ${"**bold** ".repeat(25)}\n`).stats.items).toBe(1);
  });

  it("emphasis markers in lines without a blank line between them, and in the file", () => {
    const line = "*a_".repeat(50);
    expect(refusal(`- [ ] x\n\n${`${line}\n`.repeat(6)}`).message).toBe(
      "Lines 3–8, with no blank line between them, have 600 emphasis markers (*, _ or ~); the limit is 500.",
    );
    expect(refusal(`- [ ] x\n\n${`${line}\n\n`.repeat(251)}`).message).toBe("The file has 25,100 emphasis markers (*, _ or ~); the limit is 25,000.");
  });

  it("brackets on a line, in a block and in the file", () => {
    expect(refusal(`- [ ] x\n\n${"a]".repeat(201)}\n`).message).toBe("Line 3 has 201 brackets ([ or ]); the limit is 200.");
    expect(refusal(`- [ ] x\n\n${`${"[ (](".repeat(50)}\n`.repeat(11)}`).message).toBe(
      "Lines 3–13, with no blank line between them, have 1,100 brackets ([ or ]); the limit is 1,000.",
    );
    expect(refusal(`- [ ] x\n\n${`${"[a]".repeat(50)}\n\n`.repeat(301)}`).message).toBe("The file has 30,102 brackets ([ or ]); the limit is 30,000.");
  });

  it("lines without a blank line between them (lazy continuation lines are quadratic)", () => {
    expect(refusal(`# T\n\n- [ ] x\n${"y\n".repeat(1_000)}`).message).toBe("Lines 3–1,003 have no blank line between them; the limit is 1,000 lines.");
  });

  it("list items in the file", () => {
    expect(refusal(`${"- [ ] x\n\n".repeat(10_001)}`).message).toBe("The file has 10,001 list items; the limit is 10,000.");
  });

  it("a 1 MB line of plain text is no problem: line length alone is not what makes parsing slow", () => {
    expect(findShapeProblem(`- [ ] x\n\n${"a".repeat(1_000_000)}\n`)).toBeNull();
  });
});

describe("normalizeDetails over a shape limit", () => {
  it("writes the details as a code block instead of parsing them, and they import back as that text", () => {
    const details = `${"*_".repeat(5_000)}\n\n\`\`\`\ncode\n\`\`\``;
    const written = normalizeDetails(details);
    expect(written).toBe(`\`\`\`\`\n${details}\n\`\`\`\``);
    expect(normalizeDetails("plain *emphasis*")).toBe("plain *emphasis*");
  });
});
