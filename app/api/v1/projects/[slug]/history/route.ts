import { apiScopedRoute } from "@/lib/api";
import { getApiHistory } from "@/lib/rest/signoffs";

/** The project's history, newest first, with the filters of the history page; `before` pages on. */
export const GET = apiScopedRoute<{ slug: string }>("items:read", async (ctx, request, { slug }) => getApiHistory(ctx.actor, slug, new URL(request.url).searchParams));
