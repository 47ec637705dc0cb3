import { apiTokenRoute } from "@/lib/api";
import { getProjectForActor } from "@/lib/projects/data";
import { getGateForProject } from "@/lib/signoffs/data";
import { getProjectForToken } from "@/lib/tokens/data";

/**
 * The go-live gate, for pipelines (an API token of this project or of all projects) and people
 * (the session). A token of another project gets the same 404 as a project that does not exist.
 */
export const GET = apiTokenRoute<{ slug: string }>(async (caller, _request, { slug }) => {
  const project = caller.kind === "token" ? await getProjectForToken(caller.token, slug) : await getProjectForActor(caller.ctx.actor, slug);
  const checkedAt = new Date();
  const gate = await getGateForProject(project.id, checkedAt);
  return Response.json(
    {
      open: gate.open,
      reasons: gate.reasons,
      signoffs: gate.signoffs,
      project: { slug: project.slug, name: project.name },
      liveAt: gate.liveAt,
      checkedAt: checkedAt.toISOString(),
    },
    { headers: { "cache-control": "no-store" } },
  );
});
