import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ChecklistData, ChecklistItemData, ExportChecklist, ExportItem, ItemStatus } from "@/lib/checklists/types";
import { toCsv, toJson, toMarkdown } from "@/lib/export/checklist";
import { parseChecklistMarkdown } from "@/lib/import/markdown";

const shared = path.resolve(process.cwd(), "../shared");
const realFiles = [
  "seeds/000_dafddfabcb8469d7.txt",
  "seeds/001_c499410096c58fa3.txt",
  "seeds/002_a2e8625e54311e02.txt",
  "seeds/003_330e4c899006af03.txt",
  "seeds/004_8944ec2c533102e2.txt",
  "corpus/01_kgoralski-microservice-prr.md",
  "corpus/03_shieldfy-api-security-checklist.md",
  "corpus/05_gitlab-operational-readiness.md",
  "corpus/07_front-end-checklist.md",
  "corpus/09_k8s-kep-2896-prr-filled.md",
];

function item(title: string, overrides: Partial<ExportItem> = {}): ExportItem {
  return {
    title,
    details: "",
    area: "GENERAL",
    required: true,
    status: "TODO",
    assignee: null,
    assigneeEmail: null,
    statusReason: null,
    waiver: null,
    dueAt: null,
    evidenceCount: 0,
    children: [],
    ...overrides,
  };
}

function exportOf(sections: ExportChecklist["sections"], name = "Shipshape"): ExportChecklist {
  return { project: { slug: "shipshape", name }, exportedAt: "2026-11-23T12:00:00.000Z", sections };
}

/** What an export is built from after an import: the imported data with no work done yet. */
function fromImport(checklist: ChecklistData): ExportChecklist {
  const toItem = ({ work: _work, ...entry }: ChecklistItemData): ExportItem => ({
    ...entry,
    assignee: null,
    assigneeEmail: null,
    statusReason: null,
    waiver: null,
    dueAt: null,
    evidenceCount: 0,
    children: entry.children.map(toItem),
  });
  return exportOf(checklist.sections.map((section) => ({ title: section.title, items: section.items.map(toItem) })));
}

type Shape = { title: string; details: string; done: boolean; children: Shape[] };

/** What a Markdown round trip must keep: section titles, item titles, nesting, done states, details. */
function shapeOf(sections: { title: string; items: (ChecklistItemData | ExportItem)[] }[]) {
  const shape = (entry: ChecklistItemData | ExportItem): Shape => ({
    title: entry.title,
    details: entry.details,
    done: entry.status === "DONE",
    children: entry.children.map(shape),
  });
  return sections.map((section) => ({ title: section.title, items: section.items.map(shape) }));
}

const reimport = (checklist: ExportChecklist) => parseChecklistMarkdown(toMarkdown(checklist));

describe("toMarkdown", () => {
  it("writes an H1 with the project, ## sections, task items nested by indentation and details under their item", () => {
    const markdown = toMarkdown(
      exportOf([
        {
          title: "Database",
          items: [
            item("Backups tested", {
              status: "DONE",
              details: "Restore into staging.\n\nTwice a year.",
              children: [item("PITR enabled", { status: "IN_PROGRESS" })],
            }),
            item("Indexes reviewed"),
          ],
        },
      ]),
    );
    expect(markdown).toBe(
      [
        "# Shipshape",
        "",
        "<!-- shipshape-checklist v1 -->",
        "",
        "## Database",
        "",
        "- [x] Backups tested",
        '  <!-- shipshape-item {"area":"GENERAL","required":true,"status":"DONE"} -->',
        "",
        "  Restore into staging.",
        "",
        "  Twice a year.",
        "",
        "  - [ ] PITR enabled",
        '    <!-- shipshape-item {"area":"GENERAL","required":true,"status":"IN_PROGRESS"} -->',
        "",
        "- [ ] Indexes reviewed",
        '  <!-- shipshape-item {"area":"GENERAL","required":true,"status":"TODO"} -->',
        "",
      ].join("\n"),
    );
  });

  it("checks DONE items only", () => {
    const statuses: ItemStatus[] = ["TODO", "IN_PROGRESS", "BLOCKED", "DONE", "NOT_APPLICABLE", "WAIVED"];
    const waiver = { riskOwner: "Ada", riskOwnerEmail: null, controls: null, expiresAt: "2027-01-31T23:59:59.999Z" };
    const entries = statuses.map((status) => item(status, { status, statusReason: ["BLOCKED", "NOT_APPLICABLE", "WAIVED"].includes(status) ? "Why" : null, waiver: status === "WAIVED" ? waiver : null }));
    const markdown = toMarkdown(exportOf([{ title: "S", items: entries }]));
    expect(markdown).toContain("- [x] DONE\n");
    for (const status of statuses.filter((status) => status !== "DONE")) expect(markdown).toContain(`- [ ] ${status}\n`);
    expect(reimport(exportOf([{ title: "S", items: entries }])).stats.checked).toBe(1);
  });

  it("escapes Markdown in the project name and section titles", () => {
    const checklist = exportOf(
      [
        { title: "*Not emphasis* #1 <b>", items: [item("a")] },
        { title: "C#", items: [item("b")] },
        { title: "", items: [item("c")] },
      ],
      "# Project *one*\nline two",
    );
    const markdown = toMarkdown(checklist);
    expect(markdown.split("\n")[0]).toBe("# # Project \\*one\\* line two");
    const result = parseChecklistMarkdown(markdown);
    expect(result.checklist.title).toBe("# Project *one* line two");
    expect(result.checklist.sections.map((section) => section.title)).toEqual(["*Not emphasis* #1 <b>", "C#", "Untitled section"]);
  });

  it.each(realFiles)("round-trips %s: import, export, import again", (file) => {
    const first = parseChecklistMarkdown(readFileSync(path.join(shared, file)));
    const second = reimport(fromImport(first.checklist));
    expect(shapeOf(second.checklist.sections)).toEqual(shapeOf(first.checklist.sections));
    expect(second.stats).toEqual(first.stats);
  });

  it("round-trips an adversarial import: escapes, HTML, scripts, code with fake items, deep nesting", () => {
    const source = [
      "# Doc",
      "",
      "## \\# Not a heading *but emphasis*",
      "",
      "- [ ] \\# hash, \\* star, 1\\. dot, \\[x] box, `- [ ] code`, a | b, trailing \\\\",
      "- [x] **Bold** \\- dash stays in the title",
      "- [ ] **Lead** - the description, then more:",
      "",
      "  ```md",
      "  - [ ] fake item in code",
      "  ```",
      "",
      "  <!-- - [ ] fake item in a comment -->",
      "",
      "  | a | [ ] |",
      "  | - | --- |",
      "  | 1 | [x] |",
      "",
      "  > quoted",
      "  > text",
      "",
      "  1. ordered",
      "  2. list",
      "",
      "  * plain",
      "",
      "    nested paragraph",
      "  - [x] child with details",
      "",
      "    Line one",
      "    line two.",
      "",
      "    - [ ] grandchild",
      "      - [ ] level 4",
      "        - [x] level 5",
      "- [ ] Fix <script>alert(1)</script> and [x](javascript:alert(1)) ✅ ‚úÖ",
      "",
      "  <script>alert(2)</script>",
      "",
      "- [ ] See https://example.com/a_b and <https://example.com/c> and www.example.org",
    ].join("\n");
    const first = parseChecklistMarkdown(source);
    expect(first.stats).toEqual({ sections: 1, items: 9, checked: 3, maxDepth: 5 });
    const second = reimport(fromImport(first.checklist));
    expect(shapeOf(second.checklist.sections)).toEqual(shapeOf(first.checklist.sections));
    expect(second.stats).toEqual(first.stats);
  });

  it("keeps each title on one task line and never lets it change the structure", () => {
    const tricky = [
      "# not a heading",
      "1. not a list",
      "- not a bullet",
      "> not a quote",
      "```not a fence",
      "<!-- not a comment",
      "<details>",
      "| a | b |",
      "two\nlines",
      "ends with a backslash \\",
    ];
    const result = reimport(exportOf([{ title: "S", items: tricky.map((title) => item(title, { children: [item("child")] })) }]));
    expect(result.stats).toEqual({ sections: 1, items: tricky.length * 2, checked: 0, maxDepth: 2 });
    const items = result.checklist.sections[0]?.items ?? [];
    expect(items.map((entry) => entry.children.map((child) => child.title))).toEqual(tricky.map(() => ["child"]));
    // Read back in the importer's form: Markdown that renders the same text, even on its own.
    expect(items.map((entry) => entry.title)).toEqual([
      "\\# not a heading",
      "1\\. not a list",
      "\\- not a bullet",
      "\\> not a quote",
      "\\`\\`\\`not a fence",
      "\\<!-- not a comment",
      "<details>",
      "\\| a | b |",
      "two lines",
      "ends with a backslash \\\\",
    ]);
    const again = reimport(fromImport(result.checklist));
    expect(shapeOf(again.checklist.sections)).toEqual(shapeOf(result.checklist.sections));
  });

  it("escapes the separator of a title that starts in bold, so it is not read as title plus details", () => {
    const titles = ["**Owner** - DevOps", "**Owner**: DevOps", "**Owner** – on call", "**Owner** — on call"];
    const markdown = toMarkdown(exportOf([{ title: "S", items: titles.map((title) => item(title)) }]));
    expect(markdown).toContain("- [ ] **Owner** \\- DevOps\n");
    expect(markdown).toContain("- [ ] **Owner** &#x2013; on call\n");
    const result = parseChecklistMarkdown(markdown);
    expect(result.checklist.sections[0]?.items.map((entry) => [entry.title, entry.details])).toEqual(titles.map((title) => [title, ""]));
  });

  it("writes “(untitled)” for an empty title: `- [ ]` alone is not a task item", () => {
    const result = reimport(exportOf([{ title: "S", items: [item("  ", { children: [item("child")] })] }]));
    expect(result.checklist.sections[0]?.items[0]?.title).toBe("(untitled)");
    expect(result.stats.items).toBe(2);
  });

  it("keeps details that hold task items as details, not children", () => {
    const result = reimport(exportOf([{ title: "S", items: [item("parent", { details: "- [ ] looks like a task\n- [x] and done" })] }]));
    const [parent] = result.checklist.sections[0]?.items ?? [];
    expect(parent?.children).toEqual([]);
    expect(parent?.details).toBe("* \\[ ] looks like a task\n* \\[x] and done");
    expect(result.stats.items).toBe(1);
  });

  it("keeps details lists apart from the item's children", () => {
    const original = exportOf([
      {
        title: "S",
        items: [item("parent", { details: "* one\n* two", children: [item("child", { details: "* other bullet" })] })],
      },
    ]);
    const result = reimport(original);
    expect(shapeOf(result.checklist.sections)).toEqual(shapeOf(original.sections));
  });

  it("keeps the structure of details indented with tabs or spaces", () => {
    const result = reimport(exportOf([{ title: "S", items: [item("parent", { details: "text\n\n\tindented code\n\n    more code" })] }]));
    expect(result.checklist.sections[0]?.items[0]?.details).toBe("text\n\n```\nindented code\n\nmore code\n```");
  });

  it("round-trips single- and multi-line details", () => {
    const original = exportOf([
      {
        title: "S",
        items: [
          item("single", { details: "One line." }),
          item("multi", { details: "Line one\nline two.\n\nSecond paragraph with `code`.", status: "DONE" }),
          item("code", { details: "```sh\necho '- [ ] not an item'\n```" }),
        ],
      },
    ]);
    expect(shapeOf(reimport(original).checklist.sections)).toEqual(shapeOf(original.sections));
  });
});

describe("toMarkdown: the work on each item", () => {
  const waiver = { riskOwner: "Ada Lovelace", riskOwnerEmail: "ada@example.com", controls: "Nightly restore drill --> alerts", expiresAt: "2027-03-31T23:59:59.999Z" };
  const original = exportOf([
    {
      title: "Release",
      items: [
        item("Backups restored", { area: "DBA", status: "WAIVED", statusReason: "Restore <b>tested</b> next sprint", waiver, assigneeEmail: "bo@example.com", dueAt: "2026-12-10T22:59:59.999Z" }),
        item("Feature flags", { area: "SECURITY", required: false, status: "NOT_APPLICABLE", statusReason: "No flags in use." }),
        item("Runbook", { status: "BLOCKED", statusReason: "Waiting on ops.", children: [item("Pager rota", { status: "IN_PROGRESS", area: "DBA" })] }),
        item("Alerts", { status: "DONE", area: "DEVOPS" }),
      ],
    },
  ]);

  it("writes one comment per item that no text in it can end, and GitHub still sees the same task list", () => {
    const markdown = toMarkdown(original);
    const comments = markdown.split("\n").filter((line) => line.trim().startsWith("<!-- shipshape-item "));
    expect(comments).toHaveLength(5);
    for (const line of comments) expect(line.trim().slice(4, -3)).not.toMatch(/-->|[<>]/);
    expect(markdown).toContain("- [x] Alerts\n");
    expect(markdown).toContain("- [ ] Backups restored\n");
  });

  it("imports back every status, reason, waiver, area, required flag, assignee and due date", () => {
    const result = reimport(original);
    const [backups, flags, runbook, alerts] = result.checklist.sections[0]!.items;
    expect(backups).toMatchObject({ area: "DBA", status: "WAIVED", required: true });
    expect(backups?.work).toEqual({ statusReason: "Restore <b>tested</b> next sprint", waiver, assigneeEmail: "bo@example.com", dueAt: "2026-12-10T22:59:59.999Z" });
    expect(flags).toMatchObject({ area: "SECURITY", required: false, status: "NOT_APPLICABLE", work: { statusReason: "No flags in use." } });
    expect(runbook).toMatchObject({ area: "GENERAL", status: "BLOCKED", work: { statusReason: "Waiting on ops." } });
    expect(runbook?.children[0]).toMatchObject({ title: "Pager rota", area: "DBA", status: "IN_PROGRESS" });
    expect(alerts).toMatchObject({ area: "DEVOPS", status: "DONE" });
    expect(result.stats).toEqual({ sections: 1, items: 5, checked: 1, maxDepth: 2 });
  });

  it("writes no comments for a template's Markdown", () => {
    expect(toMarkdown(original, { itemData: false })).not.toContain("<!--");
  });
});

describe("levels in the round trip", () => {
  const levels = ["Experiment", "Beta", "GA <first>"];
  const original: ExportChecklist = {
    ...exportOf([
      {
        title: "Release",
        items: [item("Health check", { level: 0 }), item("Load test", { level: 1, children: [item("Soak test", { level: 2, status: "DONE" })] }), item("Chaos day", { level: 2, required: false })],
      },
    ]),
    levels,
    targetLevel: 1,
  };

  it("writes the levels under the marker and each item's level by name, in comments no text can end", () => {
    const markdown = toMarkdown(original);
    const lines = markdown.split("\n");
    expect(lines.slice(0, 5)).toEqual(["# Shipshape", "", "<!-- shipshape-checklist v1 -->", "", '<!-- shipshape-levels {"levels":["Experiment","Beta","GA \\u003cfirst\\u003e"]} -->']);
    expect(markdown).toContain('"level":"Beta"');
  });

  it("imports back the levels and every item's level", () => {
    const result = reimport(original);
    expect(result.checklist.levels).toEqual(levels);
    const [health, load, chaos] = result.checklist.sections[0]!.items;
    expect([health?.level, load?.level, load?.children[0]?.level, chaos?.level]).toEqual([0, 1, 2, 2]);
    expect(result.stats).toEqual({ sections: 1, items: 4, checked: 1, maxDepth: 2 });
  });

  it("writes neither levels nor item levels for a checklist without levels, and template Markdown has no comments", () => {
    const plain = toMarkdown(exportOf(original.sections));
    expect(plain).not.toContain("shipshape-levels");
    expect(plain).not.toContain('"level"');
    expect(reimport(exportOf(original.sections)).checklist).not.toHaveProperty("levels");
    expect(toMarkdown(original, { itemData: false })).not.toContain("<!--");
  });

  it("refuses an item at a level the file does not list, and a malformed levels comment, naming the line", () => {
    const unknown = toMarkdown(original).replace('"level":"Beta"', '"level":"Gold"');
    expect(() => parseChecklistMarkdown(unknown)).toThrow(/Line \d+: the item's level "Gold" is not one of the file's levels/);
    const withoutLevels = toMarkdown(original).replace(/<!-- shipshape-levels .* -->\n\n/, "");
    expect(() => parseChecklistMarkdown(withoutLevels)).toThrow(/names the level "Experiment" but the file lists no levels/);
    const single = toMarkdown(original).replace(/\{"levels":\[[^\]]*\]\}/, '{"levels":["Only"]}');
    expect(() => parseChecklistMarkdown(single)).toThrow(/Line 5: the levels comment is invalid/);
    const twice = toMarkdown(original).replace(/\{"levels":\[[^\]]*\]\}/, '{"levels":["Beta","beta"]}');
    expect(() => parseChecklistMarkdown(twice)).toThrow(/Line 5: the levels comment is invalid/);
  });

  it("reads a levels comment in a file without the marker as plain HTML", () => {
    const foreign = "# Review\n\n<!-- shipshape-levels {\"levels\":[\"A\",\"B\"]} -->\n\n- [ ] One\n";
    expect(parseChecklistMarkdown(foreign).checklist).toEqual({ title: "Review", sections: [{ title: "Review", items: [expect.objectContaining({ title: "One" })] }] });
  });

  it("gives the level's name in CSV and JSON, and the levels with the target in JSON", () => {
    const rows = readCsv(toCsv(original));
    expect(rows.slice(1).map((row) => row[9])).toEqual(["Experiment", "Beta", "GA <first>", "GA <first>"]);
    const json = JSON.parse(toJson(original));
    expect(json).toMatchObject({ levels, targetLevel: "Beta" });
    expect(json.sections[0].items.map((entry: { level: string }) => entry.level)).toEqual(["Experiment", "Beta", "GA <first>"]);
  });
});

/** A small RFC 4180 reader for checking what toCsv writes. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\r" && text[index + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      index++;
    } else field += char;
  }
  if (field !== "" || row.length > 0) throw new Error("CSV does not end with CRLF");
  return rows;
}

describe("toCsv", () => {
  const checklist = exportOf([
    {
      title: "Security, \"core\"",
      items: [
        item("First", { area: "SECURITY", status: "DONE", assignee: "ada@example.com", dueAt: "2026-12-01T22:59:59.999Z", evidenceCount: 2 }),
        item("Second\nline", {
          required: false,
          children: [item("Nested =1+1"), item("Deeper", { children: [item("Deepest")] })],
        }),
      ],
    },
    { title: "Ops", items: [item("=HYPERLINK(\"http://evil\")"), item("+1"), item("-1"), item("@SUM(A1)"), item("\tTab"), item(" =spaced")] },
  ]);

  it("has the header and one row per item, nested included, with paths", () => {
    const rows = readCsv(toCsv(checklist));
    expect(rows[0]).toEqual(["section", "path", "title", "area", "status", "required", "assignee", "due_at", "evidence_count", "level"]);
    expect(rows.slice(1).map((row) => row[1])).toEqual(["1", "2", "2.1", "2.2", "2.2.1", "1", "2", "3", "4", "5", "6"]);
    expect(rows[1]).toEqual(['Security, "core"', "1", "First", "SECURITY", "DONE", "true", "ada@example.com", "2026-12-01T22:59:59.999Z", "2", ""]);
    expect(rows[2]).toEqual(['Security, "core"', "2", "Second\nline", "GENERAL", "TODO", "false", "", "", "0", ""]);
  });

  it("quotes fields with commas, quotes and line breaks, and ends every row with CRLF", () => {
    const csv = toCsv(checklist);
    expect(csv.startsWith("section,path,title,area,status,required,assignee,due_at,evidence_count,level\r\n")).toBe(true);
    expect(csv).toContain('"Security, ""core""",1,First,');
    expect(csv).toContain('"Second\nline"');
    expect(csv.endsWith("\r\n")).toBe(true);
  });

  it("neutralises cells a spreadsheet would run as formulas", () => {
    const rows = readCsv(toCsv(checklist));
    expect(rows.slice(6).map((row) => row[2])).toEqual(["'=HYPERLINK(\"http://evil\")", "'+1", "'-1", "'@SUM(A1)", "'\tTab", "' =spaced"]);
    expect(rows[3]?.[2]).toBe("Nested =1+1");
    const sneaky = readCsv(toCsv(exportOf([{ title: "=cmd|' /C calc'!A0", items: [item("x", { assignee: "@admin" })] }])));
    expect(sneaky[1]?.[0]).toBe("'=cmd|' /C calc'!A0");
    expect(sneaky[1]?.[6]).toBe("'@admin");
  });

  it("writes only the header for a checklist without items", () => {
    expect(toCsv(exportOf([]))).toBe("section,path,title,area,status,required,assignee,due_at,evidence_count,level\r\n");
  });
});

describe("toJson", () => {
  const checklist = exportOf([
    { title: "S", items: [item("parent", { status: "DONE", details: "d", children: [item("child", { evidenceCount: 3, assignee: "a@b.c" })] })] },
  ]);

  it("is pretty JSON of the checklist, ending with a newline", () => {
    const json = toJson(checklist);
    const withoutLevels = (entry: ExportItem): Record<string, unknown> => ({ ...entry, level: null, children: entry.children.map(withoutLevels) });
    expect(JSON.parse(json)).toEqual({ ...checklist, levels: [], targetLevel: null, sections: checklist.sections.map((section) => ({ ...section, items: section.items.map(withoutLevels) })) });
    expect(json).toContain('\n  "project": {\n    "slug": "shipshape",');
    expect(json.endsWith("}\n")).toBe(true);
  });

  const reversedKeys = (entry: ExportItem): ExportItem => Object.fromEntries(Object.entries(entry).reverse()) as ExportItem;

  it("writes keys in the same order whatever order the input has", () => {
    const shuffled: ExportChecklist = {
      sections: checklist.sections.map((section) => ({
        items: section.items.map((entry) => reversedKeys({ ...entry, children: entry.children.map(reversedKeys) })),
        title: section.title,
      })),
      exportedAt: checklist.exportedAt,
      project: { name: checklist.project.name, slug: checklist.project.slug },
    };
    const keysOf = (json: string) => [...json.matchAll(/"(\w+)":/g)].map((match) => match[1]);
    expect(keysOf(toJson(shuffled))).toEqual(keysOf(toJson(checklist)));
    expect(Object.keys(JSON.parse(toJson(checklist)))).toEqual(["project", "levels", "targetLevel", "exportedAt", "sections"]);
    expect(Object.keys(JSON.parse(toJson(checklist)).sections[0].items[0])).toEqual([
      "title",
      "details",
      "area",
      "status",
      "statusReason",
      "waiver",
      "required",
      "level",
      "assignee",
      "assigneeEmail",
      "dueAt",
      "evidenceCount",
      "children",
    ]);
  });
});
