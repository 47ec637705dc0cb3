import { apiScopedRoute, readJson } from "@/lib/api";
import { getApiItemDetail, patchApiItem } from "@/lib/rest/items";
import { apiItemSavedSchema } from "@/lib/rest/schemas";

/** One item with its evidence and comments. */
export const GET = apiScopedRoute<{ id: string }>("items:read", async (ctx, _request, { id }) => getApiItemDetail(ctx.actor, id));

/** Change an item: the fields sent, on the version the caller saw (`expectedVersion`; 409 with `current` otherwise). */
export const PATCH = apiScopedRoute<{ id: string }>("items:write", async (ctx, request, { id }) => apiItemSavedSchema.parse(await patchApiItem(ctx, id, await readJson(request))));
