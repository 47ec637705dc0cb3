import { apiReadRoute } from "@/lib/api";
import { getApiTemplate } from "@/lib/rest/templates";

/** A template with its versions. */
export const GET = apiReadRoute<{ slug: string }>(async (ctx, _request, { slug }) => getApiTemplate(ctx.actor, slug));
