import { apiRoute, readJson } from "@/lib/api";
import { listProjectsForActor } from "@/lib/projects/data";
import { createProject } from "@/lib/projects/mutations";
import { apiProjectCreatedSchema, apiProjectListSchema } from "@/lib/rest/schemas";

export const GET = apiRoute(async (ctx) => apiProjectListSchema.parse({ projects: await listProjectsForActor(ctx.actor) }));

export const POST = apiRoute(async (ctx, request) => {
  const project = await createProject(ctx, await readJson(request));
  return Response.json(apiProjectCreatedSchema.parse(project), { status: 201 });
});
