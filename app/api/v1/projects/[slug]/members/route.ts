import { apiRoute, readJson } from "@/lib/api";
import { getProjectForActor } from "@/lib/projects/data";
import { addMember } from "@/lib/projects/mutations";

/** Body: {"userId": "<uuid>", "roles": ["DBA", ...]}. */
export const POST = apiRoute<{ slug: string }>(async (ctx, request, { slug }) => {
  const project = await getProjectForActor(ctx.actor, slug);
  const body = await readJson(request);
  await addMember(ctx, { ...(typeof body === "object" && body !== null ? body : {}), projectId: project.id });
  return Response.json({ ok: true }, { status: 201 });
});
