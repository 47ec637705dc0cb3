import { apiReadRoute } from "@/lib/api";
import { getApiHistory } from "@/lib/rest/signoffs";

/** The project's history, newest first, with the filters of the history page; `before` pages on. */
export const GET = apiReadRoute<{ slug: string }>(async (ctx, request, { slug }) => getApiHistory(ctx.actor, slug, new URL(request.url).searchParams));
