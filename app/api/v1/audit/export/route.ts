import { apiRoute } from "@/lib/api";
import { exportQuerySchema, exportScope, exportStream, streamEvents } from "@/lib/audit/export";
import { getViewerTimeZone } from "@/lib/request";
import { parseInput } from "@/lib/validation";

/**
 * `GET /api/v1/audit/export?format=csv|jsonl[&project=slug][&from=YYYY-MM-DD][&to=YYYY-MM-DD]`:
 * the history, streamed in chain order. A project's history for its members; all of it for
 * admins and auditors.
 */
export const GET = apiRoute(async (ctx, request) => {
  const query = parseInput(exportQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  const scope = await exportScope(ctx.actor, query, await getViewerTimeZone(ctx.actor));
  return new Response(exportStream(streamEvents(scope.where), query.format), {
    headers: {
      "content-type": query.format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "content-disposition": `attachment; filename="${scope.name}.${query.format}"`,
      "cache-control": "no-store",
    },
  });
});
