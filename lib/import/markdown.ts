// Markdown checklist importer: GitHub-flavoured task lists in, ChecklistData out. Pure: no
// database, no file system. The document is parsed by micromark (CommonMark + GFM) into mdast,
// never by regular expressions, so list items inside code, HTML blocks, HTML comments and table
// cells are not items: the parser never makes them list items.

import type {
  Blockquote,
  Definition,
  Link,
  List,
  ListItem,
  Nodes,
  Paragraph,
  PhrasingContent,
  Root,
  RootContent,
  Strong,
  Text,
} from "mdast";
import { fromMarkdown, type Options as FromMarkdownOptions } from "mdast-util-from-markdown";
import { frontmatterFromMarkdown } from "mdast-util-frontmatter";
import { gfmFromMarkdown, gfmToMarkdown } from "mdast-util-gfm";
import { defaultHandlers, toMarkdown, type Options as ToMarkdownOptions } from "mdast-util-to-markdown";
import { toString } from "mdast-util-to-string";
import { frontmatter } from "micromark-extension-frontmatter";
import { gfm } from "micromark-extension-gfm";
import { z } from "zod";
import { areas, itemStatuses, type ChecklistData, type ChecklistItemData, type ChecklistSectionData, type ImportedWork } from "@/lib/checklists/types";
import { guessArea } from "@/lib/import/area";
import { findShapeProblem } from "@/lib/import/limits";
import { MAX_LEVEL_NAME, MAX_LEVELS, MIN_LEVELS } from "@/lib/checklists/levels";

/** 1 MiB: larger files are refused before they are parsed. */
export const DEFAULT_MAX_IMPORT_BYTES = 1_048_576;

/** Title of the section that takes items placed before any heading, when the document has no H1. */
export const FALLBACK_SECTION_TITLE = "General";

/** Title of a section whose heading has no text. */
export const UNTITLED_SECTION_TITLE = "Untitled section";

export type ImportStats = {
  /** Sections with at least one item: the number of distinct "nearest headings above an item". */
  sections: number;
  /** Task items, nested ones included. */
  items: number;
  /** Task items marked `[x]` or `[X]`. */
  checked: number;
  /** Nesting depth of task items: 1 = top level; only enclosing task items count. */
  maxDepth: number;
};

export type ImportResult = { checklist: ChecklistData; stats: ImportStats };

/** TOO_LARGE: over the size or a shape limit (lib/import/limits.ts); TOO_SLOW: over the parse deadline. */
/** INVALID_ITEM_DATA: a Shipshape marker or item comment that cannot be read (the message names its line). */
export type ImportErrorCode = "NOT_UTF8" | "TOO_LARGE" | "TOO_SLOW" | "NO_ITEMS" | "INVALID_ITEM_DATA";

/** Written under the H1 of a Shipshape export: its item comments are read, not guessed around. */
export const CHECKLIST_MARKER = "<!-- shipshape-checklist v1 -->";
const MARKER_PATTERN = /^<!--\s*shipshape-checklist\b/;
const MARKER_V1 = /^<!--\s*shipshape-checklist\s+v1\s*-->$/;

/** Starts the comment written right after each task line of a Shipshape export. */
export const ITEM_DATA_PREFIX = "shipshape-item";
const ITEM_DATA_PATTERN = /^<!--\s*shipshape-item\b([\s\S]*?)-->$/;

/** Starts the comment written under the marker of an export whose checklist has maturity levels. */
export const LEVELS_DATA_PREFIX = "shipshape-levels";
const LEVELS_DATA_PATTERN = /^<!--\s*shipshape-levels\b([\s\S]*?)-->$/;

const instant = z.iso.datetime({ offset: true, error: "must be an ISO date and time" });
const text = (max: number) => z.string().trim().min(1).max(max);
const reasonStatuses = new Set(["NOT_APPLICABLE", "BLOCKED", "WAIVED"]);

/** The JSON of one item comment, version 1 of the format. Unknown fields are refused. */
export const itemDataSchema = z
  .strictObject({
    area: z.enum(areas),
    required: z.boolean(),
    status: z.enum(itemStatuses),
    /** Why NOT_APPLICABLE, what blocks it, or the risk a waiver accepts. */
    reason: text(2_000).optional(),
    /** The waiver's risk owner: their name, and their email (how the import finds them). */
    riskOwner: text(500).optional(),
    riskOwnerEmail: z.email().optional(),
    controls: text(2_000).optional(),
    expires: instant.optional(),
    /** The assignee's email. */
    assignee: z.email().optional(),
    due: instant.optional(),
    /** The item's maturity level, by name: one of the file's levels (absent: the lowest). */
    level: text(MAX_LEVEL_NAME).optional(),
  })
  .superRefine((data, context) => {
    const problem = (path: string, message: string) => context.addIssue({ code: "custom", path: [path], message });
    if (reasonStatuses.has(data.status) && !data.reason) problem("reason", `a ${data.status} item needs a reason`);
    if (!reasonStatuses.has(data.status) && data.reason) problem("reason", `a ${data.status} item has no reason`);
    if (data.status === "WAIVED") {
      if (!data.riskOwner && !data.riskOwnerEmail) problem("riskOwner", "a waiver needs a risk owner");
      if (!data.expires) problem("expires", "a waiver needs an expiry");
    } else {
      for (const key of ["riskOwner", "riskOwnerEmail", "controls", "expires"] as const) if (data[key] !== undefined) problem(key, "only a waived item has it");
    }
  });

export type ItemDataComment = z.infer<typeof itemDataSchema>;

/** The JSON of the levels comment: the checklist's maturity levels, lowest first. */
export const levelsDataSchema = z.strictObject({
  levels: z
    .array(text(MAX_LEVEL_NAME))
    .min(MIN_LEVELS)
    .max(MAX_LEVELS)
    .refine((names) => new Set(names.map((name) => name.toLowerCase())).size === names.length, "each level needs a name of its own"),
});

export type LevelsDataComment = z.infer<typeof levelsDataSchema>;

/** A file the importer refuses; the message is one line, safe to show to the person importing. */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "ImportError";
  }
}

export type ParseOptions = { maxBytes?: number };

/**
 * Parses a Markdown checklist. Throws ImportError for a file it refuses. Synchronous and
 * CPU-bound: servers call parseChecklistMarkdownSafely (lib/import/safe-parse.ts), which runs this
 * in a worker thread with a deadline.
 */
export function parseChecklistMarkdown(input: string | Uint8Array, options: ParseOptions = {}): ImportResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  // CR LF and lone CR become LF, so a Windows file gives exactly what the same file with LF gives.
  const source = normalizeLineEndings(decodeInput(input, maxBytes));
  // Refused before parsing: shapes whose parse time grows much faster than their size.
  const shapeProblem = findShapeProblem(source);
  if (shapeProblem) throw new ImportError("TOO_LARGE", shapeProblem);
  let checklist: ChecklistData;
  try {
    const tree = fromMarkdown(source, {
      extensions: [gfm(), frontmatter(["yaml", "toml"])],
      mdastExtensions: [gfmFromMarkdown(), frontmatterFromMarkdown(["yaml", "toml"])],
    });
    checklist = new ChecklistBuilder(new MarkdownText(source, tree)).build(tree);
  } catch (error) {
    // Thousands of nested quotes or lists exhaust the stack of the parser (or ours): a refusal,
    // not a crash.
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      throw new ImportError("TOO_LARGE", "The file is nested too deeply to import.");
    }
    throw error;
  }
  const stats = countStats(checklist);
  if (stats.items === 0) {
    throw new ImportError("NO_ITEMS", "No task items found: a checklist needs lines like `- [ ] Do this`.");
  }
  return { checklist, stats };
}

/**
 * Item details as the importer itself would write them: the form an exporter writes under an item
 * so that importing the export gives these details back. Task list items in the details are
 * turned into plain text (`\[ ] …`): written under an item they would otherwise become its children.
 */
export function normalizeDetails(details: string): string {
  const source = normalizeLineEndings(details);
  // Details over a shape limit (typed into the item form, which allows 20,000 characters) are not
  // parsed: they are written as a code block, which keeps their text and imports back as text.
  if (findShapeProblem(source)) return asCodeBlock(source);
  // Parsed without front matter: under a list item `---` is never front matter.
  const tree = fromMarkdown(source, gfmParseOptions);
  const text = new MarkdownText(source, tree);
  const blocks = tree.children.filter((node) => node.type !== "definition").map((node) => text.resolve(untaskify(node)));
  return text.serializeBlocks(blocks);
}

/** Text as a fenced code block: a fence longer than any run of backticks in it. */
function asCodeBlock(text: string): string {
  let longestRun = 0;
  for (const match of text.matchAll(/`+/g)) longestRun = Math.max(longestRun, match[0].length);
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return `${fence}\n${text.replace(/^\n+|\s+$/g, "")}\n${fence}`;
}

/** The refusal for a file of `size` bytes over `limit`; exported so callers can refuse before reading. */
export function tooLargeError(size: number, limit: number): ImportError {
  let shownSize = formatBytes(size);
  let shownLimit = formatBytes(limit);
  // "1.0 MB; the limit is 1 MB" would read as a contradiction: fall back to exact numbers.
  if (shownSize === shownLimit) {
    shownSize = `${size.toLocaleString("en-US")} bytes`;
    shownLimit = `${limit.toLocaleString("en-US")} bytes`;
  }
  return new ImportError("TOO_LARGE", `The file is ${shownSize}; the limit is ${shownLimit}.`);
}

function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [1_048_576, "MB"],
    [1024, "KB"],
  ];
  for (const [size, unit] of units) {
    if (bytes >= size) {
      const value = bytes / size;
      const shown = Number.isInteger(value) ? String(value) : value.toFixed(1).replace(/\.0$/, "");
      return `${shown} ${unit}`;
    }
  }
  return bytes === 1 ? "1 byte" : `${bytes} bytes`;
}

const gfmParseOptions: FromMarkdownOptions = { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] };

const NOT_UTF8_MESSAGE = "The file is not UTF-8 text.";
// An unpaired UTF-16 surrogate has no UTF-8 encoding.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function decodeInput(input: string | Uint8Array, maxBytes: number): string {
  let text: string;
  if (typeof input === "string") {
    const size = new TextEncoder().encode(input).length;
    if (size > maxBytes) throw tooLargeError(size, maxBytes);
    if (LONE_SURROGATE.test(input)) throw new ImportError("NOT_UTF8", NOT_UTF8_MESSAGE);
    text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  } else {
    if (input.length > maxBytes) throw tooLargeError(input.length, maxBytes);
    try {
      // fatal: an invalid sequence throws instead of becoming U+FFFD; a leading BOM is dropped.
      text = new TextDecoder("utf-8", { fatal: true }).decode(input);
    } catch {
      throw new ImportError("NOT_UTF8", NOT_UTF8_MESSAGE);
    }
  }
  if (text.includes("\u0000")) throw new ImportError("NOT_UTF8", "The file is not UTF-8 text: it contains NUL bytes.");
  return text;
}

function normalizeLineEndings(text: string): string {
  return text.replace(/\r\n?/g, "\n");
}

type LinkHandler = NonNullable<ToMarkdownOptions["handlers"]>["link"];

/**
 * One parsed Markdown source and how to write parts of it back: references are made inline (the
 * definitions live elsewhere in the document), and links the author wrote as bare URLs (GFM
 * autolink literals) are written back as bare URLs rather than `<…>`.
 */
class MarkdownText {
  private readonly definitions = new Map<string, Definition>();

  constructor(
    private readonly source: string,
    tree: Root,
  ) {
    collectDefinitions(tree, this.definitions);
  }

  /** A copy of the node with references replaced by inline links and images. */
  resolve<T extends Nodes>(node: T): T;
  resolve(node: Nodes): Nodes {
    switch (node.type) {
      case "linkReference": {
        const definition = this.definitions.get(normalizeIdentifier(node.identifier));
        const children = node.children.map((child) => this.resolve(child));
        if (!definition) return { ...node, children };
        return { type: "link", url: definition.url, title: definition.title ?? null, children, position: node.position };
      }
      case "imageReference": {
        const definition = this.definitions.get(normalizeIdentifier(node.identifier));
        if (!definition) return node;
        return { type: "image", url: definition.url, title: definition.title ?? null, alt: node.alt, position: node.position };
      }
      default:
        if ("children" in node) {
          const children: Nodes[] = node.children.map((child: Nodes) => this.resolve(child));
          return { ...node, children } as Nodes;
        }
        return node;
    }
  }

  /**
   * Whether the text node's first non-space character is written literally in the source, not as
   * an escape (`\-`) or a character reference (`&#x2013;`).
   */
  startsWithLiteral(node: Text, character: string): boolean {
    const start = node.position?.start.offset;
    if (start === undefined) return true;
    return this.source.slice(start, node.position?.end.offset).trimStart().startsWith(character);
  }

  /** A link the author wrote as a bare URL: its source starts with neither `[` nor `<`. */
  private isLiteralAutolink(node: Link): boolean {
    const start = node.position?.start.offset;
    if (start === undefined) return false;
    const first = this.source[start];
    return first !== "[" && first !== "<";
  }

  private readonly link: LinkHandler = (node, parent, state, info) => {
    const [child] = node.children;
    if (this.isLiteralAutolink(node) && node.children.length === 1 && child?.type === "text") return child.value;
    return defaultHandlers.link(node, parent, state, info);
  };

  private options(): ToMarkdownOptions {
    return {
      extensions: [gfmToMarkdown()],
      // Lists in details never use `-`: task items do, and two lists with the same bullet that
      // follow each other are one list, so details could swallow the children an export writes.
      bullet: "*",
      bulletOther: "+",
      listItemIndent: "one",
      fences: true,
      rule: "-",
      handlers: { link: this.link },
    };
  }

  /**
   * A title on one line, serialized in the context the exporter writes it in (`- [ ] ` + title),
   * so it can be written back as is. What would be syntax at the start of a block is escaped
   * (`1\. Step`, `\# tag`), so a title also renders as the same text on its own.
   */
  serializeTitle(nodes: PhrasingContent[]): string {
    const item: List = {
      type: "list",
      ordered: false,
      spread: false,
      children: [
        { type: "listItem", checked: false, spread: false, children: [{ type: "paragraph", children: nodes.map(flattenLines) }] },
      ],
    };
    const written = toMarkdown(item, { ...this.options(), bullet: "-" });
    const prefix = "- [ ] ";
    const text = written.startsWith(prefix) ? written.slice(prefix.length) : written;
    return text.replace(/\s*\n\s*/g, " ").trim();
  }

  serializeBlocks(nodes: RootContent[]): string {
    if (nodes.length === 0) return "";
    return toMarkdown({ type: "root", children: nodes }, this.options()).trim();
  }
}

/** Line breaks inside a title become spaces. */
function flattenLines(node: PhrasingContent): PhrasingContent {
  switch (node.type) {
    case "text":
      return { ...node, value: node.value.replace(/[ \t]*\n[ \t]*/g, " ") };
    case "break":
      return { type: "text", value: " " };
    case "inlineCode":
    case "html":
      return { ...node, value: node.value.replace(/\s*\n\s*/g, " ") };
    case "image":
      return { ...node, alt: oneLine(node.alt), title: oneLine(node.title) };
    case "link":
      return { ...node, title: oneLine(node.title), children: node.children.map(flattenLines) };
    case "linkReference":
    case "emphasis":
    case "strong":
    case "delete":
      return { ...node, children: node.children.map(flattenLines) } as PhrasingContent;
    default:
      return node;
  }
}

function oneLine(value: string | null | undefined): string | null {
  return value == null ? null : value.replace(/\s*\n\s*/g, " ");
}

/** Task list items become plain list items whose text starts with the literal `[ ]`/`[x]`. */
function untaskify<T extends Nodes>(node: T): T;
function untaskify(node: Nodes): Nodes {
  if (node.type === "listItem" && typeof node.checked === "boolean") {
    const marker: Text = { type: "text", value: node.checked ? "[x] " : "[ ] " };
    const [first, ...rest] = node.children.map(untaskify);
    const children: ListItem["children"] =
      first?.type === "paragraph"
        ? [{ ...first, children: [marker, ...first.children] }, ...rest]
        : [{ type: "paragraph", children: [marker] }, ...(first ? [first] : []), ...rest];
    return { ...node, checked: null, children };
  }
  if ("children" in node) {
    const children: Nodes[] = node.children.map((child: Nodes) => untaskify(child));
    return { ...node, children } as Nodes;
  }
  return node;
}

type Tasks = ChecklistItemData[];

/** What is left of a block once its task items are taken out, and those task items. */
type Split<T> = { residue: T | null; tasks: Tasks };

class ChecklistBuilder {
  private readonly sections: ChecklistSectionData[] = [];
  private current: ChecklistSectionData | null = null;
  private documentTitle: string | null = null;
  /** Whether the file is a Shipshape export: only then are item comments read. */
  private hasItemData = false;
  /** The maturity levels of a Shipshape export that has them (empty: none). */
  private levels: string[] = [];
  private readonly readComments = new Set<Nodes>();

  constructor(private readonly text: MarkdownText) {}

  build(tree: Root): ChecklistData {
    const h1 = tree.children.find((node) => node.type === "heading" && node.depth === 1);
    this.documentTitle = h1 ? plainText(h1) || null : null;
    const marker = tree.children.find((node) => node.type === "html" && MARKER_PATTERN.test(node.value.trim()));
    if (marker?.type === "html") {
      if (!MARKER_V1.test(marker.value.trim())) throw itemDataError(marker, "the Shipshape marker names a version this importer does not read (it reads `shipshape-checklist v1`)");
      this.hasItemData = true;
      const levels = tree.children.find((node) => node.type === "html" && LEVELS_DATA_PATTERN.test(node.value.trim()));
      if (levels?.type === "html") this.levels = readLevelsData(levels).levels;
    }
    this.walkFlow(tree.children);
    // An item comment anywhere else (inside a title, or away from its task line) would be lost: refused.
    if (this.hasItemData) {
      const stray = findNode(tree, (node) => node.type === "html" && /^<!--\s*shipshape-item\b/.test(node.value.trim()) && !this.readComments.has(node));
      if (stray) throw itemDataError(stray, "an item comment must be on its own line right after its task line");
    }
    const sections = this.sections.filter((section) => section.items.length > 0);
    return this.levels.length > 0 ? { title: this.documentTitle, levels: this.levels, sections } : { title: this.documentTitle, sections };
  }

  /** Document-level content: each heading opens a section; task items in lists join the current one. */
  private walkFlow(nodes: RootContent[]): void {
    for (const node of nodes) {
      if (node.type === "heading") {
        this.current = { title: plainText(node) || UNTITLED_SECTION_TITLE, items: [] };
        this.sections.push(this.current);
      } else if (node.type === "blockquote") {
        this.walkFlow(node.children);
      } else if (node.type === "list") {
        const { tasks } = this.splitList(node, this.current?.title ?? "");
        if (tasks.length > 0) append(this.currentSection().items, tasks);
      }
    }
  }

  private currentSection(): ChecklistSectionData {
    if (!this.current) {
      // Items before any heading: the section is named after the document's first H1, if any.
      this.current = { title: this.documentTitle ?? FALLBACK_SECTION_TITLE, items: [] };
      this.sections.push(this.current);
    }
    return this.current;
  }

  private splitBlocks(nodes: RootContent[], sectionTitle: string): { residue: RootContent[]; tasks: Tasks } {
    const residue: RootContent[] = [];
    const tasks: Tasks = [];
    for (const node of nodes) {
      const split: Split<RootContent> =
        node.type === "list"
          ? this.splitList(node, sectionTitle)
          : node.type === "blockquote"
            ? this.splitBlockquote(node, sectionTitle)
            : { residue: node, tasks: [] };
      if (split.residue) residue.push(split.residue);
      append(tasks, split.tasks);
    }
    return { residue, tasks };
  }

  private splitBlockquote(node: Blockquote, sectionTitle: string): Split<Blockquote> {
    const { residue, tasks } = this.splitBlocks(node.children, sectionTitle);
    const children = residue.filter(isFlowContent);
    return { residue: children.length > 0 ? { ...node, children } : null, tasks };
  }

  /**
   * Task items of a list become items. A non-task item stays in the residue (it is text, e.g. a
   * sub-bullet that goes to the enclosing item's details) and its task descendants are lifted to
   * this level, so that nesting counts enclosing task items only.
   */
  private splitList(list: List, sectionTitle: string): Split<List> {
    const kept: ListItem[] = [];
    const tasks: Tasks = [];
    for (const listItem of list.children) {
      if (typeof listItem.checked === "boolean") {
        tasks.push(this.buildItem(listItem, sectionTitle));
        continue;
      }
      const split = this.splitBlocks(listItem.children, sectionTitle);
      append(tasks, split.tasks);
      const children = split.residue.filter(isFlowContent);
      if (children.length > 0 || listItem.children.length === 0) kept.push({ ...listItem, children });
    }
    return { residue: kept.length > 0 ? { ...list, children: kept } : null, tasks };
  }

  private buildItem(listItem: ListItem, sectionTitle: string): ChecklistItemData {
    const [first, ...rest] = listItem.children;
    const paragraph: Paragraph = first?.type === "paragraph" ? first : { type: "paragraph", children: [] };
    let blocks = first?.type === "paragraph" ? rest : listItem.children;
    const comment = this.hasItemData && blocks[0]?.type === "html" && ITEM_DATA_PATTERN.test(blocks[0].value.trim()) ? blocks[0] : null;
    if (comment) {
      this.readComments.add(comment);
      blocks = blocks.slice(1);
    }
    const data = comment ? readItemData(comment) : null;
    const { title, lead } = this.splitBoldLead(paragraph.children.map((node) => this.text.resolve(node)));
    const split = this.splitBlocks(blocks, sectionTitle);
    // Definitions are document-wide; references in the details are made inline instead.
    const residue = split.residue.filter((node) => node.type !== "definition").map((node) => this.text.resolve(node));

    const detailBlocks: RootContent[] = lead.length > 0 ? [{ type: "paragraph", children: lead }, ...residue] : residue;
    const item: ChecklistItemData = {
      title: this.text.serializeTitle(title),
      details: this.text.serializeBlocks(detailBlocks),
      area: data ? data.area : guessArea(sectionTitle, `${toString(title)} ${toString(lead)}`),
      required: data ? data.required : true,
      status: listItem.checked ? "DONE" : "TODO",
      children: split.tasks,
    };
    if (data && comment) {
      applyItemData(item, data, listItem.checked === true);
      if (data.level !== undefined) {
        const level = this.levels.indexOf(data.level);
        if (level < 0) throw itemDataError(comment, this.levels.length > 0 ? `the item's level "${data.level}" is not one of the file's levels (${this.levels.join(", ")})` : `the item names the level "${data.level}" but the file lists no levels`);
        item.level = level;
      }
    }
    return item;
  }

  /**
   * `**Title** - description` (also `:`, `–`, `—`, or a colon inside the bold) becomes a title and
   * the start of the details; a paragraph that is all bold becomes its text without the bold.
   */
  private splitBoldLead(nodes: PhrasingContent[]): { title: PhrasingContent[]; lead: PhrasingContent[] } {
    const [head, next, ...after] = nodes;
    const whole = { title: nodes, lead: [] };
    if (head?.type !== "strong" || head.children.length === 0) return whole;
    const inner = withoutTrailingColon(head);
    const rest = nodes.slice(1);
    if (rest.every((node) => node.type === "text" && node.value.trim() === "")) {
      return { title: inner ?? head.children, lead: [] };
    }
    if (inner) return { title: inner, lead: trimLeadingText(rest) };
    if (next?.type !== "text") return whole;
    const trimmed = next.value.trimStart();
    const separator = trimmed[0];
    if (separator === undefined || !BOLD_LEAD_SEPARATORS.has(separator)) return whole;
    const afterSeparator = trimmed.slice(1);
    if (afterSeparator !== "" && !/^\s/.test(afterSeparator)) return whole;
    // `**A** \- b` or `**A** &#x2013; b`: the author (or our exporter) kept the dash in the title.
    if (!this.text.startsWithLiteral(next, separator)) return whole;
    return { title: head.children, lead: trimLeadingText([{ ...next, value: afterSeparator }, ...after]) };
  }
}

function itemDataError(node: Nodes, problem: string): ImportError {
  const line = node.position?.start.line;
  return new ImportError("INVALID_ITEM_DATA", `${line === undefined ? "An item comment" : `Line ${line}`}: ${problem}.`);
}

/** The item comment's JSON, checked against the format; an ImportError naming the line otherwise. */
function readItemData(node: Extract<Nodes, { type: "html" }>): ItemDataComment {
  const body = ITEM_DATA_PATTERN.exec(node.value.trim())?.[1]?.trim() ?? "";
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw itemDataError(node, "the item comment is not valid JSON");
  }
  const result = itemDataSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw itemDataError(node, `the item comment is invalid (${issue?.path.join(".") || "item"}: ${issue?.message ?? "invalid"})`);
  }
  return result.data;
}

/** The levels comment's JSON, checked against the format; an ImportError naming the line otherwise. */
function readLevelsData(node: Extract<Nodes, { type: "html" }>): LevelsDataComment {
  const body = LEVELS_DATA_PATTERN.exec(node.value.trim())?.[1]?.trim() ?? "";
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw itemDataError(node, "the levels comment is not valid JSON");
  }
  const result = levelsDataSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw itemDataError(node, `the levels comment is invalid (${issue?.path.join(".") || "levels"}: ${issue?.message ?? "invalid"})`);
  }
  return result.data;
}

/**
 * The checkbox decides whether the item is done (someone may have ticked it on GitHub since the
 * export): checked is DONE, and an unchecked item the comment calls DONE is TODO. Otherwise the
 * comment's status holds, with its reason and waiver.
 */
function applyItemData(item: ChecklistItemData, data: ItemDataComment, isChecked: boolean): void {
  const status = isChecked ? "DONE" : data.status === "DONE" ? "TODO" : data.status;
  const isWaived = status === "WAIVED";
  const work: ImportedWork = {
    statusReason: reasonStatuses.has(status) ? (data.reason ?? null) : null,
    waiver: isWaived ? { riskOwner: data.riskOwner ?? null, riskOwnerEmail: data.riskOwnerEmail ?? null, controls: data.controls ?? null, expiresAt: data.expires ?? null } : null,
    assigneeEmail: data.assignee ?? null,
    dueAt: data.due ?? null,
  };
  item.status = status;
  item.work = work;
}

function findNode(node: Nodes, test: (node: Nodes) => boolean): Nodes | null {
  if (test(node)) return node;
  if ("children" in node) {
    for (const child of node.children) {
      const found = findNode(child, test);
      if (found) return found;
    }
  }
  return null;
}

/** `target.push(...items)` without spreading: a 1 MB file can hold more items than a call takes arguments. */
function append<T>(target: T[], items: T[]): void {
  for (const item of items) target.push(item);
}

/** Characters that separate a bold title from its description: `**Title** - description`. */
export const BOLD_LEAD_SEPARATORS: ReadonlySet<string> = new Set(["-", ":", "–", "—"]);

/** The children of `**Title:**` without the colon, or null when the bold does not end with one. */
function withoutTrailingColon(strong: Strong): PhrasingContent[] | null {
  const last = strong.children.at(-1);
  if (last?.type !== "text") return null;
  const value = last.value.trimEnd();
  if (!value.endsWith(":")) return null;
  const rest = value.slice(0, -1).trimEnd();
  const children = [...strong.children.slice(0, -1), ...(rest ? [{ ...last, value: rest }] : [])];
  return children.length > 0 ? children : null;
}

function trimLeadingText(nodes: PhrasingContent[]): PhrasingContent[] {
  const [head, ...rest] = nodes;
  if (head?.type !== "text") return nodes;
  const value = head.value.trimStart();
  return value === "" ? rest : [{ ...head, value }, ...rest];
}

function normalizeIdentifier(identifier: string): string {
  return identifier.toLowerCase();
}

function collectDefinitions(node: Nodes, into: Map<string, Definition>): void {
  if (node.type === "definition") {
    // The first definition of a label wins, as in CommonMark.
    const key = normalizeIdentifier(node.identifier);
    if (!into.has(key)) into.set(key, node);
    return;
  }
  if ("children" in node) for (const child of node.children) collectDefinitions(child, into);
}

/** Heading text as plain text on one line (inline HTML kept as text, never dropped). */
function plainText(node: Nodes): string {
  return toString(node).replace(/\s+/g, " ").trim();
}

function isFlowContent(node: RootContent): node is ListItem["children"][number] {
  return !PHRASING_OR_TABLE_PARTS.has(node.type);
}

const PHRASING_OR_TABLE_PARTS = new Set([
  "listItem",
  "tableRow",
  "tableCell",
  "text",
  "emphasis",
  "strong",
  "delete",
  "inlineCode",
  "break",
  "link",
  "linkReference",
  "image",
  "imageReference",
  "footnoteReference",
]);

function countStats(checklist: ChecklistData): ImportStats {
  const stats: ImportStats = { sections: checklist.sections.length, items: 0, checked: 0, maxDepth: 0 };
  const visit = (items: ChecklistItemData[], depth: number) => {
    for (const item of items) {
      stats.items += 1;
      if (item.status === "DONE") stats.checked += 1;
      stats.maxDepth = Math.max(stats.maxDepth, depth);
      visit(item.children, depth + 1);
    }
  };
  for (const section of checklist.sections) visit(section.items, 1);
  return stats;
}
