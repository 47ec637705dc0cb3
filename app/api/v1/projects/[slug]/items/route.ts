import { apiScopedRoute } from "@/lib/api";
import { listItemsPage, parseItemsQuery } from "@/lib/rest/items";

/** The project's items in checklist order, filtered as the checklist page filters, a page at a time. */
export const GET = apiScopedRoute<{ slug: string }>("items:read", async (ctx, request, { slug }) => listItemsPage(ctx.actor, slug, parseItemsQuery(new URL(request.url).searchParams)));
