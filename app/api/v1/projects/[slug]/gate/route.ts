import { apiTokenRoute } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { getProjectForActor } from "@/lib/projects/data";
import { getGateForProject } from "@/lib/signoffs/data";
import { getProjectForToken } from "@/lib/tokens/data";
import { gateAsText } from "@/lib/tokens/gate-step";
import { apiGateSchema } from "@/lib/rest/schemas";

/**
 * The go-live gate, for pipelines (an API token of this project or of all projects) and people
 * (the session). A token of another project gets the same 404 as a project that does not exist.
 * `?format=text` answers the state alone on the first line and one reason per line, for the
 * pipeline step that needs nothing but sh and curl (/api/v1/gate.sh).
 */
export const GET = apiTokenRoute<{ slug: string }>(async (caller, request, { slug }) => {
  const project = caller.kind === "token" ? await getProjectForToken(caller.token, slug) : await getProjectForActor(caller.ctx.actor, slug);
  if (caller.kind === "token" && !caller.token.permissions.includes("gate:read")) throw new AppError("FORBIDDEN", "This token may not read the go-live gate: create one with the gate:read permission.");
  const checkedAt = new Date();
  const gate = await getGateForProject(project.id, checkedAt);
  if (new URL(request.url).searchParams.get("format") === "text") {
    return new Response(gateAsText(gate), { headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  }
  return Response.json(
    apiGateSchema.parse({
      open: gate.open,
      reasons: gate.reasons,
      signoffs: gate.signoffs,
      project: { slug: project.slug, name: project.name },
      liveAt: gate.liveAt,
      checkedAt: checkedAt.toISOString(),
    }),
    { headers: { "cache-control": "no-store" } },
  );
});
