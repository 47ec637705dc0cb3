import { AppError } from "@/lib/errors";
import { isUuid } from "@/lib/validation";
import { db } from "@/lib/db";
import type { NotificationKind } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/policy";

export type NotificationView = {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string;
  actorName: string | null;
  createdAt: Date;
  read: boolean;
};

export type NotificationPage = { notifications: NotificationView[]; unread: number; nextCursor: string | null };

const PAGE_SIZE = 30;

/** "<created at ISO>_<id>": the position after which the next page starts. */
function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | null {
  if (cursor === undefined) return null;
  const match = cursor.match(/^(\d{4}-\d\d-\d\dT[\d:.]+Z)_([0-9a-f-]{36})$/);
  const createdAt = match ? new Date(match[1]!) : null;
  if (!match || !createdAt || Number.isNaN(createdAt.getTime()) || !isUuid(match[2])) {
    throw new AppError("INVALID_INPUT", "The cursor is not one this API gave out: use nextCursor from the previous page.", { cursor: ["Use nextCursor from the previous page."] });
  }
  return { createdAt, id: match[2] };
}

/** The actor's own notifications, newest first, a page at a time (keyset, no OFFSET). */
export async function listNotifications(actor: Actor, options: { cursor?: string; unreadOnly?: boolean } = {}): Promise<NotificationPage> {
  const after = decodeCursor(options.cursor);
  const [rows, unread] = await Promise.all([
    db.notification.findMany({
      where: {
        userId: actor.id,
        ...(options.unreadOnly ? { readAt: null } : {}),
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: PAGE_SIZE + 1,
      select: { id: true, kind: true, title: true, body: true, link: true, actorName: true, createdAt: true, readAt: true },
    }),
    countUnread(actor),
  ]);
  const page = rows.slice(0, PAGE_SIZE);
  const last = page.at(-1);
  return {
    notifications: page.map(({ readAt, ...row }) => ({ ...row, read: readAt !== null })),
    unread,
    nextCursor: rows.length > PAGE_SIZE && last ? `${last.createdAt.toISOString()}_${last.id}` : null,
  };
}

export function countUnread(actor: Pick<Actor, "id">): Promise<number> {
  return db.notification.count({ where: { userId: actor.id, readAt: null } });
}
