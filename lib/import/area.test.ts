import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateAreaGuesses, formatConfusion, guessArea, matchLabels, parseAreaLabels, tokenize } from "@/lib/import/area";
import labelsJson from "@/lib/import/area-labels.json";
import { parseChecklistMarkdown } from "@/lib/import/markdown";

const seedsDir = path.resolve(process.cwd(), "../shared/seeds");

/** Set just under the measured accuracy (175/189 = 92.6%), so a regression fails the test. */
const ACCURACY_FLOOR = 0.92;

describe("area guess accuracy on the labelled seeds", () => {
  const labels = parseAreaLabels(labelsJson);

  it("labels every task item of seeds 000, 001 and 002", () => {
    expect(labels).toHaveLength(189);
    expect([...new Set(labels.map((label) => label.file))]).toEqual([
      "000_dafddfabcb8469d7.txt",
      "001_c499410096c58fa3.txt",
      "002_a2e8625e54311e02.txt",
    ]);
  });

  it(`agrees with the labels at least ${ACCURACY_FLOOR * 100}% of the time`, () => {
    const files = [...new Set(labels.map((label) => label.file))];
    const imported = files.map((file) => ({ file, checklist: parseChecklistMarkdown(readFileSync(path.join(seedsDir, file))).checklist }));
    const results = matchLabels(imported, labels);
    const summary = evaluateAreaGuesses(results.map(({ label, guessed }) => ({ expected: label.area, guessed })));
    console.log(`Area guess accuracy: ${summary.correct}/${summary.total} = ${(summary.accuracy * 100).toFixed(1)}%`);
    console.log(formatConfusion(summary.confusion));
    expect(summary.total).toBe(189);
    expect(summary.accuracy).toBeGreaterThanOrEqual(ACCURACY_FLOOR);
  });
});

describe("guessArea", () => {
  it("matches words, not parts of words", () => {
    expect(guessArea("", "Collect user feedback")).toBe("GENERAL"); // "db" is inside "feedback"
    expect(guessArea("", "Check the db size")).toBe("DBA");
    expect(guessArea("", "Rebuild the index")).toBe("DBA");
    expect(guessArea("", "Add a logo to the login page")).toBe("SECURITY"); // "login", not "log"
    expect(guessArea("", "Keep a changelog")).toBe("GENERAL");
  });

  it("splits words on punctuation and case", () => {
    expect(tokenize("SECRET_KEY, CI/CD & k8s")).toEqual(["secret", "key", "ci", "cd", "k8s"]);
    expect(guessArea("", "Set JWT_SECRET_KEY")).toBe("SECURITY");
    expect(guessArea("", "Run the CI/CD pipeline")).toBe("DEVOPS");
    expect(guessArea("", "Enable Postgres PITR")).toBe("DBA");
  });

  it("lets a clear signal in the item win over the section title", () => {
    expect(guessArea("Database", "Rotate the TLS certificate")).toBe("SECURITY");
    expect(guessArea("Security Hardening", "Add database indexes")).toBe("DBA");
    expect(guessArea("Monitoring", "Restrict SSH access")).toBe("SECURITY");
  });

  it("uses the section title to break ties and when the item says nothing", () => {
    expect(guessArea("Database", "Monitor replica lag")).toBe("DBA");
    expect(guessArea("Monitoring", "Monitor replica lag")).toBe("DEVOPS");
    expect(guessArea("", "Monitor replica lag")).toBe("DBA"); // a tie with no section: the more specific owner
    expect(guessArea("Security Hardening", "Review quarterly")).toBe("SECURITY");
    expect(guessArea("Kubernetes", "Review quarterly")).toBe("DEVOPS");
  });

  it("falls back to GENERAL", () => {
    expect(guessArea("Launch", "Announce on the blog")).toBe("GENERAL");
    expect(guessArea("", "")).toBe("GENERAL");
    expect(guessArea("Testing", "Run the end-to-end tests")).toBe("GENERAL");
  });
});

describe("evaluation helpers", () => {
  it("computes accuracy and the confusion matrix", () => {
    const summary = evaluateAreaGuesses([
      { expected: "DBA", guessed: "DBA" },
      { expected: "DBA", guessed: "DEVOPS" },
      { expected: "SECURITY", guessed: "SECURITY" },
      { expected: "GENERAL", guessed: "SECURITY" },
    ]);
    expect(summary).toMatchObject({ total: 4, correct: 2, accuracy: 0.5 });
    expect(summary.confusion.DBA).toEqual({ DEVOPS: 1, DBA: 1, SECURITY: 0, GENERAL: 0 });
    expect(summary.confusion.GENERAL.SECURITY).toBe(1);
    expect(formatConfusion(summary.confusion).split("\n")).toHaveLength(5);
  });

  it("refuses labels that do not line up with the imported items", () => {
    const { checklist } = parseChecklistMarkdown("## S\n\n- [ ] one\n- [ ] two\n");
    const label = { file: "f", section: "S", title: "one", area: "GENERAL" as const };
    expect(() => matchLabels([{ file: "f", checklist }], [label, { ...label, title: "zwei" }])).toThrow(/does not match/);
    expect(() => matchLabels([{ file: "f", checklist }], [label])).toThrow(/2 items; there are 1 labels/);
    expect(() => parseAreaLabels([{ ...label, area: "OPS" }])).toThrow(/Area label 0/);
  });
});
