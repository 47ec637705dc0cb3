import { createHash } from "node:crypto";
import { z } from "zod";
import { LONG_TRANSACTION, longDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan, mayBeAssigned } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { endOfDayIn, formatDateTime } from "@/lib/time";
import { lockProjectFor } from "@/lib/projects/lock";
import { peopleOnProject } from "@/lib/projects/roles";
import { notify } from "@/lib/notifications/mutations";
import { assignItemsSchema, checklistFilterSchema } from "@/lib/checklists/schema";
import { getChecklist, type ItemView } from "@/lib/checklists/data";
import { itemLink } from "@/lib/checklists/mutations";
import { areaLabels } from "@/lib/checklists/types";

const MAX_NAMED = 5;

function listTitles(titles: string[]): string {
  const named = titles.slice(0, MAX_NAMED).map((title) => `“${title}”`).join(", ");
  return titles.length > MAX_NAMED ? `${named} and ${titles.length - MAX_NAMED} more` : named;
}

/**
 * Assigns items to a project member and/or sets their due time, for one item or a whole
 * filtered selection: all or nothing. The assignee must hold the area role of every item (or
 * LEAD). Each changed item gets its own version bump and audit event; the new assignee gets one
 * notification for the lot.
 */
export async function assignItems(ctx: ServiceContext, input: unknown): Promise<{ changed: number }> {
  const data = parseInput(assignItemsSchema, input);
  const ids = [...new Set(data.items.map((item) => item.itemId))];
  const expected = new Map(data.items.map((item) => [item.itemId, item.expectedVersion]));
  return longDb.$transaction(async (tx) => {
    await lockProjectFor(tx, ctx.actor, data.projectId, "item.assign");
    await tx.$queryRaw`SELECT id FROM checklist_items WHERE id = ANY(${ids}::uuid[]) AND project_id = ${data.projectId}::uuid ORDER BY id FOR UPDATE`;
    const items = await tx.checklistItem.findMany({
      where: { id: { in: ids }, projectId: data.projectId },
      select: { id: true, title: true, area: true, version: true, assigneeId: true, dueAt: true, assignee: { select: { name: true } } },
    });
    if (items.length !== ids.length) {
      throw new AppError("CONFLICT", `${ids.length - items.length} of the selected items are no longer on this checklist. Nothing was changed; reload the page and try again.`);
    }
    const outdated = items.filter((item) => item.version !== expected.get(item.id));
    if (outdated.length > 0) {
      throw new AppError(
        "CONFLICT",
        `Someone else changed ${outdated.length === 1 ? "an item" : `${outdated.length} items`} while you were looking (${listTitles(outdated.map((item) => item.title))}). Nothing was changed; reload the page and try again.`,
      );
    }

    let assignee: { id: string; name: string } | null | undefined;
    if (data.assigneeId === "none") assignee = null;
    else if (data.assigneeId !== "keep") {
      // Their own roles and their team's: a team's DBA takes the project's DBA items.
      const [member] = await peopleOnProject(tx, data.projectId, { id: data.assigneeId, disabledAt: null });
      if (!member) {
        throw new AppError("INVALID_INPUT", "Only an active member of this project can be assigned.", { assigneeId: ["Choose an active member of this project."] });
      }
      const refused = items.filter((item) => !mayBeAssigned(item.area, member.roles));
      if (refused.length > 0) {
        const areas = [...new Set(refused.map((item) => areaLabels[item.area]))].join(" or ");
        const message = `${member.name} holds no ${areas} role on this project, so cannot take ${listTitles(refused.map((item) => item.title))}. Nothing was changed.`;
        throw new AppError("INVALID_INPUT", message, { assigneeId: [message] });
      }
      assignee = { id: member.id, name: member.name };
    }
    const dueAt = data.dueDate === "keep" ? undefined : data.dueDate === "none" ? null : endOfDayIn(data.dueDate, data.timeZone);

    const given: typeof items = [];
    for (const item of items) {
      const nextAssigneeId = assignee === undefined ? item.assigneeId : (assignee?.id ?? null);
      const nextDueAt = dueAt === undefined ? item.dueAt : dueAt;
      if (nextAssigneeId === item.assigneeId && nextDueAt?.getTime() === item.dueAt?.getTime()) continue;
      const updated = await tx.checklistItem.updateMany({
        where: { id: item.id, version: item.version },
        data: { assigneeId: nextAssigneeId, dueAt: nextDueAt, version: { increment: 1 } },
      });
      if (updated.count !== 1) throw new AppError("CONFLICT", "Someone else changed these items at the same moment. Nothing was changed; reload and try again.");
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.ITEM_ASSIGNED,
        entityType: "item",
        entityId: item.id,
        projectId: data.projectId,
        before: { title: item.title, assigneeId: item.assigneeId, assigneeName: item.assignee?.name ?? null, dueAt: item.dueAt?.toISOString() ?? null, version: item.version },
        after: {
          title: item.title,
          assigneeId: nextAssigneeId,
          assigneeName: nextAssigneeId === item.assigneeId ? (item.assignee?.name ?? null) : (assignee?.name ?? null),
          dueAt: nextDueAt?.toISOString() ?? null,
          version: item.version + 1,
          ...(ids.length > 1 ? { bulk: ids.length } : {}),
        },
        requestId: ctx.requestId,
      });
      if (assignee && nextAssigneeId !== item.assigneeId) given.push({ ...item, dueAt: nextDueAt });
    }

    if (assignee && given.length > 0) {
      const project = await tx.project.findUniqueOrThrow({ where: { id: data.projectId }, select: { slug: true, name: true } });
      const first = given[0]!;
      const due = first.dueAt ? ` Due ${formatDateTime(first.dueAt, data.timeZone)} (${data.timeZone}).` : "";
      await notify(tx, {
        kind: "ASSIGNED",
        recipients: [assignee.id],
        projectId: data.projectId,
        itemId: given.length === 1 ? first.id : null,
        title: given.length === 1 ? `${ctx.actor.name} assigned you “${first.title}” in ${project.name}` : `${ctx.actor.name} assigned you ${given.length} items in ${project.name}`,
        body: given.length === 1 ? `${areaLabels[first.area]} item.${due}` : `${listTitles(given.map((item) => item.title))}.${due}`,
        link: given.length === 1 ? itemLink(project.slug, first.id) : `/my/assigned?project=${project.slug}`,
        actor: ctx.actor,
      });
    }
    return { changed: ids.length === 0 ? 0 : items.length };
  }, LONG_TRANSACTION);
}

/** A fingerprint of a selection as the page showed it: every item id with its version. */
export function selectionDigest(items: readonly { id: string; version: number }[]): string {
  const parts = items.map((item) => `${item.id}:${item.version}`).sort();
  return createHash("sha256").update(parts.join(",")).digest("hex");
}

const filteredSelectionSchema = z.object({
  slug: z.string().min(1).max(100),
  /** selectionDigest of the items the page showed under `filter`. */
  selection: z.string().regex(/^[0-9a-f]{64}$/, "The selection is out of date; reload the page."),
});

/**
 * assignItems for "every item shown" under a checklist filter: the page sends the filter and
 * the digest of the items it showed, not the items. If the filter now selects anything else, or
 * any of them changed, nothing is changed (409), as with a stale item version.
 */
export async function assignFilteredItems(ctx: ServiceContext, input: Record<string, unknown>): Promise<{ changed: number }> {
  const { slug, selection } = parseInput(filteredSelectionSchema, { slug: input.slug, selection: input.selection });
  const filter = checklistFilterSchema.parse(input.filter ?? {});
  const view = await getChecklist(ctx.actor, slug, filter);
  assertCan(ctx.actor, "item.assign", { kind: "project", projectId: view.project.id, roles: view.project.myRoles });
  const flatten = (items: ItemView[]): ItemView[] => items.flatMap((item) => [item, ...flatten(item.children)]);
  const items = view.sections.flatMap((section) => flatten(section.items));
  if (selectionDigest(items) !== selection) {
    throw new AppError("CONFLICT", `The items shown changed since the page was loaded (${items.length} match now). Nothing was changed; reload the page and try again.`);
  }
  const { slug: _slug, filter: _filter, selection: _selection, ...rest } = input;
  return assignItems(ctx, { ...rest, projectId: view.project.id, items: items.map((item) => `${item.id}:${item.version}`) });
}
