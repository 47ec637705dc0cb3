import { apiScopedRoute } from "@/lib/api";
import { removeApiEvidence } from "@/lib/rest/items";
import { apiVersionSchema } from "@/lib/rest/schemas";

/** Remove evidence: `?expectedVersion=N`, the item's version as the caller saw it. */
export const DELETE = apiScopedRoute<{ id: string; evidenceId: string }>("items:write", async (ctx, request, { id, evidenceId }) =>
  apiVersionSchema.parse(await removeApiEvidence(ctx, id, evidenceId, new URL(request.url).searchParams.get("expectedVersion"))),
);
