import { z } from "zod";
import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, type Actor } from "@/lib/policy";
import { getProjectForActor } from "@/lib/projects/data";
import { auditActions } from "@/lib/audit/events";
import { endOfDayIn, isValidTimeZone } from "@/lib/time";
import { changedFields, payloadExcerpt } from "@/lib/audit/excerpt-sql";
import type { AuditEventRow } from "@/lib/audit/rows";

// The history an auditor reads: filtered by project, actor, action, entity and dates, searched
// by the words of item titles and comments, newest first, a page at a time. Pages are keyset
// pages on (occurred_at, id) — never OFFSET — so a page boundary stays put while new events
// arrive, and any later page costs what the first does.

export const entityTypes = ["item", "project", "member", "signoff", "go_live", "template", "api_token", "user", "session"] as const;
const actionValues = Object.values(auditActions) as [string, ...string[]];
const PAGE_SIZE = 50;

const dayField = z.iso.date().optional().catch(undefined);

export const historyFilterSchema = z.object({
  /** A project slug (global history only; a project's own history is scoped by its page). */
  project: z.string().trim().max(100).optional().catch(undefined),
  /** Part of the actor's name or email. */
  actor: z.string().trim().max(200).optional().catch(undefined),
  action: z.enum(actionValues).optional().catch(undefined),
  entity: z.enum(entityTypes).optional().catch(undefined),
  /** Calendar days, inclusive, in the viewer's zone. */
  from: dayField,
  to: dayField,
  /** Words from item titles and comments. */
  q: z.string().trim().max(200).optional().catch(undefined),
  before: z.string().max(100).optional().catch(undefined),
});
export type HistoryFilter = z.infer<typeof historyFilterSchema>;

/** The text the search looks in: item titles (as changed, as referred to, as imported or added by an upgrade) and comment bodies. */
export const SEARCH_DOCUMENT = Prisma.sql`to_tsvector('simple', coalesce(after->>'title', '') || ' ' || coalesce(before->>'title', '') || ' ' || coalesce(after->>'itemTitle', '') || ' ' || coalesce(before->>'itemTitle', '') || ' ' || coalesce(after->>'body', '') || ' ' || coalesce(jsonb_path_query_array(after, '$.items[*].title')::text, '') || ' ' || coalesce(jsonb_path_query_array(after, '$.added[*].title')::text, ''))`;

/** Every word must appear, each as a word or the start of one ("back" finds "backups"). */
export function searchQuery(text: string): string | null {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}_]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return words.length ? words.map((word) => `${word}:*`).join(" & ") : null;
}

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** The position a history cursor names: the last event of the previous page. */
export type HistoryCursor = { occurredAt: Date; id: bigint };

/**
 * A `before` cursor as this app gives it out (nextCursor: `<occurred at, ISO>_<event id>`), or
 * null for anything else: garbage, a time that is not one (or not written as toISOString writes
 * it), an id past PostgreSQL's bigint.
 */
export function decodeHistoryCursor(cursor: string): HistoryCursor | null {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_(\d{1,19})$/.exec(cursor);
  if (!match?.[1] || !match[2]) return null;
  const occurredAt = new Date(match[1]);
  const id = BigInt(match[2]);
  if (Number.isNaN(occurredAt.getTime()) || occurredAt.toISOString() !== match[1] || id > MAX_BIGINT) return null;
  return { occurredAt, id };
}

const BAD_CURSOR_MESSAGE = "The before cursor is not one this app gave out: use nextCursor from the previous page.";

/** Whether a `before` parameter as it came (absent, empty, one value or several) names a page: absent and empty mean the first. */
export function isHistoryCursorParam(value: unknown): boolean {
  return value === undefined || value === "" || (typeof value === "string" && decodeHistoryCursor(value) !== null);
}

/** INVALID_INPUT naming `before`: a malformed cursor is refused, never answered with the first page. */
export function invalidHistoryCursor(): AppError {
  return new AppError("INVALID_INPUT", BAD_CURSOR_MESSAGE, { before: ["Use nextCursor from the previous page."] });
}

/** The filter of a history request: the other fields fall back to none when malformed, a malformed cursor is refused. */
export function parseHistoryFilter(input: unknown): HistoryFilter {
  const raw = typeof input === "object" && input !== null ? (input as Record<string, unknown>).before : undefined;
  if (!isHistoryCursorParam(raw)) throw invalidHistoryCursor();
  return historyFilterSchema.parse(input);
}

function startOfDayIn(date: string, zone: string): Date {
  const previous = new Date(`${date}T12:00:00Z`);
  previous.setUTCDate(previous.getUTCDate() - 1);
  return new Date(endOfDayIn(previous.toISOString().slice(0, 10), zone).getTime() + 1);
}

/** The columns the history shows, and excerpts of the payloads (lib/audit/excerpt.ts). */
type Row = Omit<AuditEventRow, "prev_hash" | "request_id"> & {
  changed: string[];
  project_slug: string | null;
  project_name: string | null;
};

/**
 * An event as the history shows it. `before` and `after` are excerpts: small fields whole,
 * large ones as an Excerpt (their start and length); `changed` names the fields whose whole
 * values differ. The whole event is in the exports and the verification, not here.
 */
export type HistoryEvent = {
  id: string;
  seq: string;
  hash: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  projectId: string | null;
  before: unknown;
  after: unknown;
  changed: string[];
  project: { slug: string; name: string } | null;
};
export type HistoryPage = { events: HistoryEvent[]; nextCursor: string | null; filter: HistoryFilter };

type Reader = Pick<typeof db, "$queryRaw">;

/**
 * One page of events. Every filter has an index path that keeps the keyset order (see the
 * AuditEvent model), so a page costs the same at any depth and a value that matches nothing is
 * an index probe. The inner query picks the page's rows; only those few are then excerpted.
 */
async function queryHistory(scope: Prisma.Sql, filter: HistoryFilter, zone: string, limit: number, client: Reader = db): Promise<HistoryPage> {
  const conditions: Prisma.Sql[] = [scope];
  if (filter.actor) {
    const pattern = `%${filter.actor.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    conditions.push(Prisma.sql`(e.actor_name ILIKE ${pattern} OR e.actor_email ILIKE ${pattern})`);
  }
  if (filter.action) conditions.push(Prisma.sql`e.action = ${filter.action}`);
  if (filter.entity) conditions.push(Prisma.sql`e.entity_type = ${filter.entity}`);
  if (filter.from) conditions.push(Prisma.sql`e.occurred_at >= ${startOfDayIn(filter.from, zone)}`);
  if (filter.to) conditions.push(Prisma.sql`e.occurred_at <= ${endOfDayIn(filter.to, zone)}`);
  const search = filter.q ? searchQuery(filter.q) : null;
  if (search) conditions.push(Prisma.sql`${SEARCH_DOCUMENT} @@ to_tsquery('simple', ${search})`);
  const after = filter.before ? decodeHistoryCursor(filter.before) : null;
  if (filter.before && !after) throw invalidHistoryCursor();
  if (after) conditions.push(Prisma.sql`(e.occurred_at, e.id) < (${after.occurredAt}, ${after.id})`);
  const [before, afterColumn] = [Prisma.sql`e.before`, Prisma.sql`e.after`];
  const rows = await client.$queryRaw<Row[]>`
    SELECT e.id, e.seq, e.hash, e.occurred_at, e.actor_id::text AS actor_id, e.actor_name, e.actor_email, e.action, e.entity_type, e.entity_id,
           e.project_id::text AS project_id, ${payloadExcerpt(before)} AS before, ${payloadExcerpt(afterColumn)} AS after,
           ${changedFields(before, afterColumn)} AS changed, p.slug AS project_slug, p.name AS project_name
    FROM (
      SELECT e.id, e.seq, e.hash, e.occurred_at, e.actor_id, e.actor_name, e.actor_email, e.action, e.entity_type, e.entity_id, e.project_id, e.before, e.after
      FROM audit_events e
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY e.occurred_at DESC, e.id DESC
      LIMIT ${limit + 1}
    ) e
    LEFT JOIN projects p ON p.id = e.project_id
    ORDER BY e.occurred_at DESC, e.id DESC`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((row) => ({
      id: row.id.toString(),
      seq: row.seq.toString(),
      hash: row.hash,
      occurredAt: row.occurred_at.toISOString(),
      actorId: row.actor_id,
      actorName: row.actor_name,
      actorEmail: row.actor_email,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      projectId: row.project_id,
      before: row.before,
      after: row.after,
      changed: row.changed,
      project: row.project_slug && row.project_name ? { slug: row.project_slug, name: row.project_name } : null,
    })),
    nextCursor: rows.length > limit && last ? `${last.occurred_at.toISOString()}_${last.id}` : null,
    filter,
  };
}

/** Every project's history: for admins and auditors. */
export async function getGlobalHistory(actor: Actor, input: unknown, zone: string, limit = PAGE_SIZE, client: Reader = db): Promise<HistoryPage> {
  assertCan(actor, "audit.viewAll", { kind: "global" });
  const filter = parseHistoryFilter(input);
  if (!isValidTimeZone(zone)) throw new AppError("INVALID_INPUT", "Unknown time zone.");
  let scope = Prisma.sql`TRUE`;
  if (filter.project) {
    const [project] = await client.$queryRaw<{ id: string }[]>`SELECT id::text FROM projects WHERE slug = ${filter.project}`;
    // An unknown slug matches nothing, rather than everything.
    scope = project ? Prisma.sql`e.project_id = ${project.id}::uuid` : Prisma.sql`FALSE`;
  }
  return queryHistory(scope, filter, zone, limit, client);
}

/** One project's history: for anyone who may see the project. */
export async function getProjectHistory(actor: Actor, slug: string, input: unknown, zone: string, limit = PAGE_SIZE): Promise<HistoryPage> {
  const project = await getProjectForActor(actor, slug);
  const filter = { ...parseHistoryFilter(input), project: undefined };
  return queryHistory(Prisma.sql`e.project_id = ${project.id}::uuid`, filter, zone, limit);
}
