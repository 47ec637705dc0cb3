import { apiRoute } from "@/lib/api";
import { getProjectForActor } from "@/lib/projects/data";
import { removeMember } from "@/lib/projects/mutations";

export const DELETE = apiRoute<{ slug: string; userId: string }>(async (ctx, _request, { slug, userId }) => {
  const project = await getProjectForActor(ctx.actor, slug);
  await removeMember(ctx, { projectId: project.id, userId });
});
