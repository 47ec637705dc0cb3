import type { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { getChecklist, getItemDetail, type ChecklistView, type ItemView } from "@/lib/checklists/data";
import { addComment, addEvidence, removeEvidence, updateItem } from "@/lib/checklists/mutations";
import { assignItems } from "@/lib/checklists/assignments";
import { recordItemResult } from "@/lib/checklists/results";
import { isUuid } from "@/lib/validation";
import {
  apiItemDetailSchema,
  apiItemSchema,
  apiItemsPageSchema,
  itemsQuerySchema,
  type addCommentBodySchema,
  type addEvidenceBodySchema,
  type assignmentsBodySchema,
  type patchItemBodySchema,
  type resultBodySchema,
} from "@/lib/rest/schemas";

// The checklist's items over REST: read through the same views as the checklist page (the same
// filters and permissions), written through the same services as the forms (the one policy,
// validation, audit event in the same transaction, 409 on a stale version).

type ApiItem = z.output<typeof apiItemSchema>;

function toApiItem(item: ItemView, sectionTitle: string): ApiItem {
  const waived = item.status === "WAIVED";
  return apiItemSchema.parse({
    id: item.id,
    sectionId: item.sectionId,
    sectionTitle,
    parentId: item.parentId,
    path: item.path,
    title: item.title,
    details: item.details,
    area: item.area,
    required: item.required,
    level: item.level,
    levelName: item.levelName,
    countsForTarget: item.countsForTarget,
    status: item.status,
    effectiveStatus: item.effectiveStatus,
    statusReason: item.statusReason,
    waiver: waived
      ? {
          reason: item.statusReason,
          riskOwnerId: item.waiverRiskOwnerId,
          riskOwner: item.waiverRiskOwner,
          controls: item.waiverControls,
          expiresAt: item.waiverExpiresAt,
          requestedBy: item.waiverGrantedByName,
          acceptedBy: item.waiverAcceptedByName,
          acceptedAt: item.waiverAcceptedAt,
        }
      : null,
    assignee: item.assigneeId ? { id: item.assigneeId, name: item.assigneeName ?? "" } : null,
    dueAt: item.dueAt,
    version: item.version,
    evidenceCount: item.evidenceCount,
    commentCount: item.commentCount,
    updatedAt: item.updatedAt,
  });
}

/** Every item of a checklist view in checklist order (sections in order, each tree depth first). */
function itemsInOrder(view: ChecklistView): ApiItem[] {
  const walk = (items: ItemView[], sectionTitle: string): ApiItem[] => items.flatMap((item) => [toApiItem(item, sectionTitle), ...walk(item.children, sectionTitle)]);
  return view.sections.flatMap((section) => walk(section.items, section.title));
}

/** A page cursor names the last item of the page: the next page starts after it, wherever it now stands. */
const encodeCursor = (itemId: string) => Buffer.from(itemId, "utf8").toString("base64url");
function decodeCursor(cursor: string): string {
  const itemId = Buffer.from(cursor, "base64url").toString("utf8");
  if (!isUuid(itemId)) throw new AppError("INVALID_INPUT", "The cursor is not one this API gave.", { cursor: ["Pass the nextCursor of the previous page."] });
  return itemId;
}

export function parseItemsQuery(search: URLSearchParams) {
  const parsed = itemsQuerySchema.safeParse(Object.fromEntries(search));
  if (!parsed.success) {
    const fieldErrors: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "query")] ??= []).push(issue.message);
    throw new AppError("INVALID_INPUT", `Bad query: ${Object.keys(fieldErrors).join(", ")}.`, fieldErrors);
  }
  return parsed.data;
}

/** A page of a project's items, filtered as the checklist page filters them. */
export async function listItemsPage(actor: Actor, slug: string, query: z.output<typeof itemsQuerySchema>) {
  const { cursor, limit, ...filter } = query;
  const all = itemsInOrder(await getChecklist(actor, slug, filter));
  let start = 0;
  if (cursor) {
    const after = decodeCursor(cursor);
    const index = all.findIndex((item) => item.id === after);
    // An item that has since left the checklist (or the filter) cannot place the page.
    if (index === -1) throw new AppError("CONFLICT", "The item this page continued from is no longer in the list; start again from the first page.");
    start = index + 1;
  }
  const items = all.slice(start, start + limit);
  const last = items.at(-1);
  return apiItemsPageSchema.parse({ items, total: all.length, nextCursor: last && start + limit < all.length ? encodeCursor(last.id) : null });
}

async function slugOfItem(itemId: string): Promise<string> {
  const row = isUuid(itemId) ? await db.checklistItem.findUnique({ where: { id: itemId }, select: { project: { select: { slug: true } } } }) : null;
  if (!row) throw new AppError("NOT_FOUND", "Item not found.");
  return row.project.slug;
}

/** One item as the API shows it, for someone who may see its project (NOT_FOUND otherwise). */
export async function getApiItem(actor: Actor, itemId: string): Promise<ApiItem> {
  const slug = await slugOfItem(itemId);
  const item = itemsInOrder(await getChecklist(actor, slug)).find((entry) => entry.id === itemId);
  if (!item) throw new AppError("NOT_FOUND", "Item not found.");
  return item;
}

/** One item with its evidence and comments. */
export async function getApiItemDetail(actor: Actor, itemId: string) {
  const item = await getApiItem(actor, itemId);
  const detail = await getItemDetail(actor, itemId);
  return apiItemDetailSchema.parse({
    ...item,
    evidence: detail.evidence.map(({ createdLabel: _label, ...entry }) => entry),
    comments: detail.comments.map(({ createdLabel: _label, ...comment }) => comment),
    results: detail.results.map(({ recordedLabel: _label, ...result }) => result),
    renewal: { everyDays: detail.renewal.everyDays, dueAt: detail.renewal.dueAt },
  });
}

/** A 409 from a service, with the item as it is now beside the caller's version. */
async function withCurrentOnConflict<T>(ctx: ServiceContext, itemId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") {
      const current = await getApiItem(ctx.actor, itemId).catch(() => null);
      throw new AppError("CONFLICT", error.message, error.fieldErrors, { ...error.data, current });
    }
    throw error;
  }
}

const asObject = (body: unknown): Record<string, unknown> => (typeof body === "object" && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {});

/** PATCH an item: only the fields sent change; `expectedVersion` is required. */
export async function patchApiItem(ctx: ServiceContext, itemId: string, body: unknown) {
  const input = asObject(body) as Partial<z.input<typeof patchItemBodySchema>>;
  const saved = await withCurrentOnConflict(ctx, itemId, () => updateItem(ctx, { ...input, itemId }));
  return { changed: saved.changed, item: await getApiItem(ctx.actor, itemId) };
}

export async function addApiEvidence(ctx: ServiceContext, itemId: string, body: unknown) {
  const input = asObject(body) as Partial<z.input<typeof addEvidenceBodySchema>>;
  return withCurrentOnConflict(ctx, itemId, () => addEvidence(ctx, { ...input, itemId }));
}

export async function removeApiEvidence(ctx: ServiceContext, itemId: string, evidenceId: string, expectedVersion: string | null) {
  return withCurrentOnConflict(ctx, itemId, () => removeEvidence(ctx, { itemId, evidenceId, expectedVersion: expectedVersion ?? undefined }));
}

export async function addApiComment(ctx: ServiceContext, itemId: string, body: unknown) {
  const input = asObject(body) as Partial<z.input<typeof addCommentBodySchema>>;
  return addComment(ctx, { ...input, itemId });
}

/** Assign one or many items (and/or set their due dates), all or nothing. */
export async function assignApiItems(ctx: ServiceContext, projectId: string, body: unknown) {
  const input = asObject(body) as Partial<z.input<typeof assignmentsBodySchema>>;
  const items = Array.isArray(input.items) ? input.items.map((entry) => `${String(asObject(entry).itemId ?? "")}:${String(asObject(entry).expectedVersion ?? "")}`) : input.items;
  return assignItems(ctx, { projectId, items, assigneeId: input.assigneeId ?? "keep", dueDate: input.dueDate ?? "keep", timeZone: input.timeZone ?? "UTC" });
}

/** Record a result for an item of the project named in the path (NOT_FOUND for an item of another). */
export async function recordApiResult(ctx: ServiceContext, slug: string, itemId: string, body: unknown) {
  if ((await slugOfItem(itemId)) !== slug) throw new AppError("NOT_FOUND", "Item not found.");
  const input = asObject(body) as Partial<z.input<typeof resultBodySchema>>;
  return recordItemResult(ctx, { ...input, itemId });
}
