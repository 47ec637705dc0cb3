import { apiReadRoute } from "@/lib/api";
import { getApiTemplateVersion } from "@/lib/rest/templates";

/** One version, as JSON or (`?format=md`) as Markdown. */
export const GET = apiReadRoute<{ slug: string; id: string }>(async (ctx, request, { slug, id }) => getApiTemplateVersion(ctx.actor, slug, id, new URL(request.url).searchParams.get("format")));
