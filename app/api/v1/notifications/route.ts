import { apiRoute, readJson } from "@/lib/api";
import { AppError } from "@/lib/errors";
import { isNotificationCursor, listNotifications } from "@/lib/notifications/data";
import { markNotificationsRead } from "@/lib/notifications/mutations";

/** The caller's notifications, newest first; `?cursor=` from `nextCursor` for the next page. */
export const GET = apiRoute(async (ctx, request) => {
  const url = new URL(request.url);
  const cursor = url.searchParams.get("cursor");
  if (cursor !== null && !isNotificationCursor(cursor)) {
    throw new AppError("INVALID_INPUT", "The cursor is not one this API gave out: use nextCursor from the previous page.", { cursor: ["Use nextCursor from the previous page."] });
  }
  return listNotifications(ctx.actor, { ...(cursor ? { cursor } : {}), unreadOnly: url.searchParams.get("unread") === "true" });
});

/** `{"ids": [...]}` or `{"ids": "all"}` marks the caller's notifications read. */
export const POST = apiRoute(async (ctx, request) => markNotificationsRead(ctx, await readJson(request)));
