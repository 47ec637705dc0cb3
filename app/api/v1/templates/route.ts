import { apiReadRoute } from "@/lib/api";
import { listApiTemplates } from "@/lib/rest/templates";

/** The template library. */
export const GET = apiReadRoute(async (ctx) => listApiTemplates(ctx.actor));
