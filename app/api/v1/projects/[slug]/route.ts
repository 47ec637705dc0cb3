import { apiRoute } from "@/lib/api";
import { getProjectForActor } from "@/lib/projects/data";

export const GET = apiRoute<{ slug: string }>(async (ctx, _request, { slug }) => getProjectForActor(ctx.actor, slug));
