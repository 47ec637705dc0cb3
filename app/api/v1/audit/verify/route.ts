import { apiReadRoute, apiRoute, readJson } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { verifyAuditTrail } from "@/lib/audit/verify";

// Verifies the whole audit hash chain (auditors and admins). With a checkpoint exported earlier
// (GET /api/v1/audit/checkpoint) it also reports whether the chain still passes through it:
// as the POST body, or URL-encoded in ?checkpoint=. 200 with {"ok": true|false, …} either way;
// 422 for a checkpoint that is malformed or not signed by this installation.

const noStore = { headers: { "cache-control": "no-store" } };

export const GET = apiReadRoute(async (ctx, request) => {
  const param = new URL(request.url).searchParams.get("checkpoint");
  let checkpoint: unknown;
  if (param !== null) {
    try {
      checkpoint = JSON.parse(param) as unknown;
    } catch {
      throw new AppError("INVALID_INPUT", "The checkpoint parameter must be the checkpoint's JSON, URL-encoded.", { checkpoint: ["Not JSON."] });
    }
  }
  return Response.json(await verifyAuditTrail(ctx.actor, checkpoint === undefined ? {} : { checkpoint }), noStore);
});

export const POST = apiRoute(async (ctx, request) => Response.json(await verifyAuditTrail(ctx.actor, { checkpoint: await readJson(request) }), noStore));
