import { headers } from "next/headers";
import type { Actor } from "@/lib/policy";

/** What every domain service receives: who acts, and the request to correlate audit events with. */
export type ServiceContext = { actor: Actor; requestId: string | null };

/** The id proxy.ts gave this request, or null outside a request (scripts, tests). */
export async function getRequestId(): Promise<string | null> {
  try {
    return (await headers()).get("x-request-id");
  } catch {
    return null;
  }
}
