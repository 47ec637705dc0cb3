import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth";
import { listNotifications } from "@/lib/notifications/data";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime } from "@/lib/time";
import { MarkReadForm } from "@/components/notifications/mark-read-form";
import { UnreadCountSync } from "@/components/notifications/notification-bell";
import { markReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

const kindLabels = {
  ASSIGNED: "Assigned",
  DUE_SOON: "Due soon",
  OVERDUE: "Overdue",
  COMMENTED: "Comment",
  EVIDENCE_CHANGED: "Evidence",
  SIGNOFF_STALE: "Sign-off stale",
  WAIVER_REQUESTED: "Waiver requested",
  WAIVER_ACCEPTED: "Waiver accepted",
  WAIVER_DECLINED: "Waiver declined",
} as const;

const kindStyles: Record<keyof typeof kindLabels, string> = {
  ASSIGNED: "bg-indigo-50 text-indigo-900 ring-indigo-200",
  DUE_SOON: "bg-amber-50 text-amber-900 ring-amber-300",
  OVERDUE: "bg-red-50 text-red-900 ring-red-300",
  COMMENTED: "bg-slate-100 text-slate-800 ring-slate-300",
  EVIDENCE_CHANGED: "bg-emerald-50 text-emerald-900 ring-emerald-300",
  SIGNOFF_STALE: "bg-orange-50 text-orange-900 ring-orange-300",
  WAIVER_REQUESTED: "bg-violet-50 text-violet-900 ring-violet-300",
  WAIVER_ACCEPTED: "bg-violet-50 text-violet-900 ring-violet-300",
  WAIVER_DECLINED: "bg-red-50 text-red-900 ring-red-300",
};

type Props = { searchParams: Promise<{ cursor?: string; unread?: string }> };

export default async function NotificationsPage({ searchParams }: Props) {
  const actor = await requireActor();
  const { cursor, unread } = await searchParams;
  const unreadOnly = unread === "1";
  const [page, zone] = await Promise.all([listNotifications(actor, { ...(cursor ? { cursor } : {}), unreadOnly }), getViewerTimeZone(actor)]);
  return (
    <div className="flex flex-col gap-5">
      <UnreadCountSync unread={page.unread} />
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">Notifications</h1>
          <p className="text-sm text-slate-600">
            {page.unread === 0 ? "Nothing unread." : `${page.unread} unread.`} Email and the project webhook get the same messages when they are set up.{" "}
            <Link href="/settings" className="text-indigo-800 underline">
              Your settings
            </Link>
          </p>
        </div>
        <div className="flex items-center gap-3 text-sm">
          <Link href={unreadOnly ? "/notifications" : "/notifications?unread=1"} className="text-indigo-800 underline">
            {unreadOnly ? "Show all" : "Show unread only"}
          </Link>
          {page.unread > 0 && <MarkReadForm action={markReadAction}>Mark all read</MarkReadForm>}
        </div>
      </div>
      {page.notifications.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          {cursor ? "No older notifications." : "No notifications yet. You will hear here when an item is assigned to you, is due, or someone comments on it."}
        </p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white shadow-sm" aria-label="Notifications">
          {page.notifications.map((notification) => (
            <li key={notification.id} data-testid="notification" data-read={notification.read || undefined} className={`flex items-start gap-3 p-4 ${notification.read ? "" : "bg-indigo-50/40"}`}>
              <span className={`mt-0.5 shrink-0 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${kindStyles[notification.kind]}`}>{kindLabels[notification.kind]}</span>
              <div className="min-w-0 flex-1">
                <Link href={notification.link} className={`text-sm text-indigo-900 hover:underline ${notification.read ? "" : "font-semibold"}`}>
                  {notification.title}
                </Link>
                {notification.body && <p className="mt-0.5 line-clamp-2 text-sm whitespace-pre-line text-slate-700">{notification.body}</p>}
                <p className="mt-1 text-xs text-slate-600">
                  <time dateTime={notification.createdAt.toISOString()}>{formatDateTime(notification.createdAt, zone)}</time>
                  {!notification.read && <span className="sr-only"> · unread</span>}
                </p>
              </div>
              {!notification.read && (
                <MarkReadForm action={markReadAction} id={notification.id}>
                  Mark read<span className="sr-only">: {notification.title}</span>
                </MarkReadForm>
              )}
            </li>
          ))}
        </ul>
      )}
      {page.nextCursor && (
        <Link href={`/notifications?cursor=${encodeURIComponent(page.nextCursor)}${unreadOnly ? "&unread=1" : ""}`} className="self-center text-sm text-indigo-800 underline">
          Older notifications
        </Link>
      )}
    </div>
  );
}
