import { apiScopedRoute } from "@/lib/api";
import { getApiSignoffs } from "@/lib/rest/signoffs";

/** Every required slot with every round, its digest, and what changed since the latest round. */
export const GET = apiScopedRoute<{ slug: string }>("items:read", async (ctx, _request, { slug }) => getApiSignoffs(ctx.actor, slug));
