import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { assertCan, can } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { flattenKeyed } from "@/lib/templates/keys";
import { diffTemplates } from "@/lib/templates/diff";
import { countItems, fromStoredContent, keyedFromMarkdown, toStoredContent } from "@/lib/templates/content";
import { createTemplateSchema, createTemplateVersionSchema, upgradeProjectSchema } from "@/lib/templates/schema";
import { markStaleSignoffs } from "@/lib/signoffs/mutations";
import { lockProjectFor } from "@/lib/projects/lock";
import { areas } from "@/lib/checklists/types";

export async function createTemplate(ctx: ServiceContext, input: unknown): Promise<{ id: string; slug: string }> {
  assertCan(ctx.actor, "template.manage", { kind: "global" });
  const data = parseInput(createTemplateSchema, input);
  const { checklist } = await keyedFromMarkdown(data.markdown, "markdown", ctx.actor.id);
  try {
    return await db.$transaction(async (tx) => {
      const template = await tx.template.create({ data: { slug: data.slug, name: data.name, description: data.description }, select: { id: true, slug: true, name: true } });
      const version = await tx.templateVersion.create({
        data: { templateId: template.id, version: 1, content: toStoredContent(checklist), itemCount: countItems(checklist), createdById: ctx.actor.id },
        select: { id: true, version: true, itemCount: true },
      });
      await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.TEMPLATE_CREATED, entityType: "template", entityId: template.id, after: { ...template, ...version }, requestId: ctx.requestId });
      return { id: template.id, slug: template.slug };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A template with the slug "${data.slug}" already exists.`, { slug: ["This slug is taken; choose another."] });
    throw error;
  }
}

/** A template's owner: whoever created its first version. */
export async function templateOwnerId(client: Pick<Tx, "templateVersion">, templateId: string): Promise<string | null> {
  const first = await client.templateVersion.findFirst({ where: { templateId, version: 1 }, select: { createdById: true } });
  return first?.createdById ?? null;
}

export async function createTemplateVersion(ctx: ServiceContext, input: unknown): Promise<{ version: number }> {
  assertCan(ctx.actor, "template.manage", { kind: "global" });
  const data = parseInput(createTemplateVersionSchema, input);
  const { checklist } = await keyedFromMarkdown(data.markdown, "markdown", ctx.actor.id);
  try {
    return await db.$transaction(async (tx) => {
      const template = await tx.template.findUnique({ where: { id: data.templateId }, select: { id: true, builtIn: true, versions: { orderBy: { version: "desc" }, take: 1, select: { version: true } } } });
      if (!template) throw new AppError("NOT_FOUND", "Template not found.");
      if (template.builtIn) throw new AppError("FORBIDDEN", "Built-in templates cannot be edited; create your own from this one instead.");
      if (!can(ctx.actor, "template.edit", { kind: "template", ownerId: await templateOwnerId(tx, template.id) })) {
        throw new AppError("FORBIDDEN", "Only the template's owner or an admin can publish a new version; make your own copy instead.");
      }
      const latest = template.versions[0]?.version ?? 0;
      if (latest !== data.expectedVersion) throw new AppError("CONFLICT", `Someone saved version ${latest} meanwhile. Reload the template and apply your changes to it.`);
      const created = await tx.templateVersion.create({
        data: { templateId: template.id, version: latest + 1, content: toStoredContent(checklist), itemCount: countItems(checklist), createdById: ctx.actor.id },
        select: { id: true, version: true, itemCount: true },
      });
      await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.TEMPLATE_VERSION_CREATED, entityType: "template", entityId: template.id, after: created, requestId: ctx.requestId });
      return { version: created.version };
    });
  } catch (error) {
    // Two editors saving at the same moment: the unique (template, version) decides.
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "Someone saved a new version at the same moment. Reload the template and try again.");
    throw error;
  }
}

const BUILT_IN_DIR = path.join(process.cwd(), "lib", "templates", "built-in");

/** The seed checklists teams gave us, shipped as built-in templates. */
export const builtInTemplates = [
  { slug: "vercel-mongodb-web-app", name: "Web app on Vercel with MongoDB Atlas", description: "Flask web app with JWT auth on Vercel, MongoDB Atlas, rate limiting and security headers." },
  { slug: "aws-ec2-dynamodb-flask", name: "Flask on AWS EC2 with DynamoDB", description: "Flask behind Gunicorn and Nginx on EC2, DynamoDB, monitoring and backups." },
  { slug: "docker-kafka-data-pipeline", name: "Data pipeline on Docker with Kafka, HDFS and PostgreSQL", description: "Streaming pipeline: Kafka, HDFS, PostgreSQL, containers and model serving." },
  { slug: "kubernetes-postgres-redis", name: "Kubernetes app with PostgreSQL and Redis", description: "Multi-service app on Docker and Kubernetes with PostgreSQL and Redis." },
  { slug: "fastapi-postgis-backend", name: "FastAPI backend with PostGIS, Redis and MinIO", description: "API backend with PostGIS, Redis, MinIO object storage and background workers." },
] as const;

/**
 * Loads the built-in templates that are missing, by running the shipped Markdown through the
 * importer like any upload. Idempotent: run on every start.
 */
export async function ensureBuiltInTemplates(client: PrismaClient): Promise<number> {
  const shipped = new Set(readdirSync(BUILT_IN_DIR));
  let created = 0;
  for (const definition of builtInTemplates) {
    const file = `${definition.slug}.md`;
    if (!shipped.has(file)) throw new Error(`Built-in template file missing: ${file}`);
    if (await client.template.findUnique({ where: { slug: definition.slug }, select: { id: true } })) continue;
    const { checklist } = await keyedFromMarkdown(readFileSync(path.join(BUILT_IN_DIR, file)), "markdown");
    try {
      await client.$transaction(async (tx) => {
      const template = await tx.template.create({ data: { ...definition, builtIn: true }, select: { id: true, slug: true, name: true } });
      const version = await tx.templateVersion.create({
        data: { templateId: template.id, version: 1, content: toStoredContent(checklist), itemCount: countItems(checklist) },
        select: { id: true, version: true, itemCount: true },
      });
      await recordAuditEvent(tx, { actor: null, action: auditActions.TEMPLATE_CREATED, entityType: "template", entityId: template.id, after: { ...template, ...version, builtIn: true }, requestId: "built-in-templates" });
      });
      created++;
    } catch (error) {
      // Another instance starting at the same moment loaded it first: that is the goal.
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return created;
}

type ProjectItem = { id: string; templateKey: string | null; sectionId: string; parentId: string | null; status: string; assigneeId: string | null; dueAt: Date | null; _count: { evidence: number; comments: number } };

/**
 * Moves a project's checklist to a newer version of its template: added items appear, removed
 * ones are deleted only if nobody worked on them (or on anything under them), and changed
 * guidance reaches only untouched items. Nothing done is lost.
 */
export async function upgradeProjectTemplate(ctx: ServiceContext, input: unknown) {
  const data = parseInput(upgradeProjectSchema, input);
  return db.$transaction(async (tx) => {
    await lockProjectFor(tx, ctx.actor, data.projectId, "checklist.edit");
    const project = await tx.project.findUniqueOrThrow({ where: { id: data.projectId }, select: { id: true, name: true, templateVersionId: true } });
    if (project.templateVersionId !== data.fromVersionId) throw new AppError("CONFLICT", "The project's template version changed meanwhile. Reload the page.");
    const [from, to] = await Promise.all([
      tx.templateVersion.findUnique({ where: { id: data.fromVersionId }, select: { id: true, templateId: true, version: true, content: true } }),
      tx.templateVersion.findUnique({ where: { id: data.toVersionId }, select: { id: true, templateId: true, version: true, content: true } }),
    ]);
    if (!from || !to || from.templateId !== to.templateId || to.version <= from.version) {
      throw new AppError("INVALID_INPUT", "Choose a newer version of the project's own template.", { toVersionId: ["Choose a newer version of the same template."] });
    }
    const fromContent = fromStoredContent(from.content);
    const toContent = fromStoredContent(to.content);
    const diff = diffTemplates(fromContent, toContent);
    const summary = await applyTemplateDiff(tx, project.id, toContent, diff);
    await tx.project.update({ where: { id: project.id }, data: { templateVersionId: to.id } });
    await markStaleSignoffs(tx, ctx, project.id, areas, { action: auditActions.CHECKLIST_UPGRADED, itemId: null, title: `moved to template version ${to.version}` });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.CHECKLIST_UPGRADED,
      entityType: "project",
      entityId: project.id,
      projectId: project.id,
      before: { templateVersionId: from.id, version: from.version },
      after: { templateVersionId: to.id, version: to.version, ...summary },
      requestId: ctx.requestId,
    });
    return summary;
  });
}

async function applyTemplateDiff(tx: Tx, projectId: string, toContent: ReturnType<typeof fromStoredContent>, diff: ReturnType<typeof diffTemplates>) {
  const items: ProjectItem[] = await tx.checklistItem.findMany({
    where: { projectId },
    select: { id: true, templateKey: true, sectionId: true, parentId: true, status: true, assigneeId: true, dueAt: true, _count: { select: { evidence: true, comments: true } } },
  });
  const byKey = new Map(items.filter((item) => item.templateKey).map((item) => [item.templateKey as string, item]));
  const childrenOf = new Map<string, ProjectItem[]>();
  for (const item of items) if (item.parentId) childrenOf.set(item.parentId, [...(childrenOf.get(item.parentId) ?? []), item]);
  const isWorked = (item: ProjectItem): boolean =>
    item.status !== "TODO" || item._count.evidence > 0 || item._count.comments > 0 || item.assigneeId !== null || item.dueAt !== null || (childrenOf.get(item.id) ?? []).some(isWorked);

  const removed: { id: string; title: string }[] = [];
  const kept: { id: string; title: string }[] = [];
  for (const ref of diff.removed) {
    const item = byKey.get(ref.key);
    if (!item) continue;
    if (isWorked(item)) {
      kept.push({ id: item.id, title: ref.title });
    } else {
      // deleteMany: an item under a parent removed just before is already gone with it.
      await tx.checklistItem.deleteMany({ where: { id: item.id } });
      removed.push({ id: item.id, title: ref.title });
    }
  }

  const updated: { id: string; title: string; fields: string[]; details: string; area: string; required: boolean; version: number }[] = [];
  const toEntries = new Map(flattenKeyed(toContent).map((entry) => [entry.item.key, entry]));
  for (const ref of diff.changed) {
    const item = byKey.get(ref.key);
    const entry = toEntries.get(ref.key);
    if (!item || !entry || isWorked(item)) continue;
    const { version } = await tx.checklistItem.update({
      where: { id: item.id },
      data: { details: entry.item.details, area: entry.item.area, required: entry.item.required, version: { increment: 1 } },
      select: { version: true },
    });
    updated.push({ id: item.id, title: ref.title, fields: ref.fields, details: entry.item.details, area: entry.item.area, required: entry.item.required, version });
  }

  // With the new rows' every field (status TODO, version 1), so the checklist can be rebuilt from the events.
  const added: {
    id: string;
    title: string;
    section: string;
    sectionId: string;
    parentId: string | null;
    position: number;
    templateKey: string;
    details: string;
    area: string;
    required: boolean;
  }[] = [];
  const addedSections: { id: string; title: string; position: number }[] = [];
  const sections = await tx.checklistSection.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { id: true, title: true, position: true } });
  const sectionByTitle = new Map(sections.map((section) => [section.title, section.id]));
  let nextSectionPosition = (sections.at(-1)?.position ?? -1) + 1;
  const addedKeys = new Set(diff.added.map((ref) => ref.key));
  for (const entry of flattenKeyed(toContent)) {
    if (!entry.item.key || !addedKeys.has(entry.item.key) || byKey.has(entry.item.key)) continue;
    let sectionId = sectionByTitle.get(entry.section);
    if (!sectionId) {
      sectionId = randomUUID();
      const section = { id: sectionId, title: entry.section, position: nextSectionPosition++ };
      await tx.checklistSection.create({ data: { ...section, projectId } });
      sectionByTitle.set(entry.section, sectionId);
      addedSections.push(section);
    }
    const parent = entry.parentKey ? byKey.get(entry.parentKey) : undefined;
    const siblings = await tx.checklistItem.aggregate({ where: { sectionId, parentId: parent?.id ?? null }, _max: { position: true } });
    const created = await tx.checklistItem.create({
      data: {
        projectId,
        sectionId,
        parentId: parent?.id ?? null,
        position: (siblings._max.position ?? -1) + 1,
        templateKey: entry.item.key,
        title: entry.item.title,
        details: entry.item.details,
        area: entry.item.area,
        required: entry.item.required,
      },
      select: { id: true, sectionId: true, parentId: true, position: true, status: true, assigneeId: true, dueAt: true, templateKey: true },
    });
    byKey.set(entry.item.key, { ...created, _count: { evidence: 0, comments: 0 } });
    added.push({
      id: created.id,
      title: entry.item.title,
      section: entry.section,
      sectionId: created.sectionId,
      parentId: created.parentId,
      position: created.position,
      templateKey: entry.item.key,
      details: entry.item.details,
      area: entry.item.area,
      required: entry.item.required,
    });
  }
  return { added, addedSections, removed, kept, updated };
}
