import { apiReadRoute } from "@/lib/api";
import { exportHistory } from "@/lib/audit/export";
import { getViewerTimeZone } from "@/lib/request";

/**
 * `GET /api/v1/audit/export?format=csv|jsonl[&project=slug][&from=YYYY-MM-DD][&to=YYYY-MM-DD]`:
 * the history, streamed in chain order. A project's history for its members; all of it for
 * admins and auditors.
 */
export const GET = apiReadRoute(async (ctx, request) => {
  const file = await exportHistory(ctx.actor, Object.fromEntries(new URL(request.url).searchParams), await getViewerTimeZone(ctx.actor));
  return new Response(file.body, { headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.fileName}"`, "cache-control": "no-store" } });
});
