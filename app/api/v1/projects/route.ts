import { apiRoute, readJson } from "@/lib/api";
import { listProjectsForActor } from "@/lib/projects/data";
import { createProject } from "@/lib/projects/mutations";

export const GET = apiRoute(async (ctx) => ({ projects: await listProjectsForActor(ctx.actor) }));

export const POST = apiRoute(async (ctx, request) => {
  const project = await createProject(ctx, await readJson(request));
  return Response.json(project, { status: 201 });
});
