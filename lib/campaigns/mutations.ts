import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import { LONG_TRANSACTION, longDb, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent, type AuditContext } from "@/lib/audit/mutations";
import { isUniqueViolation } from "@/lib/db-errors";
import { assertCan } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { addChecklistRows, itemLink } from "@/lib/checklists/mutations";
import type { ChecklistData } from "@/lib/checklists/types";
import { peopleOnProject } from "@/lib/projects/roles";
import { notify } from "@/lib/notifications/mutations";
import { formatDateTime } from "@/lib/time";
import { log } from "@/lib/log";
import {
  addCampaignItemSchema,
  campaignItemsSchema,
  campaignStepSchema,
  createCampaignSchema,
  removeCampaignItemSchema,
  type CampaignItem,
} from "@/lib/campaigns/schema";

// Campaigns roll a requirement out: once started, each project the selection matches gets the
// campaign's items in a section of their own, in one transaction per project with its audit
// events (items added, then each assignment), so a failure leaves that project untouched and the
// others done. campaign_projects holds one row per project applied: applying again is a no-op,
// which is what makes a re-run, two instances, and the scheduler's catch-up safe.

type CampaignRow = Prisma.CampaignGetPayload<object>;

/** The end of a calendar day, UTC: when a campaign's items fall due. */
export function dueAtOf(dueOn: Date): Date {
  return new Date(Date.UTC(dueOn.getUTCFullYear(), dueOn.getUTCMonth(), dueOn.getUTCDate(), 23, 59, 59, 999));
}

const asDay = (value: string) => new Date(`${value}T00:00:00.000Z`);

/** The ids of the projects a campaign's selection matches now: by team, by template (any version), or by hand. */
export async function matchingProjectIds(reader: Pick<Tx, "$queryRaw">, campaign: Pick<CampaignRow, "teamIds" | "templateIds" | "projectIds">): Promise<string[]> {
  const rows = await reader.$queryRaw<{ id: string }[]>`
    SELECT p.id::text AS id FROM projects p
    LEFT JOIN template_versions v ON v.id = p.template_version_id
    WHERE p.id = ANY(${campaign.projectIds}::uuid[])
       OR p.team_id = ANY(${campaign.teamIds}::uuid[])
       OR v.template_id = ANY(${campaign.templateIds}::uuid[])
    ORDER BY p.name, p.id`;
  return rows.map((row) => row.id);
}

function snapshot(campaign: CampaignRow) {
  return {
    slug: campaign.slug,
    name: campaign.name,
    startsOn: campaign.startsOn.toISOString().slice(0, 10),
    dueOn: campaign.dueOn.toISOString().slice(0, 10),
    teamIds: campaign.teamIds,
    templateIds: campaign.templateIds,
    projectIds: campaign.projectIds,
    items: campaign.items,
    version: campaign.version,
  };
}

export async function createCampaign(ctx: ServiceContext, input: unknown): Promise<{ id: string; slug: string }> {
  assertCan(ctx.actor, "campaign.manage", { kind: "global" });
  const data = parseInput(createCampaignSchema, input);
  try {
    return await longDb.$transaction(async (tx) => {
      const campaign = await tx.campaign.create({
        data: {
          slug: data.slug,
          name: data.name,
          brief: data.brief,
          startsOn: asDay(data.startsOn),
          dueOn: asDay(data.dueOn),
          teamIds: data.teamIds,
          templateIds: data.templateIds,
          projectIds: data.projectIds,
          createdById: ctx.actor.id,
          createdByName: ctx.actor.name,
        },
      });
      await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.CAMPAIGN_CREATED, entityType: "campaign", entityId: campaign.id, after: { ...snapshot(campaign), brief: campaign.brief }, requestId: ctx.requestId });
      return { id: campaign.id, slug: campaign.slug };
    }, LONG_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("INVALID_INPUT", "Another campaign already has this slug.", { slug: ["Choose another slug."] });
    throw error;
  }
}

/** Locks a draft campaign on the version the person saw (409 otherwise). */
async function lockDraft(tx: Tx, campaignId: string, expectedVersion: number): Promise<CampaignRow> {
  await tx.$queryRaw`SELECT id FROM campaigns WHERE id = ${campaignId}::uuid FOR UPDATE`;
  const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  if (campaign.version !== expectedVersion) throw new AppError("CONFLICT", "Someone else changed this campaign while you were looking. Reload the page and try again.");
  if (campaign.startedAt) throw new AppError("CONFLICT", "This campaign has started: its items and selection no longer change.");
  return campaign;
}

async function changeItems(ctx: ServiceContext, campaignId: string, expectedVersion: number, change: (items: CampaignItem[]) => CampaignItem[]): Promise<{ version: number }> {
  return longDb.$transaction(async (tx) => {
    const campaign = await lockDraft(tx, campaignId, expectedVersion);
    const before = campaignItemsSchema.parse(campaign.items);
    const items = change(before);
    // As JSON: an absent level is no key at all, never an undefined one.
    const updated = await tx.campaign.update({ where: { id: campaign.id }, data: { items: JSON.parse(JSON.stringify(items)) as Prisma.InputJsonValue, version: { increment: 1 } } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.CAMPAIGN_UPDATED,
      entityType: "campaign",
      entityId: campaign.id,
      before: { items: before, version: campaign.version },
      after: { items, version: updated.version },
      requestId: ctx.requestId,
    });
    return { version: updated.version };
  }, LONG_TRANSACTION);
}

export async function addCampaignItem(ctx: ServiceContext, input: unknown): Promise<{ version: number }> {
  assertCan(ctx.actor, "campaign.manage", { kind: "global" });
  const { campaignId, expectedVersion, ...item } = parseInput(addCampaignItemSchema, input);
  return changeItems(ctx, campaignId, expectedVersion, (items) => {
    if (items.length >= 50) throw new AppError("INVALID_INPUT", "A campaign holds at most 50 items.", { title: ["A campaign holds at most 50 items."] });
    return [...items, item];
  });
}

export async function removeCampaignItem(ctx: ServiceContext, input: unknown): Promise<{ version: number }> {
  assertCan(ctx.actor, "campaign.manage", { kind: "global" });
  const { campaignId, expectedVersion, index } = parseInput(removeCampaignItemSchema, input);
  return changeItems(ctx, campaignId, expectedVersion, (items) => {
    if (index >= items.length) throw new AppError("CONFLICT", "That item is no longer in the campaign. Reload the page.");
    return items.filter((_item, position) => position !== index);
  });
}

/**
 * Adds a started campaign's items to one project, once: a section named after the campaign, its
 * items at their level (matched by name) and due at the campaign's date, each assigned to the
 * project's owner of its area when exactly one person holds that role there. Returns false when
 * the project already had them.
 */
export async function applyCampaignToProject(client: PrismaClient, ctx: AuditContext, campaign: CampaignRow, projectId: string): Promise<boolean> {
  const items = campaignItemsSchema.parse(campaign.items);
  try {
    return await client.$transaction(async (tx) => {
      const project = await tx.$queryRaw<{ id: string; slug: string; name: string; levels: string[] }[]>`
        SELECT id::text AS id, slug, name, levels FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`;
      const target = project[0];
      if (!target) return false;
      const claimed = await tx.$executeRaw`
        INSERT INTO campaign_projects (id, campaign_id, project_id) VALUES (gen_random_uuid(), ${campaign.id}::uuid, ${projectId}::uuid)
        ON CONFLICT (campaign_id, project_id) DO NOTHING`;
      if (claimed === 0) return false;
      const levelOf = (name: string | undefined) => Math.max(0, name ? target.levels.findIndex((level) => level.toLowerCase() === name.toLowerCase()) : 0);
      const checklist: ChecklistData = {
        title: null,
        sections: [
          {
            title: `Campaign: ${campaign.name}`,
            items: items.map((item) => ({ title: item.title, details: item.details, area: item.area, required: item.required, level: levelOf(item.level), status: "TODO", children: [] })),
          },
        ],
      };
      await addChecklistRows(tx, ctx, projectId, checklist, { kind: "campaign", campaignId: campaign.id, campaign: campaign.name });
      const section = await tx.checklistSection.findFirstOrThrow({ where: { projectId }, orderBy: { position: "desc" }, select: { id: true } });
      await tx.campaignProject.update({ where: { campaignId_projectId: { campaignId: campaign.id, projectId } }, data: { sectionId: section.id } });
      const added = await tx.checklistItem.findMany({ where: { sectionId: section.id }, orderBy: { position: "asc" }, select: { id: true, title: true, area: true, version: true } });
      await tx.checklistItem.updateMany({ where: { sectionId: section.id }, data: { campaignId: campaign.id } });
      await assignToOwners(tx, ctx, { ...target, campaignName: campaign.name }, added, dueAtOf(campaign.dueOn));
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.CAMPAIGN_APPLIED,
        entityType: "campaign",
        entityId: campaign.id,
        projectId,
        after: { campaign: campaign.name, slug: campaign.slug, sectionId: section.id, items: added.map((item) => item.id) },
        requestId: ctx.requestId,
      });
      return true;
    }, LONG_TRANSACTION);
  } catch (error) {
    // Another instance applied it at the same moment: it is there either way.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

async function assignToOwners(
  tx: Tx,
  ctx: AuditContext,
  project: { id: string; slug: string; name: string; campaignName: string },
  items: { id: string; title: string; area: CampaignItem["area"]; version: number }[],
  dueAt: Date,
): Promise<void> {
  const people = await peopleOnProject(tx, project.id, { disabledAt: null });
  const given = new Map<string, { name: string; titles: { id: string; title: string }[] }>();
  for (const item of items) {
    // GENERAL items, and areas with no single owner, wait for a lead to assign them.
    const area = item.area;
    const owners = area === "GENERAL" ? [] : people.filter((person) => person.roles.includes(area));
    const owner = owners.length === 1 ? owners[0]! : null;
    await tx.checklistItem.update({ where: { id: item.id }, data: { assigneeId: owner?.id ?? null, dueAt, version: { increment: 1 } } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.ITEM_ASSIGNED,
      entityType: "item",
      entityId: item.id,
      projectId: project.id,
      before: { title: item.title, assigneeId: null, assigneeName: null, dueAt: null, version: item.version },
      after: { title: item.title, assigneeId: owner?.id ?? null, assigneeName: owner?.name ?? null, dueAt: dueAt.toISOString(), version: item.version + 1, campaign: project.campaignName },
      requestId: ctx.requestId,
    });
    if (owner) {
      const entry = given.get(owner.id) ?? { name: owner.name, titles: [] };
      entry.titles.push({ id: item.id, title: item.title });
      given.set(owner.id, entry);
    }
  }
  for (const [ownerId, entry] of given) {
    const single = entry.titles.length === 1 ? entry.titles[0]! : null;
    await notify(tx, {
      kind: "ASSIGNED",
      recipients: [ownerId],
      projectId: project.id,
      itemId: single?.id ?? null,
      title: single ? `Campaign “${project.campaignName}” gave you “${single.title}” in ${project.name}` : `Campaign “${project.campaignName}” gave you ${entry.titles.length} items in ${project.name}`,
      body: `Due ${formatDateTime(dueAt, "UTC")} (UTC). ${entry.titles.map((item) => `“${item.title}”`).join(", ")}.`,
      link: single ? itemLink(project.slug, single.id) : `/my/assigned?project=${project.slug}`,
      actor: ctx.actor,
    });
  }
}

export type CampaignRun = { applied: number; already: number; failed: number };

/** Applies a started campaign to every project it matches that lacks it; one project's failure is logged and the rest go on. */
async function applyEverywhere(client: PrismaClient, ctx: AuditContext, campaign: CampaignRow): Promise<CampaignRun> {
  const run: CampaignRun = { applied: 0, already: 0, failed: 0 };
  const done = new Set((await client.campaignProject.findMany({ where: { campaignId: campaign.id }, select: { projectId: true } })).map((row) => row.projectId));
  for (const projectId of await matchingProjectIds(client, campaign)) {
    if (done.has(projectId)) {
      run.already += 1;
      continue;
    }
    try {
      if (await applyCampaignToProject(client, ctx, campaign, projectId)) run.applied += 1;
      else run.already += 1;
    } catch (error) {
      run.failed += 1;
      log.error({ component: "campaigns", campaignId: campaign.id, projectId, err: error }, "could not apply a campaign to a project");
    }
  }
  return run;
}

/** Starts a draft campaign on the version the person saw, and applies it to every project it selects. */
export async function startCampaign(ctx: ServiceContext, input: unknown): Promise<CampaignRun> {
  assertCan(ctx.actor, "campaign.manage", { kind: "global" });
  const { campaignId, expectedVersion } = parseInput(campaignStepSchema, input);
  const started = await longDb.$transaction(async (tx) => {
    const campaign = await lockDraft(tx, campaignId, expectedVersion);
    if (campaignItemsSchema.parse(campaign.items).length === 0) throw new AppError("INVALID_INPUT", "Add at least one item before starting the campaign.", { title: ["Add at least one item."] });
    const projects = await matchingProjectIds(tx, campaign);
    const updated = await tx.campaign.update({ where: { id: campaign.id }, data: { startedAt: new Date(), version: { increment: 1 } } });
    await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.CAMPAIGN_STARTED, entityType: "campaign", entityId: campaign.id, after: { ...snapshot(updated), projects: projects.length }, requestId: ctx.requestId });
    return updated;
  }, LONG_TRANSACTION);
  return applyEverywhere(longDb, ctx, started);
}

/** Ends a started campaign: projects that come to match it later no longer get its items. */
export async function endCampaign(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "campaign.manage", { kind: "global" });
  const { campaignId, expectedVersion } = parseInput(campaignStepSchema, input);
  await longDb.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM campaigns WHERE id = ${campaignId}::uuid FOR UPDATE`;
    const campaign = await tx.campaign.findUnique({ where: { id: campaignId } });
    if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
    if (campaign.version !== expectedVersion) throw new AppError("CONFLICT", "Someone else changed this campaign while you were looking. Reload the page and try again.");
    if (!campaign.startedAt || campaign.endedAt) throw new AppError("CONFLICT", campaign.endedAt ? "This campaign has already ended." : "This campaign has not started.");
    const updated = await tx.campaign.update({ where: { id: campaign.id }, data: { endedAt: new Date(), version: { increment: 1 } } });
    await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.CAMPAIGN_ENDED, entityType: "campaign", entityId: campaign.id, after: { version: updated.version }, requestId: ctx.requestId });
  }, LONG_TRANSACTION);
}

/**
 * The scheduler's catch-up: every running campaign goes to the projects that have come to match
 * it since (a new project, a team or template change). Recorded as the campaign's creator did not
 * act: the system adds them, named in the history as the campaign.
 */
export async function applyRunningCampaigns(client: PrismaClient): Promise<CampaignRun> {
  const total: CampaignRun = { applied: 0, already: 0, failed: 0 };
  const running = await client.campaign.findMany({ where: { startedAt: { not: null }, endedAt: null } });
  for (const campaign of running) {
    const run = await applyEverywhere(client, { actor: null, requestId: null }, campaign);
    total.applied += run.applied;
    total.already += run.already;
    total.failed += run.failed;
  }
  return total;
}
