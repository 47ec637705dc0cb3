import type { Actor } from "@/lib/policy";
import { DEFAULT_TIME_ZONE } from "@/lib/time";
import { getGlobalHistory, getProjectHistory, type HistoryEvent } from "@/lib/audit/history";
import type { ProjectView } from "@/lib/projects/data";

/** A page of events as the history shows them (excerpted payloads: see lib/audit/history.ts). */
export type AuditPage = { events: HistoryEvent[]; nextCursor: string | null };

/** A project's latest events (the history page adds filters: lib/audit/history.ts). */
export async function listProjectActivity(actor: Actor, project: ProjectView, limit = 20): Promise<AuditPage> {
  return getProjectHistory(actor, project.slug, {}, DEFAULT_TIME_ZONE, limit);
}

/** Every project's events, a page at a time from `cursor` (auditors and admins). */
export async function listAllActivity(actor: Actor, cursor: string | null): Promise<AuditPage> {
  return getGlobalHistory(actor, cursor ? { before: cursor } : {}, DEFAULT_TIME_ZONE);
}
