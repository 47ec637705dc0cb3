import type { Prisma } from "@/lib/db";
import type { KeyedChecklist } from "@/lib/checklists/materialize";
import { ImportError } from "@/lib/import/markdown";
import { parseChecklistMarkdownSafely } from "@/lib/import/safe-parse";
import { AppError } from "@/lib/errors";
import { withTemplateKeys } from "@/lib/templates/keys";
import { toMarkdown } from "@/lib/export/checklist";
import type { ExportItem } from "@/lib/checklists/types";

/** A template version's content as stored (JSON) and read back. */
export function toStoredContent(checklist: KeyedChecklist): Prisma.InputJsonValue {
  return checklist as unknown as Prisma.InputJsonValue;
}

export function fromStoredContent(content: unknown): KeyedChecklist {
  return content as KeyedChecklist;
}

/**
 * Parses Markdown with the importer (in a worker thread, with a deadline), turning its refusals
 * into INVALID_INPUT on `field`. `actorKey` (the actor's id) allows that person one parse at a
 * time: a second at once is RATE_LIMITED, and a full waiting line UNAVAILABLE (lib/import/safe-parse.ts).
 */
export async function parseMarkdownOrThrow(markdown: string | Uint8Array, field: string, actorKey?: string) {
  try {
    return await parseChecklistMarkdownSafely(markdown, actorKey === undefined ? {} : { actorKey });
  } catch (error) {
    if (error instanceof ImportError) throw new AppError("INVALID_INPUT", error.message, { [field]: [error.message] });
    throw error;
  }
}

export async function keyedFromMarkdown(markdown: string | Uint8Array, field: string, actorKey?: string) {
  const result = await parseMarkdownOrThrow(markdown, field, actorKey);
  return { checklist: withTemplateKeys(result.checklist), stats: result.stats };
}

export function countItems(checklist: KeyedChecklist): number {
  const count = (items: KeyedChecklist["sections"][number]["items"]): number => items.reduce((sum, item) => sum + 1 + count(item.children), 0);
  return checklist.sections.reduce((sum, section) => sum + count(section.items), 0);
}

/** A template version as Markdown, for editing it into the next version. */
export function templateToMarkdown(template: { slug: string; name: string }, checklist: KeyedChecklist): string {
  const toItem = (item: KeyedChecklist["sections"][number]["items"][number]): ExportItem => ({
    title: item.title,
    details: item.details,
    area: item.area,
    required: item.required,
    ...(item.level ? { level: item.level } : {}),
    status: "TODO",
    assignee: null,
    assigneeEmail: null,
    statusReason: null,
    waiver: null,
    dueAt: null,
    evidenceCount: 0,
    children: item.children.map(toItem),
  });
  // Without item comments (a template has no work to carry, and its editors read plain Markdown),
  // unless it has levels: then the comments say each item's level, so the next version keeps them.
  const levels = checklist.levels ?? [];
  return toMarkdown({
    project: { slug: template.slug, name: template.name },
    ...(levels.length > 0 ? { levels } : {}),
    exportedAt: new Date().toISOString(),
    sections: checklist.sections.map((section) => ({ title: section.title, items: section.items.map(toItem) })),
  }, { itemData: levels.length > 0 });
}
