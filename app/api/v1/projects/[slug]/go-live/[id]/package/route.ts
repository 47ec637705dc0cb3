import { apiRoute } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { decisionPackageMarkdown, decisionPackagePdf, getDecisionPackage } from "@/lib/audit/decision-package";
import { currentIntegrity } from "@/lib/audit/integrity";
import { getViewerTimeZone } from "@/lib/request";

/** `GET …/go-live/{id}/package?format=pdf|md`: the go-live decision package. */
export const GET = apiRoute<{ slug: string; id: string }>(async (ctx, request, params) => {
  const format = new URL(request.url).searchParams.get("format") ?? "pdf";
  if (format !== "pdf" && format !== "md") throw new AppError("INVALID_INPUT", "Choose format pdf or md.", { format: ["Choose pdf or md."] });
  if (!/^[0-9a-f-]{36}$/i.test(params.id)) throw new AppError("NOT_FOUND", "Go-live record not found.");
  const pkg = await getDecisionPackage(ctx.actor, params.slug, params.id, await currentIntegrity(), await getViewerTimeZone(ctx.actor));
  const name = `${pkg.project.slug}-go-live-${pkg.goLive.markedAt.slice(0, 10)}`;
  if (format === "md") {
    return new Response(decisionPackageMarkdown(pkg), { headers: { "content-type": "text/markdown; charset=utf-8", "content-disposition": `attachment; filename="${name}.md"`, "cache-control": "no-store" } });
  }
  const pdf = await decisionPackagePdf(pkg);
  return new Response(new Uint8Array(pdf), { headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="${name}.pdf"`, "cache-control": "no-store" } });
});
