import { apiScopedRoute, readJson } from "@/lib/api";
import { addApiComment } from "@/lib/rest/items";
import { apiCommentAddedSchema } from "@/lib/rest/schemas";

/** Comment on an item. */
export const POST = apiScopedRoute<{ id: string }>("items:write", async (ctx, request, { id }) => Response.json(apiCommentAddedSchema.parse(await addApiComment(ctx, id, await readJson(request))), { status: 201 }));
