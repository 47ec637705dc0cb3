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
  const match = cursor?.match(/^(\d{4}-\d\d-\d\dT[\d:.]+Z)_([0-9a-f-]{36})$/);
  const createdAt = match ? new Date(match[1]!) : null;
  // A malformed cursor never reaches a query: a page ignores it, the API refuses it (isNotificationCursor).
  return match && createdAt && !Number.isNaN(createdAt.getTime()) && isUuid(match[2]) ? { createdAt, id: match[2] } : null;
}

/** Whether a cursor is one this API gives out as nextCursor. */
export function isNotificationCursor(cursor: string): boolean {
  return decodeCursor(cursor) !== null;
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
