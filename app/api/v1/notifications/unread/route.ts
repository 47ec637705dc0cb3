import { apiRoute } from "@/lib/api";
import { countUnread } from "@/lib/notifications/data";

export const GET = apiRoute(async (ctx) => ({ unread: await countUnread(ctx.actor) }));
