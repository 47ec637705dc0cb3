import { apiRoute } from "@/lib/api";
import { getProjectForActor } from "@/lib/projects/data";
import { apiProjectSchema } from "@/lib/rest/schemas";

export const GET = apiRoute<{ slug: string }>(async (ctx, _request, { slug }) => apiProjectSchema.parse(await getProjectForActor(ctx.actor, slug)));
