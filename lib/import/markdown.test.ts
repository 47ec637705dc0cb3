import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { ChecklistItemData } from "@/lib/checklists/types";
import {
  DEFAULT_MAX_IMPORT_BYTES,
  ImportError,
  normalizeDetails,
  parseChecklistMarkdown,
  type ImportResult,
} from "@/lib/import/markdown";

const shared = path.resolve(process.cwd(), "../shared");
const readShared = (file: string) => readFileSync(path.join(shared, file));

/** Every item of a result in document order, nested ones included, with its depth. */
function flatten(result: ImportResult): (ChecklistItemData & { depth: number; section: string })[] {
  const out: (ChecklistItemData & { depth: number; section: string })[] = [];
  const visit = (items: ChecklistItemData[], depth: number, section: string) => {
    for (const item of items) {
      out.push({ ...item, depth, section });
      visit(item.children, depth + 1, section);
    }
  };
  for (const section of result.checklist.sections) visit(section.items, 1, section.title);
  return out;
}

const titles = (result: ImportResult) => flatten(result).map((item) => item.title);
const parse = (markdown: string) => parseChecklistMarkdown(markdown);

function refusal(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error("expected an ImportError");
}

describe("real checklists: the counts in their READMEs", () => {
  // ../shared/seeds/README.md: task items, already checked, headings with items.
  const seeds = [
    { file: "000_dafddfabcb8469d7.txt", items: 57, checked: 0, sections: 10 },
    { file: "001_c499410096c58fa3.txt", items: 63, checked: 45, sections: 10 },
    { file: "002_a2e8625e54311e02.txt", items: 69, checked: 0, sections: 7 },
    { file: "003_330e4c899006af03.txt", items: 112, checked: 0, sections: 17 },
    { file: "004_8944ec2c533102e2.txt", items: 148, checked: 0, sections: 34 },
  ];
  it.each(seeds)("seeds/$file: $items items, $checked checked, $sections headings with items", ({ file, ...expected }) => {
    const { stats } = parseChecklistMarkdown(readShared(`seeds/${file}`));
    expect({ items: stats.items, checked: stats.checked, sections: stats.sections }).toEqual(expected);
  });

  // ../shared/corpus/README.md: task items, checked, headings with items, max nesting of task items.
  const corpus = [
    { file: "01_kgoralski-microservice-prr.md", items: 72, checked: 0, sections: 8, maxDepth: 2 },
    { file: "03_shieldfy-api-security-checklist.md", items: 64, checked: 0, sections: 12, maxDepth: 1 },
    { file: "05_gitlab-operational-readiness.md", items: 64, checked: 0, sections: 5, maxDepth: 3 },
    { file: "07_front-end-checklist.md", items: 100, checked: 0, sections: 22, maxDepth: 1 },
    { file: "09_k8s-kep-2896-prr-filled.md", items: 17, checked: 2, sections: 3, maxDepth: 2 },
  ];
  it.each(corpus)("corpus/$file: $items items, $checked checked, $sections headings, depth $maxDepth", ({ file, ...expected }) => {
    expect(parseChecklistMarkdown(readShared(`corpus/${file}`)).stats).toEqual(expected);
  });

  it("sections are the headings with items, in order, and every item is required with an area", () => {
    const result = parseChecklistMarkdown(readShared("seeds/000_dafddfabcb8469d7.txt"));
    expect(result.checklist.title).toBe("Production Deployment Guide");
    expect(result.checklist.sections.map((section) => section.title)).toEqual([
      "1. Code Security Audit",
      "2. Environment Variables",
      "3. Database Preparation",
      "4. Dependencies",
      "Immediate (First Hour)",
      "First Day",
      "First Week",
      "Weekly",
      "Monthly",
      "Quarterly",
    ]);
    expect(flatten(result).every((item) => item.required && item.status === "TODO")).toBe(true);
    expect(result.checklist.sections[2]?.items.map((item) => item.area)).toEqual(["DBA", "DBA", "SECURITY", "DBA", "DBA"]);
  });

  it("seed 001: mangled emoji headings are kept byte for byte and items under a bold paragraph stay in their heading", () => {
    const bytes = readShared("seeds/001_c499410096c58fa3.txt");
    const result = parseChecklistMarkdown(bytes);
    const hardening = result.checklist.sections.find((section) => section.title.endsWith("Security Hardening (Post-Deployment)"));
    // U+F8FF üîí is 🔒 (F0 9F 94 92) decoded as Mac Roman: the data as it is.
    expect(hardening?.title).toBe("\uF8FFüîí Security Hardening (Post-Deployment)");
    expect(bytes.includes(Buffer.from(`## ${hardening?.title}\n`, "utf8"))).toBe(true);
    // "**Remaining Security Recommendations:**" is a paragraph, not a heading.
    const security = result.checklist.sections.find((section) => section.title === "3. Application Security");
    expect(security?.items.map((item) => item.status)).toEqual(["DONE", "DONE", "DONE", "DONE", "DONE", "TODO", "TODO", "TODO", "TODO"]);
  });

  it("seed 003: lines that look like items inside a fenced code block are not items", () => {
    const result = parseChecklistMarkdown(readShared("seeds/003_330e4c899006af03.txt"));
    expect(titles(result).some((title) => title.includes("app.config"))).toBe(false);
    expect(result.checklist.sections.some((section) => section.title === "Flask Configuration")).toBe(false);
  });

  it("seed 004: ordered `1. [ ]` items and bold leads become titles with details", () => {
    const result = parseChecklistMarkdown(readShared("seeds/004_8944ec2c533102e2.txt"));
    const steps = result.checklist.sections.find((section) => section.title === "Deployment Steps");
    expect(steps?.items.map((item) => item.title)).toEqual([
      "Pull latest code",
      "Install dependencies",
      "Run database migrations",
      "Restart application",
      "Verify health check",
      "Monitor logs",
      "Test critical endpoints",
    ]);
    expect(steps?.items[0]?.details).toBe("`git pull origin main`");
    const secret = flatten(result).find((item) => item.title === "Change SECRET_KEY");
    expect(secret?.details).toBe(
      'Generate a new cryptographically secure key (minimum 32 characters)\n\n```bash\npython -c "import secrets; print(secrets.token_urlsafe(32))"\n```',
    );
    const auth = flatten(result).find((item) => item.title === "Add rate limiting to auth endpoints");
    expect(auth?.details).toBe(
      "* `/auth/request-otp` - 3 requests per 5 minutes per IP\n* `/auth/verify-otp` - 5 attempts per 15 minutes per IP\n* `/auth/login` - 5 attempts per 15 minutes per IP",
    );
  });

  it("corpus 01: ` - ` bold leads, items nested by 5 spaces, an unindented continuation line", () => {
    const result = parseChecklistMarkdown(readShared("corpus/01_kgoralski-microservice-prr.md"));
    const all = flatten(result);
    const shared = all.find((item) => item.title === "No shared database between different services");
    expect(shared?.details).toBe("a DB instance should only be used by one service exclusively.");
    const exposed = all.find((item) => item.title === "If your service does need to be accessible through the public Internet");
    expect(exposed?.children.map((child) => child.title)).toEqual([
      "**Authentication/Authorization** in place if needed / JWT / Cognito / Auth0",
      "Ensure it lives behind our Cloudfront **CDN** (and uses **WAF** if necessary)",
    ]);
    const logging = all.find((item) => item.title === "Logging");
    expect(logging?.details).toContain("Correlation IDs, Mapped\nDiagnostic Context (MDC) is used.");
    // A bare URL stays a bare URL; the plain reference bullets under "References" are not items.
    expect(all.find((item) => item.title.startsWith("Choose Boring Technology"))?.title).toBe(
      "Choose Boring Technology https://boringtechnology.club/ :)",
    );
    expect(result.checklist.sections.some((section) => section.title === "References")).toBe(false);
  });

  it("corpus 03: a heading without items is dropped, its sub-heading with items is kept", () => {
    const result = parseChecklistMarkdown(readShared("corpus/03_shieldfy-api-security-checklist.md"));
    const sectionTitles = result.checklist.sections.map((section) => section.title);
    expect(sectionTitles).not.toContain("Authorization");
    expect(sectionTitles).toContain("OAuth");
    expect(sectionTitles).not.toContain("Contribution");
    expect(result.checklist.title).toBe("API Security Checklist");
  });

  it("corpus 05: `- [ ]` lines inside HTML comments and a <details> block are not items", () => {
    const result = parseChecklistMarkdown(readShared("corpus/05_gitlab-operational-readiness.md"));
    const all = flatten(result);
    expect(all.some((item) => item.title.includes("Talent pool"))).toBe(false);
    expect(all.some((item) => item.title.includes("New third party SaaS service"))).toBe(false);
    const owner = all.find((item) => item.title.startsWith("As the owner"));
    expect(owner?.details).toContain("<details><summary>Typical considerations</summary>");
    expect(owner?.details).toContain("- [ ] Talent pool, e.g. existing engineers");
    expect(owner?.children).toEqual([]);
    const deepest = all.filter((item) => item.depth === 3).map((item) => item.title);
    expect(deepest).toHaveLength(2);
    expect(deepest[0]).toMatch(/^For SaaS - what is the cloud provider compatibility/);
  });

  it("corpus 07: six sections share the title “Best practices” and stay separate; colon inside the bold", () => {
    const result = parseChecklistMarkdown(readShared("corpus/07_front-end-checklist.md"));
    expect(result.checklist.sections.filter((section) => section.title === "Best practices")).toHaveLength(6);
    expect(result.checklist.title).toBe("🗂 Front-End Checklist");
    const doctype = flatten(result).find((item) => item.title === "Doctype");
    expect(doctype?.details).toBe(
      "![High](https://raw.githubusercontent.com/thedaviddias/Front-End-Checklist/refs/heads/main/data/images/priority/high.svg) The Doctype is HTML5 and is at the top of all your HTML pages.",
    );
  });

  it("corpus 09: items in a leading HTML comment and a bare `[x]` paragraph are not items; [x] and [X] are done", () => {
    const result = parseChecklistMarkdown(readShared("corpus/09_k8s-kep-2896-prr-filled.md"));
    const all = flatten(result);
    expect(all.some((item) => item.title.includes("Pick a hosting SIG"))).toBe(false);
    expect(all.some((item) => item.title.includes("I/we understand"))).toBe(false);
    expect(all.filter((item) => item.status === "DONE").map((item) => item.title)).toEqual([
      "Feature gate (also fill in values in `kep.yaml`)",
      "Metrics",
    ]);
    // H6 headings are sections; a reference link becomes an inline link (its definition is elsewhere).
    expect(result.checklist.sections[1]?.title).toBe("How can this feature be enabled / disabled in a live cluster?");
    expect(all[0]?.title).toBe(
      "(R) Enhancement issue in release milestone, which links to KEP dir in [kubernetes/enhancements](https://git.k8s.io/enhancements) (not the initial KEP PR)",
    );
  });
});

describe("what is not an item", () => {
  it("ignores items in ``` and ~~~ fences and in indented code", () => {
    const result = parse(
      ["# T", "", "```", "- [ ] in backticks", "```", "", "~~~md", "- [x] in tildes", "~~~", "", "    - [ ] indented code", "", "- [ ] real"].join("\n"),
    );
    expect(titles(result)).toEqual(["real"]);
    expect(result.stats.checked).toBe(0);
  });

  it("ignores items in single-line and multi-line HTML comments, blank lines included", () => {
    const result = parse(["<!-- - [ ] one line -->", "", "<!--", "- [ ] hidden", "", "- [x] still hidden", "-->", "", "- [ ] real"].join("\n"));
    expect(titles(result)).toEqual(["real"]);
  });

  it("ignores items inside a <details> HTML block", () => {
    const result = parse(["<details><summary>More</summary>", "- [ ] inside the HTML block", "</details>", "", "- [ ] real"].join("\n"));
    expect(titles(result)).toEqual(["real"]);
  });

  it("counts a list after a blank line inside <details>: CommonMark ends the HTML block there, and GitHub renders it as a task list", () => {
    const result = parse(["<details><summary>More</summary>", "", "- [ ] rendered as a task", "", "</details>"].join("\n"));
    expect(titles(result)).toEqual(["rendered as a task"]);
  });

  it("ignores `[ ]` in table cells", () => {
    const table = ["| done | task |", "| --- | --- |", "| [ ] | not an item |", "| [x] | nor this |"].join("\n");
    expect(refusal(() => parse(table)).code).toBe("NO_ITEMS");
    expect(titles(parse(`${table}\n\n- [ ] real`))).toEqual(["real"]);
  });

  it("ignores YAML and TOML front matter", () => {
    const yaml = parse(["---", "title: x", "tasks:", "- [ ] not an item", "---", "# Doc", "- [ ] real"].join("\n"));
    expect(titles(yaml)).toEqual(["real"]);
    expect(yaml.checklist.title).toBe("Doc");
    const toml = parse(["+++", 'title = "- [ ] no"', "+++", "- [ ] real"].join("\n"));
    expect(titles(toml)).toEqual(["real"]);
  });

  it("a bare `[x]` paragraph and plain bullets are not items", () => {
    expect(refusal(() => parse("[x] I agree\n\n- plain bullet\n- [link](x)\n")).code).toBe("NO_ITEMS");
  });

  it("`- [ ]` with no text is not a task item (GFM)", () => {
    expect(refusal(() => parse("- [ ]\n- [x]\n")).code).toBe("NO_ITEMS");
  });
});

describe("items", () => {
  it("[x] and [X] are DONE, [ ] is TODO", () => {
    const result = parse("- [x] lower\n- [X] upper\n- [ ] open\n");
    expect(flatten(result).map((item) => item.status)).toEqual(["DONE", "DONE", "TODO"]);
    expect(result.stats.checked).toBe(2);
  });

  it("ordered task lists `1. [ ]` and `1) [x]` are items", () => {
    const result = parse("1. [ ] first\n2. [x] second\n\n1) [x] third\n");
    expect(titles(result)).toEqual(["first", "second", "third"]);
    expect(result.stats.checked).toBe(2);
  });

  it("keeps nesting 8 levels deep", () => {
    const lines = Array.from({ length: 8 }, (_, level) => `${"  ".repeat(level)}- [ ] level ${level + 1}`);
    const result = parse(lines.join("\n"));
    expect(result.stats).toEqual({ sections: 1, items: 8, checked: 0, maxDepth: 8 });
    let item = result.checklist.sections[0]?.items[0];
    for (let level = 1; level <= 8; level++) {
      expect(item?.title).toBe(`level ${level}`);
      expect(item?.children).toHaveLength(level === 8 ? 0 : 1);
      item = item?.children[0];
    }
  });

  it("nesting counts enclosing task items only: tasks under a plain bullet are lifted", () => {
    const result = parse(["- Group label", "  - [ ] lifted", "- [ ] parent", "  - plain", "    - [ ] child of parent"].join("\n"));
    const [lifted, parent] = result.checklist.sections[0]?.items ?? [];
    expect(lifted?.title).toBe("lifted");
    expect(parent?.children.map((child) => child.title)).toEqual(["child of parent"]);
    expect(parent?.details).toBe("* plain");
    expect(result.stats.maxDepth).toBe(2);
  });

  it("task items inside a blockquote are items (GitHub renders them)", () => {
    expect(titles(parse("> - [ ] quoted task\n"))).toEqual(["quoted task"]);
  });

  it("bold lead with ` - `, `:`, `–`, `—` or a colon inside the bold becomes title and details", () => {
    const result = parse(
      [
        "- [ ] **Dash** - described",
        "- [ ] **Colon**: described",
        "- [ ] **En dash** – described",
        "- [ ] **Em dash** — described",
        "- [ ] **Inside:** described",
        "- [ ] **All bold**",
      ].join("\n"),
    );
    expect(flatten(result).map((item) => [item.title, item.details])).toEqual([
      ["Dash", "described"],
      ["Colon", "described"],
      ["En dash", "described"],
      ["Em dash", "described"],
      ["Inside", "described"],
      ["All bold", ""],
    ]);
  });

  it("keeps the whole text when the bold is not a lead", () => {
    const result = parse(
      ["- [ ] **Resiliency**, timeouts", "- [ ] API **versioning** if needed", "- [ ] **A** \\- escaped dash", "- [ ] **Word**-joined"].join("\n"),
    );
    expect(flatten(result).map((item) => [item.title, item.details])).toEqual([
      ["**Resiliency**, timeouts", ""],
      ["API **versioning** if needed", ""],
      ["**A** - escaped dash", ""],
      ["**Word**-joined", ""],
    ]);
  });

  it("non-task sub-bullets and continuation paragraphs go to the details, as Markdown", () => {
    const result = parse(
      ["- [ ] Configure alerts", "  for the on-call team", "", "  See the *runbook*.", "", "  - PagerDuty", "  - Slack `#ops`", "", "- [ ] next"].join("\n"),
    );
    const [first, second] = flatten(result);
    expect(first?.title).toBe("Configure alerts for the on-call team");
    expect(first?.details).toBe("See the *runbook*.\n\n* PagerDuty\n* Slack `#ops`");
    expect(second?.title).toBe("next");
  });

  it("titles keep inline Markdown on one line", () => {
    const result = parse(
      ["- [ ] Use `state` with [a link](https://example.com/x \"t\") and *emphasis*,", "  **strong** and ~~gone~~  ", "  on two lines"].join("\n"),
    );
    expect(titles(result)).toEqual([
      'Use `state` with [a link](https://example.com/x "t") and *emphasis*, **strong** and ~~gone~~ on two lines',
    ]);
  });

  it("reference links in titles and details become inline links", () => {
    const result = parse(["- [ ] See [the docs][docs]", "", "  and [again][docs]", "", "[docs]: https://example.com/docs"].join("\n"));
    expect(flatten(result)[0]).toMatchObject({
      title: "See [the docs](https://example.com/docs)",
      details: "and [again](https://example.com/docs)",
    });
  });

  it("keeps emoji and mangled encodings byte for byte", () => {
    const source = "## ‚úÖ Done ✅\n\n- [x] Works ‚úÖ üîí 🚀 é\u0301 — ok\n";
    const result = parse(source);
    expect(result.checklist.sections[0]?.title).toBe("‚úÖ Done ✅");
    const title = flatten(result)[0]?.title ?? "";
    expect(Buffer.from(title, "utf8").equals(Buffer.from("Works ‚úÖ üîí 🚀 é\u0301 — ok", "utf8"))).toBe(true);
  });

  it("keeps script tags and javascript: links as inert text, losing nothing around them", () => {
    const result = parse(
      [
        '- [ ] Fix <script>alert("x")</script> now and [click](javascript:alert(1)) then done',
        "",
        "  <script>steal()</script>",
        "",
        "  Also [this](javascript:void(0)) and <img src=x onerror=alert(2)> end.",
      ].join("\n"),
    );
    const [item] = flatten(result);
    expect(item?.title).toBe('Fix <script>alert("x")</script> now and [click](javascript:alert\\(1\\)) then done');
    expect(item?.details).toBe("<script>steal()</script>\n\nAlso [this](javascript:void\\(0\\)) and <img src=x onerror=alert(2)> end.");
  });

  it("a heading inside an item's details does not open a section", () => {
    const result = parse("## Real\n\n- [ ] item\n\n  ### inside\n\n  text\n- [ ] second\n");
    expect(result.checklist.sections.map((section) => section.title)).toEqual(["Real"]);
    expect(flatten(result)[0]?.details).toBe("### inside\n\ntext");
  });

  it("guesses an area per item, from its own words first", () => {
    const result = parse("## Security\n\n- [ ] Database backups tested\n- [ ] Rotate secrets\n- [ ] Write the release notes\n");
    expect(flatten(result).map((item) => item.area)).toEqual(["DBA", "SECURITY", "SECURITY"]);
  });
});

describe("sections", () => {
  it("items before any heading go to a section named after the first H1", () => {
    const result = parse("- [ ] early\n\n# The Title\n\n- [ ] late\n");
    expect(result.checklist.sections.map((section) => [section.title, section.items.map((item) => item.title)])).toEqual([
      ["The Title", ["early"]],
      ["The Title", ["late"]],
    ]);
    expect(result.stats.sections).toBe(2);
  });

  it("items before any heading go to “General” when there is no H1", () => {
    const result = parse("- [ ] early\n\n## Later\n\n- [ ] late\n");
    expect(result.checklist.title).toBeNull();
    expect(result.checklist.sections.map((section) => section.title)).toEqual(["General", "Later"]);
  });

  it("drops sections without items and keeps same-titled sections apart", () => {
    const result = parse("# Doc\n\n## Empty\n\ntext\n\n## Same\n\n- [ ] a\n\n## Other\n\n- [ ] b\n\n## Same\n\n- [ ] c\n");
    expect(result.checklist.sections.map((section) => [section.title, section.items.length])).toEqual([
      ["Same", 1],
      ["Other", 1],
      ["Same", 1],
    ]);
  });

  it("an item belongs to the nearest heading above it, at any level; setext headings count", () => {
    const result = parse("# A\n\n- [ ] in A\n\n###### Deep\n\n- [ ] in Deep\n\nSetext\n------\n\n- [ ] in Setext\n");
    expect(flatten(result).map((item) => item.section)).toEqual(["A", "Deep", "Setext"]);
  });
});

describe("input checks", () => {
  it("CRLF and CR line endings give the same result as LF", () => {
    const lf = "---\nx: 1\n---\n# Doc\n\n## S\n\n- [ ] one\n  continued\n\n  details\n\n  ```\n  code\n  ```\n  - [x] two\n";
    const expected = parse(lf);
    expect(parse(lf.replace(/\n/g, "\r\n"))).toEqual(expected);
    expect(parse(lf.replace(/\n/g, "\r"))).toEqual(expected);
    expect(flatten(expected)[0]?.details).toBe("details\n\n```\ncode\n```");
  });

  it("a leading BOM is fine, as text or as bytes", () => {
    const expected = parse("# Doc\n- [ ] one\n");
    expect(parse("\uFEFF# Doc\n- [ ] one\n")).toEqual(expected);
    expect(parseChecklistMarkdown(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from("# Doc\n- [ ] one\n")]))).toEqual(expected);
  });

  it("refuses a file without task items", () => {
    for (const empty of ["", "   \n\n", "# Title\n\nJust prose.\n"]) {
      const error = refusal(() => parse(empty));
      expect(error.code).toBe("NO_ITEMS");
      expect(error.message).toBe("No task items found: a checklist needs lines like `- [ ] Do this`.");
    }
    expect(refusal(() => parseChecklistMarkdown(new Uint8Array())).code).toBe("NO_ITEMS");
  });

  it("refuses more than 1 MB, and accepts exactly 1 MB", () => {
    const item = "- [ ] x\n\n<!--";
    const padded = (bytes: number) => `${item}${"a".repeat(bytes - item.length - 4)}-->\n`;
    expect(Buffer.byteLength(padded(DEFAULT_MAX_IMPORT_BYTES))).toBe(1_048_576);
    expect(parse(padded(DEFAULT_MAX_IMPORT_BYTES)).stats.items).toBe(1);

    const justOver = refusal(() => parse(padded(DEFAULT_MAX_IMPORT_BYTES + 1)));
    expect(justOver.code).toBe("TOO_LARGE");
    expect(justOver.message).toBe("The file is 1,048,577 bytes; the limit is 1,048,576 bytes.");

    const big = refusal(() => parseChecklistMarkdown(Buffer.from(padded(1_468_006))));
    expect(big.message).toBe("The file is 1.4 MB; the limit is 1 MB.");
  });

  it("counts the limit in UTF-8 bytes and honours maxBytes", () => {
    const source = "- [ ] ✅✅✅\n"; // 16 bytes, 10 UTF-16 units
    expect(parseChecklistMarkdown(source, { maxBytes: 16 }).stats.items).toBe(1);
    const error = refusal(() => parseChecklistMarkdown(source, { maxBytes: 15 }));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("The file is 16 bytes; the limit is 15 bytes.");
    expect(refusal(() => parseChecklistMarkdown("- [ ] x\n".repeat(300), { maxBytes: 2048 })).message).toBe(
      "The file is 2.3 KB; the limit is 2 KB.",
    );
  });

  it("refuses bytes that are not UTF-8, NUL bytes and unpaired surrogates", () => {
    const invalid = [
      [0x2d, 0x20, 0x5b, 0x20, 0x5d, 0x20, 0xff], // - [ ] then 0xFF
      [0x2d, 0x20, 0x5b, 0x20, 0x5d, 0x20, 0xc3, 0x28], // broken two-byte sequence
      [0xc0, 0x80], // overlong NUL
      [0xed, 0xa0, 0x80], // encoded surrogate
      [0xe2, 0x9c], // truncated ✅
    ];
    for (const bytes of invalid) {
      const error = refusal(() => parseChecklistMarkdown(new Uint8Array(bytes)));
      expect(error.code).toBe("NOT_UTF8");
      expect(error.message).toBe("The file is not UTF-8 text.");
    }
    expect(refusal(() => parseChecklistMarkdown(Buffer.from("- [ ] a\u0000b\n"))).code).toBe("NOT_UTF8");
    expect(refusal(() => parse("- [ ] a\u0000b\n")).message).toBe("The file is not UTF-8 text: it contains NUL bytes.");
    expect(refusal(() => parse("- [ ] broken \uD83D here\n")).code).toBe("NOT_UTF8");
  });

  it("refuses, rather than crashes on, nesting deep enough to exhaust the stack", () => {
    const error = refusal(() => parse(`${"> ".repeat(10_000)}- [ ] x\n`));
    expect(error.code).toBe("TOO_LARGE");
    expect(error.message).toBe("Line 1 is nested 10,001 levels deep (lists, quotes and indentation); the limit is 20.");
  });

  it("the same document as text and as bytes gives the same result", () => {
    const source = "# Ünïcödé ✅\n\n- [x] done\n";
    expect(parseChecklistMarkdown(Buffer.from(source, "utf8"))).toEqual(parse(source));
  });
});

describe("normalizeDetails", () => {
  it("is idempotent on what the importer produces", () => {
    const details = "See the *runbook*.\n\n* PagerDuty\n* Slack `#ops`\n\n```sh\nrun --it\n```";
    expect(normalizeDetails(details)).toBe(details);
  });

  it("turns task items into text, so that under an item they cannot become its children", () => {
    expect(normalizeDetails("- [ ] not a child\n- [x] nor this")).toBe("* \\[ ] not a child\n* \\[x] nor this");
  });
});

describe("Shipshape exports: the marker and the item comments", () => {
  const exported = [
    "# Payments",
    "",
    "<!-- shipshape-checklist v1 -->",
    "",
    "## Database",
    "",
    "- [ ] Secrets rotated",
    '  <!-- shipshape-item {"area":"DBA","required":false,"status":"NOT_APPLICABLE","reason":"No secrets here.","assignee":"ann@example.com","due":"2026-12-10T22:59:59.999Z"} -->',
    "",
    "  Details stay details.",
    "",
    "  - [x] Child",
    '    <!-- shipshape-item {"area":"SECURITY","required":true,"status":"DONE"} -->',
    "",
  ].join("\n");

  it("takes area, required and status from the comment, never guessing them, and keeps it out of the details", () => {
    const [item] = parseChecklistMarkdown(exported).checklist.sections[0]!.items;
    expect(item).toMatchObject({ title: "Secrets rotated", details: "Details stay details.", area: "DBA", required: false, status: "NOT_APPLICABLE" });
    expect(item?.work).toEqual({ statusReason: "No secrets here.", waiver: null, assigneeEmail: "ann@example.com", dueAt: "2026-12-10T22:59:59.999Z" });
    expect(item?.children[0]).toMatchObject({ title: "Child", area: "SECURITY", status: "DONE" });
  });

  it("lets the checkbox decide done-ness: ticked is done, unticked is not", () => {
    const ticked = exported.replace("- [ ] Secrets rotated", "- [x] Secrets rotated").replace("- [x] Child", "- [ ] Child");
    const [item] = parseChecklistMarkdown(ticked).checklist.sections[0]!.items;
    expect(item).toMatchObject({ status: "DONE", work: { statusReason: null } });
    expect(item?.children[0]?.status).toBe("TODO");
  });

  it("refuses a malformed comment, naming its line", () => {
    const broken = exported.replace('"status":"DONE"}', '"status":"DONE"');
    expect(refusal(() => parse(broken))).toMatchObject({ code: "INVALID_ITEM_DATA", message: "Line 13: the item comment is not valid JSON." });
    const unknownField = exported.replace('"status":"DONE"}', '"status":"DONE","colour":"red"}');
    expect(refusal(() => parse(unknownField)).message).toMatch(/^Line 13: the item comment is invalid/);
    const noReason = exported.replace(',"reason":"No secrets here."', "");
    expect(refusal(() => parse(noReason)).message).toBe("Line 8: the item comment is invalid (reason: a NOT_APPLICABLE item needs a reason).");
  });

  it("refuses a marker of an unknown version and a comment away from its task line", () => {
    expect(refusal(() => parse(exported.replace("v1", "v2")))).toMatchObject({ code: "INVALID_ITEM_DATA", message: expect.stringMatching(/^Line 3: /) });
    const away = exported.replace("  Details stay details.", '  <!-- shipshape-item {"area":"DBA","required":true,"status":"TODO"} -->');
    expect(refusal(() => parse(away)).message).toBe("Line 10: an item comment must be on its own line right after its task line.");
  });

  it("reads a file without the marker exactly as before: item comments are HTML like any other", () => {
    const foreign = exported.replace("<!-- shipshape-checklist v1 -->", "");
    const [item] = parseChecklistMarkdown(foreign).checklist.sections[0]!.items;
    expect(item?.work).toBeUndefined();
    expect(item).toMatchObject({ area: "SECURITY", required: true, status: "TODO" });
    expect(item?.details).toContain("shipshape-item");
  });
});
