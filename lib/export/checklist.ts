// Checklist exporters: Markdown (that the importer reads back), CSV (RFC 4180, safe to open in a
// spreadsheet) and JSON. Pure functions of an ExportChecklist.

import type { Heading } from "mdast";
import { fromMarkdown } from "mdast-util-from-markdown";
import { gfmFromMarkdown, gfmToMarkdown } from "mdast-util-gfm";
import { toMarkdown as writeMarkdown } from "mdast-util-to-markdown";
import { gfm } from "micromark-extension-gfm";
import type { ExportChecklist, ExportItem } from "@/lib/checklists/types";
import { BOLD_LEAD_SEPARATORS, CHECKLIST_MARKER, ITEM_DATA_PREFIX, LEVELS_DATA_PREFIX, UNTITLED_SECTION_TITLE, normalizeDetails, type ItemDataComment, type LevelsDataComment } from "@/lib/import/markdown";

/** Written for an item whose title is empty: `- [ ] ` alone is not a task item in GFM. */
export const UNTITLED_ITEM_TITLE = "(untitled)";

/**
 * The checklist as a Markdown task list: an H1 with the project name, a `##` heading per section,
 * `- [x]` for DONE items and `- [ ]` for every other status, children nested by indentation and
 * details as indented paragraphs under their item. Unless `itemData` is false, a marker comment
 * under the H1 (with the maturity levels, if any, in a comment of their own) and one comment per
 * item right after its task line carry what GFM cannot say (area, required, level, status and its
 * reason, waiver, assignee, due): GitHub renders none of them, and importing the result gives back
 * all of it.
 */
export function toMarkdown(checklist: ExportChecklist, options: { itemData?: boolean } = {}): string {
  const withData = options.itemData ?? true;
  const levels = checklist.levels ?? [];
  const blocks = [heading(1, checklist.project.name)];
  if (withData) blocks.push(CHECKLIST_MARKER);
  if (withData && levels.length > 0) blocks.push(dataComment(LEVELS_DATA_PREFIX, { levels } satisfies LevelsDataComment));
  for (const section of checklist.sections) {
    blocks.push(heading(2, section.title || UNTITLED_SECTION_TITLE));
    if (section.items.length > 0) blocks.push(section.items.map((item) => itemMarkdown(item, "", withData ? levels : null)).join("\n").trimEnd());
  }
  return `${blocks.join("\n\n")}\n`;
}

/** Plain text as a heading; whatever would be Markdown syntax in it is escaped. */
function heading(depth: Heading["depth"], text: string): string {
  const value = text.replace(/\s+/g, " ").trim();
  return writeMarkdown({ type: "heading", depth, children: [{ type: "text", value }] }, { extensions: [gfmToMarkdown()] }).trimEnd();
}

/** `levels`: the checklist's levels when item comments are written, null when they are not. */
function itemMarkdown(item: ExportItem, indent: string, levels: readonly string[] | null): string {
  const box = item.status === "DONE" ? "[x]" : "[ ]";
  const inner = `${indent}  `;
  const lines = [`${indent}- ${box} ${itemTitle(item.title)}`];
  if (levels) lines.push(inner + itemDataComment(item, levels));
  const details = item.details.trim() === "" ? "" : normalizeDetails(item.details);
  if (details !== "") {
    // Blank line, then the details indented to the item's content column: they stay in the item.
    lines.push("", ...details.split("\n").map((line) => (line === "" ? "" : inner + line)));
    if (item.children.length > 0) lines.push("");
  }
  for (const child of item.children) lines.push(itemMarkdown(child, inner, levels));
  // A blank line after an item with details keeps its last block from running into the next item.
  return details !== "" ? `${lines.join("\n")}\n` : lines.join("\n");
}

/** The item's data as an HTML comment on one line; its level by name when the checklist has levels. */
function itemDataComment(item: ExportItem, levels: readonly string[]): string {
  const data: ItemDataComment = { area: item.area, required: item.required, status: item.status };
  const level = levels[Math.min(item.level ?? 0, levels.length - 1)];
  if (level !== undefined) data.level = level;
  const hasReason = item.status === "NOT_APPLICABLE" || item.status === "BLOCKED" || item.status === "WAIVED";
  if (hasReason && item.statusReason) data.reason = item.statusReason;
  if (item.status === "WAIVED" && item.waiver) {
    if (item.waiver.riskOwner) data.riskOwner = item.waiver.riskOwner;
    if (item.waiver.riskOwnerEmail) data.riskOwnerEmail = item.waiver.riskOwnerEmail;
    if (item.waiver.controls) data.controls = item.waiver.controls;
    if (item.waiver.expiresAt) data.expires = item.waiver.expiresAt;
  }
  if (item.assigneeEmail) data.assignee = item.assigneeEmail;
  if (item.dueAt) data.due = item.dueAt;
  return dataComment(ITEM_DATA_PREFIX, data);
}

/**
 * Data as an HTML comment on one line. `<` and `>` are written as JSON escapes, so no text in it
 * can end the comment (`-->`, `--!>`) or be read as a tag.
 */
function dataComment(prefix: string, data: object): string {
  const json = JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- ${prefix} ${json} -->`;
}

// A backslash escapes ASCII punctuation only: the dashes are written as character references.
const ESCAPED_SEPARATORS: Record<string, string> = { "-": "\\-", ":": "\\:", "–": "&#x2013;", "—": "&#x2014;" };

/**
 * An item title on one line. A title is inline Markdown: after `- [ ] ` on a single line it cannot
 * open a block, so it is written as is, except that a separator right after a leading bold
 * (`**A** - b`) is escaped; unescaped, the importer would read it as a title and a description.
 * A title that is all bold, or whose bold ends in a colon, comes back without the bold: the
 * importer takes that bold for styling of the title.
 */
function itemTitle(title: string): string {
  const text = title.replace(/\s+/g, " ").trim();
  if (text === "") return UNTITLED_ITEM_TITLE;
  const prefix = "- [ ] ";
  const tree = fromMarkdown(prefix + text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const list = tree.children[0];
  const paragraph = list?.type === "list" ? list.children[0]?.children[0] : undefined;
  if (paragraph?.type !== "paragraph") return text;
  const [head, next] = paragraph.children;
  if (head?.type !== "strong" || next?.type !== "text") return text;
  const start = next.position?.start.offset;
  if (start === undefined) return text;
  const raw = (prefix + text).slice(start);
  const separatorAt = raw.length - raw.trimStart().length;
  const separator = raw[separatorAt];
  if (separator === undefined || !BOLD_LEAD_SEPARATORS.has(separator)) return text;
  const at = start - prefix.length + separatorAt;
  return `${text.slice(0, at)}${ESCAPED_SEPARATORS[separator] ?? separator}${text.slice(at + 1)}`;
}

const CSV_HEADER = ["section", "path", "title", "area", "status", "required", "assignee", "due_at", "evidence_count", "level"];

/** An item's level by name (null on a checklist without levels). */
function levelOf(checklist: ExportChecklist, item: ExportItem): string | null {
  const levels = checklist.levels ?? [];
  return levels.length === 0 ? null : (levels[Math.min(item.level ?? 0, levels.length - 1)] ?? null);
}

/**
 * One row per item, nested items included, in document order. `path` numbers an item within its
 * section ("2.1" is the first child of the second item); `level` is the level's name (empty
 * without levels). Fields are quoted per RFC 4180 and rows end in CRLF; a text cell that a
 * spreadsheet would run as a formula gets a leading `'`.
 */
export function toCsv(checklist: ExportChecklist): string {
  const rows: string[][] = [CSV_HEADER];
  for (const section of checklist.sections) {
    const visit = (items: ExportItem[], parentPath: string) => {
      items.forEach((item, index) => {
        const path = parentPath ? `${parentPath}.${index + 1}` : String(index + 1);
        rows.push([
          textCell(section.title),
          path,
          textCell(item.title),
          item.area,
          item.status,
          item.required ? "true" : "false",
          textCell(item.assignee ?? ""),
          item.dueAt ?? "",
          String(item.evidenceCount),
          textCell(levelOf(checklist, item) ?? ""),
        ]);
        visit(item.children, path);
      });
    };
    visit(section.items, "");
  }
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

// Spreadsheets run a cell that starts with these as a formula (OWASP: CSV injection).
const FORMULA_TRIGGERS = new Set(["=", "+", "-", "@", "\t", "\r"]);

/** A free-text cell, neutralised so a spreadsheet shows it instead of evaluating it. */
function textCell(value: string): string {
  const risky = [value[0], value.trimStart()[0]].some((first) => first !== undefined && FORMULA_TRIGGERS.has(first));
  return risky ? `'${value}` : value;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The checklist as pretty JSON, keys always in the same order; levels by name (null without levels). */
export function toJson(checklist: ExportChecklist): string {
  const item = (entry: ExportItem): Record<string, unknown> => ({
    title: entry.title,
    details: entry.details,
    area: entry.area,
    status: entry.status,
    statusReason: entry.statusReason,
    waiver: entry.waiver && { riskOwner: entry.waiver.riskOwner, riskOwnerEmail: entry.waiver.riskOwnerEmail, controls: entry.waiver.controls, expiresAt: entry.waiver.expiresAt },
    required: entry.required,
    level: levelOf(checklist, entry),
    assignee: entry.assignee,
    assigneeEmail: entry.assigneeEmail,
    dueAt: entry.dueAt,
    evidenceCount: entry.evidenceCount,
    children: entry.children.map(item),
  });
  const document = {
    project: { slug: checklist.project.slug, name: checklist.project.name },
    levels: checklist.levels ?? [],
    targetLevel: checklist.levels?.[checklist.targetLevel ?? 0] ?? null,
    exportedAt: checklist.exportedAt,
    sections: checklist.sections.map((section) => ({ title: section.title, items: section.items.map(item) })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
