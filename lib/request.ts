import { cookies, headers } from "next/headers";
import { DEFAULT_TIME_ZONE, isValidTimeZone } from "@/lib/time";
import type { Actor } from "@/lib/policy";

/**
 * What every domain service receives: who acts, and the request to correlate audit events with.
 * `address` is the client's address as the edge established it (for the sign-in limits that a
 * re-entered password counts against); absent outside a request.
 */
export type ServiceContext = { actor: Actor; requestId: string | null; address?: string };

/** The id proxy.ts gave this request, or null outside a request (scripts, tests). */
export async function getRequestId(): Promise<string | null> {
  try {
    return (await headers()).get("x-request-id");
  } catch {
    return null;
  }
}

/** The cookie the browser sets with its own time zone (components/time-zone-cookie.tsx). */
export const TIME_ZONE_COOKIE = "shipshape.tz";

/** The zone to show times in: the person's chosen zone, else their browser's, else UTC. */
export async function getViewerTimeZone(actor: Pick<Actor, "timeZone">): Promise<string> {
  if (actor.timeZone && isValidTimeZone(actor.timeZone)) return actor.timeZone;
  try {
    const raw = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
    const fromBrowser = raw ? decodeURIComponent(raw) : undefined;
    if (fromBrowser && isValidTimeZone(fromBrowser)) return fromBrowser;
  } catch {
    // outside a request
  }
  return DEFAULT_TIME_ZONE;
}
