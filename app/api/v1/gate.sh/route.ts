import { env } from "@/lib/env";
import { siteOrigin } from "@/lib/http/origin";
import { gateStepScript } from "@/lib/tokens/gate-step";

/**
 * The pipeline step that asks the go-live gate (lib/tokens/gate-step.ts). Public: it is a script,
 * not data; the token it needs stays with the pipeline.
 */
export function GET(request: Request): Response {
  const origin = siteOrigin(request.headers, env().AUTH_URL) ?? new URL(request.url).origin;
  return new Response(gateStepScript(origin), {
    headers: { "content-type": "text/x-shellscript; charset=utf-8", "content-disposition": 'inline; filename="shipshape-gate.sh"', "cache-control": "no-store" },
  });
}
