import { apiRoute } from "@/lib/api";
import { countUnread } from "@/lib/notifications/data";
import { apiUnreadSchema } from "@/lib/rest/schemas";

export const GET = apiRoute(async (ctx) => apiUnreadSchema.parse({ unread: await countUnread(ctx.actor) }));
