import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import type { KeyedItem } from "@/lib/checklists/materialize";
import { fromStoredContent, templateToMarkdown } from "@/lib/templates/content";
import { getTemplate, listTemplates } from "@/lib/templates/data";
import { createTemplateVersion } from "@/lib/templates/mutations";
import { apiTemplateDetailSchema, apiTemplateListSchema, apiTemplateVersionCreatedSchema, apiTemplateVersionSchema } from "@/lib/rest/schemas";

// The template library over REST: the same reads as the templates pages, and new versions
// through the same service as the template editor.

export async function listApiTemplates(actor: Actor) {
  return apiTemplateListSchema.parse({ templates: await listTemplates(actor) });
}

export async function getApiTemplate(actor: Actor, slug: string) {
  const { content: _content, outdatedProjects: _outdated, canEdit: _canEdit, ...template } = await getTemplate(actor, slug);
  return apiTemplateDetailSchema.parse(template);
}

const toApiItem = (item: KeyedItem): unknown => ({ key: item.key ?? null, title: item.title, details: item.details, area: item.area, required: item.required, children: item.children.map(toApiItem) });

/** One version of a template, as JSON or as the Markdown it edits as. */
export async function getApiTemplateVersion(actor: Actor, slug: string, versionId: string, format: string | null): Promise<unknown> {
  const template = await getTemplate(actor, slug); // template.view; NOT_FOUND for an unknown slug
  const version = await db.templateVersion.findFirst({ where: { id: versionId, templateId: template.id }, select: { id: true, version: true, itemCount: true, createdAt: true, content: true } });
  if (!version) throw new AppError("NOT_FOUND", "Template version not found.");
  const checklist = fromStoredContent(version.content);
  if (format === "md") {
    return new Response(templateToMarkdown(template, checklist), {
      headers: { "content-type": "text/markdown; charset=utf-8", "content-disposition": `attachment; filename="${template.slug}-v${version.version}.md"` },
    });
  }
  if (format !== null && format !== "json") throw new AppError("INVALID_INPUT", "format must be json or md.", { format: ["Choose json or md."] });
  return apiTemplateVersionSchema.parse({
    template: { id: template.id, slug: template.slug, name: template.name },
    id: version.id,
    version: version.version,
    itemCount: version.itemCount,
    createdAt: version.createdAt.toISOString(),
    latest: version.id === template.latestVersionId,
    sections: checklist.sections.map((section) => ({ title: section.title, items: section.items.map(toApiItem) })),
  });
}

/** A new version of a template from Markdown, on the latest version the caller saw. */
export async function createApiTemplateVersion(ctx: ServiceContext, slug: string, body: unknown) {
  const template = await getTemplate(ctx.actor, slug);
  const input = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return apiTemplateVersionCreatedSchema.parse(await createTemplateVersion(ctx, { expectedVersion: input.expectedVersion, markdown: input.markdown, templateId: template.id }));
}
