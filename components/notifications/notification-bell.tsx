"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";

const POLL_MS = 20_000;

/** Dispatched on window when the person changed their notifications (e.g. marked them read). */
export const NOTIFICATIONS_CHANGED = "shipshape:notifications-changed";

/**
 * The unread count in the header, kept current without reloading the page: it asks the server
 * every 20 seconds while the tab is visible, and at once when the tab comes back into view.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const [unread, setUnread] = useState(initialUnread);
  const [rendered, setRendered] = useState(initialUnread);
  if (rendered !== initialUnread) {
    // The server rendered a newer count (e.g. after marking read): take it.
    setRendered(initialUnread);
    setUnread(initialUnread);
  }
  const pathname = usePathname();
  useEffect(() => {
    let stopped = false;
    const check = async () => {
      if (document.visibilityState !== "visible") return;
      try {
        const response = await fetch("/api/v1/notifications/unread", { cache: "no-store" });
        if (response.ok && !stopped) setUnread(((await response.json()) as { unread: number }).unread);
      } catch {
        // offline for a moment: the next tick tries again
      }
    };
    // Layouts survive navigation, so ask again on every page the person opens.
    if (pathname) void check();
    const timer = window.setInterval(check, POLL_MS);
    document.addEventListener("visibilitychange", check);
    const onChanged = (event: Event) => {
      const count = (event as CustomEvent<unknown>).detail;
      if (typeof count === "number") setUnread(count);
      else void check();
    };
    window.addEventListener(NOTIFICATIONS_CHANGED, onChanged);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      document.removeEventListener("visibilitychange", check);
      window.removeEventListener(NOTIFICATIONS_CHANGED, onChanged);
    };
  }, [pathname]);
  const label = unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;
  return (
    <Link href="/notifications" aria-label={label} title={label} data-testid="notification-bell" className="relative inline-flex items-center rounded-md p-1.5 text-slate-700 hover:bg-slate-100 hover:text-indigo-800">
      <svg aria-hidden viewBox="0 0 20 20" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round">
        <path d="M10 2.5a5 5 0 0 0-5 5v3l-1.5 3h13L15 10.5v-3a5 5 0 0 0-5-5zM8 16a2 2 0 0 0 4 0" />
      </svg>
      {unread > 0 && (
        <span aria-hidden data-testid="unread-count" className="absolute -top-1 -right-1 min-w-5 rounded-full bg-red-700 px-1 text-center text-xs leading-5 font-semibold text-white">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}

/**
 * Placed on pages that know the unread count (the notifications page): layouts survive
 * navigation and server actions, so the page tells the header's count directly.
 */
export function UnreadCountSync({ unread }: { unread: number }) {
  useEffect(() => {
    window.dispatchEvent(new CustomEvent(NOTIFICATIONS_CHANGED, { detail: unread }));
  }, [unread]);
  return null;
}
