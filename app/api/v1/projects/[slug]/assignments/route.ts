import { apiRoute, readJson } from "@/lib/api";
import { getProjectForActor } from "@/lib/projects/data";
import { assignApiItems } from "@/lib/rest/items";
import { apiAssignedSchema } from "@/lib/rest/schemas";

/** Assign one or many items and/or set their due dates: all or nothing. */
export const POST = apiRoute<{ slug: string }>(async (ctx, request, { slug }) => {
  const project = await getProjectForActor(ctx.actor, slug);
  return apiAssignedSchema.parse(await assignApiItems(ctx, project.id, await readJson(request)));
});
