import { apiRoute } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { getProjectForActor } from "@/lib/projects/data";
import { importChecklist } from "@/lib/checklists/mutations";

const MAX_BODY = 1024 * 1024;
const MARKDOWN_TYPES = ["text/markdown", "text/x-markdown", "text/plain"];

/**
 * Body: the checklist as `text/markdown`. Answers 201 with {sections, items, checked, maxDepth},
 * plus {droppedAssignees, droppedRiskOwners} for a Shipshape export.
 */
export const POST = apiRoute<{ slug: string }>(async (ctx, request, { slug }) => {
  const project = await getProjectForActor(ctx.actor, slug);
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (!MARKDOWN_TYPES.includes(type)) {
    throw new AppError("INVALID_INPUT", `Send the checklist as text/markdown (got "${type || "no content type"}").`, { "content-type": ["Use text/markdown."] });
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY) {
    throw new AppError("INVALID_INPUT", `The file is ${(declared / MAX_BODY).toFixed(1)} MB; the limit is 1 MB.`, { body: ["The limit is 1 MB."] });
  }
  const bytes = new Uint8Array(await request.arrayBuffer());
  const summary = await importChecklist(ctx, { projectId: project.id, markdown: bytes, source: "API upload" });
  return Response.json(summary, { status: 201 });
});
