import { apiScopedRoute, readJson } from "@/lib/api";
import { recordApiResult } from "@/lib/rest/items";
import { apiResultRecordedSchema } from "@/lib/rest/schemas";

/** Record a result (pass or fail) that proves or reopens an item: how pipelines report tests, scans and drills. */
export const POST = apiScopedRoute<{ slug: string; id: string }>("results:write", async (ctx, request, { slug, id }) =>
  Response.json(apiResultRecordedSchema.parse(await recordApiResult(ctx, slug, id, await readJson(request))), { status: 201 }),
);
