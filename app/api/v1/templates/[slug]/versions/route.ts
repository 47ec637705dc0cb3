import { apiRoute, readJson } from "@/lib/api";
import { createApiTemplateVersion } from "@/lib/rest/templates";

/** Publish a new version from Markdown: `{"expectedVersion", "markdown"}`. */
export const POST = apiRoute<{ slug: string }>(async (ctx, request, { slug }) => Response.json(await createApiTemplateVersion(ctx, slug, await readJson(request)), { status: 201 }));
