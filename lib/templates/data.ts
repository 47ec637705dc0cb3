import { isSlug } from "@/lib/validation";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, can, type Actor } from "@/lib/policy";
import { listProjectsForActor } from "@/lib/projects/data";
import { diffTemplates, type TemplateDiff } from "@/lib/templates/diff";
import { fromStoredContent } from "@/lib/templates/content";
import type { KeyedChecklist } from "@/lib/checklists/materialize";

export type TemplateSummary = { id: string; slug: string; name: string; description: string; builtIn: boolean; latestVersion: number; latestVersionId: string; itemCount: number; projectCount: number };

export async function listTemplates(actor: Actor): Promise<TemplateSummary[]> {
  assertCan(actor, "template.view", { kind: "global" });
  const templates = await db.template.findMany({
    orderBy: [{ builtIn: "desc" }, { name: "asc" }],
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      builtIn: true,
      versions: { orderBy: { version: "desc" }, select: { id: true, version: true, itemCount: true, _count: { select: { projects: true } } } },
    },
  });
  return templates.flatMap((template) => {
    const latest = template.versions[0];
    if (!latest) return [];
    return [{
      id: template.id,
      slug: template.slug,
      name: template.name,
      description: template.description,
      builtIn: template.builtIn,
      latestVersion: latest.version,
      latestVersionId: latest.id,
      itemCount: latest.itemCount,
      projectCount: template.versions.reduce((sum, version) => sum + version._count.projects, 0),
    }];
  });
}

export type TemplateDetail = TemplateSummary & {
  content: KeyedChecklist;
  versions: { id: string; version: number; itemCount: number; createdAt: string }[];
  /** Projects the viewer can see that are on an older version, with what upgrading would change. */
  outdatedProjects: { id: string; slug: string; name: string; versionId: string; version: number; diff: TemplateDiff; canUpgrade: boolean }[];
  canEdit: boolean;
};

export async function getTemplate(actor: Actor, slug: string): Promise<TemplateDetail> {
  assertCan(actor, "template.view", { kind: "global" });
  if (!isSlug(slug)) throw new AppError("NOT_FOUND", "Template not found.");
  const template = await db.template.findUnique({
    where: { slug },
    select: {
      id: true,
      slug: true,
      name: true,
      description: true,
      builtIn: true,
      versions: {
        orderBy: { version: "desc" },
        select: { id: true, version: true, itemCount: true, createdAt: true, createdById: true, content: true, projects: { select: { id: true } } },
      },
    },
  });
  const latest = template?.versions[0];
  if (!template || !latest) throw new AppError("NOT_FOUND", "Template not found.");
  const latestContent = fromStoredContent(latest.content);
  const visible = new Map((await listProjectsForActor(actor)).map((project) => [project.id, project]));
  const outdatedProjects = template.versions.slice(1).flatMap((version) => {
    const diff = diffTemplates(fromStoredContent(version.content), latestContent);
    return version.projects.flatMap(({ id }) => {
      const project = visible.get(id);
      if (!project) return [];
      return [{
        id,
        slug: project.slug,
        name: project.name,
        versionId: version.id,
        version: version.version,
        diff,
        canUpgrade: can(actor, "checklist.edit", { kind: "project", projectId: id, roles: project.myRoles }),
      }];
    });
  });
  return {
    id: template.id,
    slug: template.slug,
    name: template.name,
    description: template.description,
    builtIn: template.builtIn,
    latestVersion: latest.version,
    latestVersionId: latest.id,
    itemCount: latest.itemCount,
    projectCount: template.versions.reduce((sum, version) => sum + version.projects.length, 0),
    content: latestContent,
    versions: template.versions.map((version) => ({ id: version.id, version: version.version, itemCount: version.itemCount, createdAt: version.createdAt.toISOString() })),
    outdatedProjects,
    canEdit: !template.builtIn && can(actor, "template.edit", { kind: "template", ownerId: template.versions.find((version) => version.version === 1)?.createdById ?? null }),
  };
}
