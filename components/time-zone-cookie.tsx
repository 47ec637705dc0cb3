"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";

/**
 * Tells the server the browser's time zone (a cookie), so that due times are shown in the
 * viewer's zone even before they choose one; refreshes once when it changes.
 */
export function TimeZoneCookie({ name, current }: { name: string; current: string }) {
  const router = useRouter();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === current) return;
    document.cookie = `${name}=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    router.refresh();
  }, [name, current, router]);
  return null;
}
