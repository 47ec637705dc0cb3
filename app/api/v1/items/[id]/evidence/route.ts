import { apiScopedRoute, readJson } from "@/lib/api";
import { addApiEvidence } from "@/lib/rest/items";
import { apiEvidenceAddedSchema } from "@/lib/rest/schemas";

/** Add a link or a note as evidence. */
export const POST = apiScopedRoute<{ id: string }>("items:write", async (ctx, request, { id }) => Response.json(apiEvidenceAddedSchema.parse(await addApiEvidence(ctx, id, await readJson(request))), { status: 201 }));
