import { apiRoute } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { getChecklistForExport } from "@/lib/checklists/data";
import { toCsv, toJson, toMarkdown } from "@/lib/export/checklist";

const formats = {
  md: { render: toMarkdown, type: "text/markdown; charset=utf-8", extension: "md" },
  csv: { render: toCsv, type: "text/csv; charset=utf-8", extension: "csv" },
  json: { render: toJson, type: "application/json; charset=utf-8", extension: "json" },
} as const;

/** `?format=md|csv|json` (default md): the checklist as a download. */
export const GET = apiRoute<{ slug: string }>(async (ctx, request, { slug }) => {
  const format = new URL(request.url).searchParams.get("format") ?? "md";
  if (!Object.hasOwn(formats, format)) {
    throw new AppError("INVALID_INPUT", `Unknown export format "${format}": use md, csv or json.`, { format: ["Use md, csv or json."] });
  }
  const { render, type, extension } = formats[format as keyof typeof formats];
  const checklist = await getChecklistForExport(ctx.actor, slug);
  return new Response(render(checklist), {
    headers: {
      "content-type": type,
      "content-disposition": `attachment; filename="${slug}-checklist.${extension}"`,
      "cache-control": "no-store",
    },
  });
});
