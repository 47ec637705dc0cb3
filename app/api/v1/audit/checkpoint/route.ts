import { apiRoute } from "@/lib/api";
import { exportAuditCheckpoint } from "@/lib/audit/verify";

// A signed checkpoint of the audit chain's newest event (admins only), after verifying the whole
// chain: 409 when the chain is broken or empty. Keep it outside this server and its database;
// POST it to /api/v1/audit/verify later to prove the chain still passes through it.
export const GET = apiRoute(async (ctx) => {
  const checkpoint = await exportAuditCheckpoint(ctx.actor);
  return Response.json(checkpoint, {
    headers: { "cache-control": "no-store", "content-disposition": `attachment; filename="audit-checkpoint-${checkpoint.seq}.json"` },
  });
});
