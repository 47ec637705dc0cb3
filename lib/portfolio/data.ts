import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { auditActions } from "@/lib/audit/events";
import type { ItemStatus } from "@/lib/checklists/types";
import type { Actor } from "@/lib/policy";
import { visibleProjectsWhere } from "@/lib/projects/data";
import { holdingsByProject } from "@/lib/projects/roles";
import { DEFAULT_TIME_ZONE, dayIn, isValidTimeZone } from "@/lib/time";
import { levelName } from "@/lib/checklists/levels";
import { accumulateReadiness, dayPoints, doneLikeStatuses, percentSeries, sumReadiness, type Readiness, type ReadinessDelta } from "@/lib/portfolio/history";
import { emptyItemSummary, percentReady, summarizeGate, summarizeItems, type AreaProgress, type GateSummary, type ItemCountRow } from "@/lib/portfolio/summary";

// The portfolio dashboard: every project the actor may see, with its progress per area, what
// keeps its gate closed and its readiness over the last weeks. A fixed number of queries
// whatever the number of projects: the visible projects, item counts grouped in SQL, their
// sign-offs, and the readiness history aggregated in SQL from the audit trail.

export const HISTORY_DAYS = 30;

export type PortfolioRow = {
  id: string;
  slug: string;
  name: string;
  /** YYYY-MM-DD, or null when not set. */
  targetGoLive: string | null;
  /** The target date has passed (in the viewer's zone) and the project is not live. */
  isPastTarget: boolean;
  /** ISO instant the project went live, or null. */
  liveAt: string | null;
  /** The viewer's own roles on the project, theirs and their team's (empty for admins and auditors who are not members). */
  myRoles: ProjectRole[];
  areas: AreaProgress[];
  total: number;
  ready: number;
  /** Percent of all items ready (null for an empty checklist). */
  percent: number | null;
  gate: GateSummary;
  /** Reasons the gate is closed; a live project that changed since has them too (a relapse). */
  blockers: number;
  /** Percent ready at the end of each of `Portfolio.days` (null before the checklist had items). */
  history: (number | null)[];
  /** The team that owns the project, or null. */
  team: { slug: string; name: string } | null;
  /** Its maturity levels: the highest reached (null: not even the lowest) and the target; null without levels. */
  level: { reached: string | null; target: string | null } | null;
};

export type Portfolio = {
  rows: PortfolioRow[];
  /** The calendar days of the history (YYYY-MM-DD, oldest first), in `timeZone`. */
  days: string[];
  timeZone: string;
  /** Percent ready across all these projects' items, per day. */
  overall: (number | null)[];
  /** The same for each team's visible projects (key: the team's slug, "" for projects without a team). */
  byTeam: Map<string, (number | null)[]>;
};

/** The portfolio as this actor may see it, sorted by name. */
export async function getPortfolio(actor: Actor, options: { now?: Date; days?: number } = {}): Promise<Portfolio> {
  const now = options.now ?? new Date();
  const timeZone = actor.timeZone && isValidTimeZone(actor.timeZone) ? actor.timeZone : DEFAULT_TIME_ZONE;
  const { days, points } = dayPoints(now, options.days ?? HISTORY_DAYS, timeZone);

  const [projects, holdings] = await Promise.all([
    db.project.findMany({
      where: visibleProjectsWhere(actor),
      orderBy: { name: "asc" },
      select: { id: true, slug: true, name: true, targetGoLive: true, liveAt: true, requiredSlots: true, levels: true, targetLevel: true, team: { select: { slug: true, name: true } } },
    }),
    holdingsByProject(db, actor.id),
  ]);
  const ids = projects.map((project) => project.id);
  const [counts, signoffs, history, firstOpen] = await Promise.all([
    loadItemCounts(ids, now),
    db.signoff.findMany({
      where: { projectId: { in: ids }, state: { not: "SUPERSEDED" } },
      select: { projectId: true, slot: true, state: true, decision: true, approverName: true, signedAt: true },
    }),
    readinessAt(ids, points),
    loadFirstOpenLevels(projects.filter((project) => project.levels.length > 0).map((project) => project.id), now),
  ]);

  const items = summarizeItems(counts, now);
  const signoffsByProject = new Map<string, typeof signoffs>();
  for (const signoff of signoffs) {
    const list = signoffsByProject.get(signoff.projectId);
    if (list) list.push(signoff);
    else signoffsByProject.set(signoff.projectId, [signoff]);
  }
  const today = dayIn(now, timeZone);
  const rows = projects.map((project): PortfolioRow => {
    const summary = items.get(project.id) ?? emptyItemSummary();
    const gate = summarizeGate({ ...summary, requiredSlots: project.requiredSlots, signoffs: signoffsByProject.get(project.id) ?? [], now });
    const targetGoLive = project.targetGoLive?.toISOString().slice(0, 10) ?? null;
    return {
      id: project.id,
      slug: project.slug,
      name: project.name,
      targetGoLive,
      isPastTarget: project.liveAt === null && targetGoLive !== null && targetGoLive < today,
      liveAt: project.liveAt?.toISOString() ?? null,
      myRoles: holdings.get(project.id)?.roles ?? [],
      areas: summary.areas,
      total: summary.total,
      ready: summary.ready,
      percent: percentReady(summary.ready, summary.total),
      gate,
      blockers: gate.blockers,
      history: percentSeries(history.get(project.id) ?? { total: [], ready: [] }),
      team: project.team,
      level: levelOf(project, firstOpen.get(project.id)),
    };
  });
  const teamHistories = new Map<string, Readiness[]>();
  for (const project of projects) {
    const readiness = history.get(project.id);
    if (!readiness) continue;
    const key = project.team?.slug ?? "";
    teamHistories.set(key, [...(teamHistories.get(key) ?? []), readiness]);
  }
  const byTeam = new Map([...teamHistories].map(([key, list]) => [key, percentSeries(sumReadiness(list, points.length))]));
  return { rows, days, timeZone, overall: percentSeries(sumReadiness(history.values(), points.length)), byTeam };
}

/** The level reached: the one below the lowest level with a required item not ready (levelProgress, lib/checklists/levels.ts). */
function levelOf(project: { levels: string[]; targetLevel: number }, firstOpen: number | undefined): PortfolioRow["level"] {
  if (project.levels.length === 0) return null;
  const open = Math.min(firstOpen ?? project.levels.length, project.levels.length);
  return { reached: levelName(project, open === 0 ? null : open - 1), target: levelName(project, project.targetLevel) };
}

/** Per project with levels, the lowest level that holds a required item not ready (absent: none). */
async function loadFirstOpenLevels(projectIds: string[], now: Date): Promise<Map<string, number>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ projectId: string; level: number }[]>`
    SELECT i.project_id::text AS "projectId", min(i.level)::int AS level
    FROM checklist_items i
    WHERE i.project_id = ANY(${projectIds}::uuid[]) AND i.required
      AND NOT (i.status IN ('DONE', 'NOT_APPLICABLE') OR (i.status = 'WAIVED' AND i.waiver_accepted_at IS NOT NULL AND i.waiver_expires_at > ${now}::timestamptz))
    GROUP BY i.project_id`;
  return new Map(rows.map((row) => [row.projectId, row.level]));
}

/**
 * Whether the item `i` of project `p` counts for the gate and readiness: countsForTarget
 * (lib/checklists/levels.ts) in SQL, no levels or at most the target level.
 */
function countsForTargetSql(item: "i", project: "p" | "pr"): Prisma.Sql {
  return Prisma.sql`(cardinality(${Prisma.raw(project)}.levels) = 0 OR ${Prisma.raw(item)}.level <= ${Prisma.raw(project)}.target_level)`;
}

/** Item counts per project, area, status and required flag, grouped so isSatisfied applies per row; only items that count for the target level. */
async function loadItemCounts(projectIds: string[], now: Date): Promise<ItemCountRow[]> {
  if (projectIds.length === 0) return [];
  return db.$queryRaw<ItemCountRow[]>`
    SELECT i.project_id::text AS "projectId", i.area::text AS area, i.status::text AS status, i.required,
           min(i.waiver_expires_at) AS "waiverExpiresAt", min(i.waiver_accepted_at) AS "waiverAcceptedAt", count(*)::int AS count
    FROM checklist_items i JOIN projects p ON p.id = i.project_id
    WHERE i.project_id = ANY(${projectIds}::uuid[]) AND ${countsForTargetSql("i", "p")}
    GROUP BY i.project_id, i.area, i.status, i.required,
             -- A waiver's effective status: expired (whether accepted or not), a request, or valid.
             (i.status = 'WAIVED' AND i.waiver_expires_at > ${now}::timestamptz),
             (i.status = 'WAIVED' AND i.waiver_accepted_at IS NOT NULL)`;
}

const doneLike = doneLikeStatuses;
const waived: ItemStatus = "WAIVED";

/**
 * How many items each project had, and how many of them were ready, at each of the given
 * instants (ascending), rebuilt from the audit trail in one query.
 *
 * It works backwards from the items as they are now through the events since the first
 * instant, so the work grows with the window, not with the whole history. Events that change
 * which items exist or their status add or remove items, and move items into or out of a
 * "done-like" status (DONE, NOT_APPLICABLE, WAIVED); a waived item does not count while its
 * waiver is a request, and stops counting from the first instant at or after its waiver's expiry,
 * until its next waiver change (item.updated, item.waiver_accepted, item.waiver_declined). An event counts at
 * an instant when it happened strictly before it. What the events carry:
 * - item.updated: the changed fields only, before and after; `status` when it changed and
 *   `waiverExpiresAt` whenever a waiver is involved (into, out of, or a new expiry alone);
 * - checklist.imported: every item added, with its status (`after.items`);
 * - checklist.upgraded: items added (to do) and removed (only never-worked ones, so to do).
 * On a checklist with levels it counts the items that count for the target level, as each item's
 * level and the target are now: an item above the target now is left out at every instant.
 */
export async function readinessAt(projectIds: string[], instants: Date[]): Promise<Map<string, Readiness>> {
  if (projectIds.length === 0 || instants.length === 0) return new Map();
  const deltas = await db.$queryRaw<ReadinessDelta[]>(readinessQuery(projectIds, instants));
  return accumulateReadiness(deltas, projectIds, instants.length);
}

/** The query readinessAt runs (exported so that it can be EXPLAINed). */
export function readinessQuery(projectIds: string[], instants: Date[]): Prisma.Sql {
  const points = instants.map((instant) => instant.toISOString());
  // Instants are numbered 0..n-1; k is the first instant a change counts at (n: after them all).
  // width_bucket(t, points) is the number of instants <= t, i.e. the first instant after t.
  const inWindow = Prisma.sql`e.project_id = ANY(${projectIds}::uuid[]) AND e.occurred_at >= p.points[1]`;
  const isDoneLike = (status: Prisma.Sql) => Prisma.sql`(${status} = ANY(${doneLike}::text[]))::int`;
  const counts = (itemId: Prisma.Sql) => Prisma.sql`NOT EXISTS (SELECT 1 FROM above_target x WHERE x.id = ${itemId})`;
  return Prisma.sql`
    WITH params AS (
      SELECT ${points}::timestamptz[] AS points, ${points.length}::int AS n, ${points.at(-1)}::timestamptz AS last
    ),
    -- Items of checklists with levels that are above their target now: left out at every instant.
    above_target AS MATERIALIZED (
      SELECT i.id::text AS id FROM checklist_items i JOIN projects pr ON pr.id = i.project_id
      WHERE i.project_id = ANY(${projectIds}::uuid[]) AND NOT ${countsForTargetSql("i", "pr")}
    ),
    -- Changes that involve a waiver (into, out of, a new request, its acceptance or decline: those
    -- carry waiverExpiresAt), with the state before them. A change that ended an accepted waiver
    -- carries waiverAcceptedAt in before; without it the waiver was a request (or from before
    -- waivers needed acceptance, which counts as one too).
    waiver_changes AS MATERIALIZED (
      SELECT e.project_id, e.entity_id::uuid AS item_id, e.id AS seq, width_bucket(e.occurred_at, p.points) AS k,
             coalesce(e.before->>'status', ${waived}) AS before_status, (e.before->>'waiverExpiresAt')::timestamptz AS before_expiry,
             (e.before->>'waiverAcceptedAt')::timestamptz AS before_accepted
      FROM audit_events e CROSS JOIN params p
      WHERE ${inWindow} AND e.action IN (${auditActions.ITEM_UPDATED}, ${auditActions.WAIVER_ACCEPTED}, ${auditActions.WAIVER_DECLINED}) AND e.after->'waiverExpiresAt' IS NOT NULL
        AND ${counts(Prisma.sql`e.entity_id`)}
    ),
    -- The stretches [from_k, to_k) items spent waived with a waiver that was a request or ran
    -- out by the last instant: before a change, since the waiver change before it (changes to one
    -- item are serialized by its row lock, so ids give their order); and now, since the last one.
    waived_stretches AS (
      SELECT project_id, from_k, to_k, expiry, accepted FROM (
        SELECT c.project_id, coalesce(lag(c.k) OVER (PARTITION BY c.item_id ORDER BY c.seq), 0) AS from_k, c.k AS to_k, c.before_status, c.before_expiry AS expiry, c.before_accepted AS accepted
        FROM waiver_changes c
      ) before_changes CROSS JOIN params p
      WHERE before_status = ${waived} AND (expiry IS NULL OR expiry <= p.last OR accepted IS NULL)
      UNION ALL
      SELECT i.project_id, coalesce(last.k, 0), p.n, i.waiver_expires_at, i.waiver_accepted_at
      FROM checklist_items i CROSS JOIN params p
      LEFT JOIN (SELECT item_id, max(k) AS k FROM waiver_changes GROUP BY item_id) last ON last.item_id = i.id
      WHERE i.project_id = ANY(${projectIds}::uuid[]) AND i.status = 'WAIVED' AND (i.waiver_expires_at IS NULL OR i.waiver_expires_at <= p.last OR i.waiver_accepted_at IS NULL)
        AND ${counts(Prisma.sql`i.id::text`)}
    ),
    -- The part of each stretch that did not count: all of it for a request, else from the first
    -- instant at or after the waiver expired.
    expired AS (
      SELECT s.project_id,
             CASE WHEN s.accepted IS NULL THEN s.from_k ELSE greatest(s.from_k, coalesce(width_bucket(s.expiry - interval '1 microsecond', p.points), 0)) END AS from_k, s.to_k
      FROM waived_stretches s CROSS JOIN params p
    )
    SELECT d.project_id::text AS "projectId", d.k, sum(d.total)::int AS total, sum(d.done)::int AS done, sum(d.expired)::int AS expired
    FROM (
      -- Status changes: into (+1) or out of (-1) a done-like status.
      SELECT e.project_id, width_bucket(e.occurred_at, p.points) AS k, 0 AS total,
             ${isDoneLike(Prisma.sql`e.after->>'status'`)} - ${isDoneLike(Prisma.sql`e.before->>'status'`)} AS done, 0 AS expired
      FROM audit_events e CROSS JOIN params p
      WHERE ${inWindow} AND e.action IN (${auditActions.ITEM_UPDATED}, ${auditActions.WAIVER_DECLINED}) AND e.before->'status' IS NOT NULL
        AND ${counts(Prisma.sql`e.entity_id`)}
      UNION ALL
      -- Items imported, or added by a template upgrade (to do).
      SELECT e.project_id, width_bucket(e.occurred_at, p.points), 1, ${isDoneLike(Prisma.sql`item->>'status'`)}, 0
      FROM audit_events e CROSS JOIN params p
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN e.action = ${auditActions.CHECKLIST_IMPORTED} THEN e.after->'items' ELSE e.after->'added' END) AS item
      WHERE ${inWindow} AND e.action IN (${auditActions.CHECKLIST_IMPORTED}, ${auditActions.CHECKLIST_UPGRADED}) AND ${counts(Prisma.sql`item->>'id'`)}
      UNION ALL
      -- Items a template upgrade removed (never worked on, so to do).
      SELECT e.project_id, width_bucket(e.occurred_at, p.points), -jsonb_array_length(e.after->'removed'), 0, 0
      FROM audit_events e CROSS JOIN params p
      WHERE ${inWindow} AND e.action = ${auditActions.CHECKLIST_UPGRADED}
      UNION ALL
      SELECT e.project_id, e.from_k, 0, 0, 1 FROM expired e WHERE e.to_k > e.from_k
      UNION ALL
      SELECT e.project_id, e.to_k, 0, 0, -1 FROM expired e CROSS JOIN params p WHERE e.to_k > e.from_k AND e.to_k < p.n
      UNION ALL
      -- The anchor: the items as they are now (k = -1).
      SELECT project_id, -1, count(*)::int, (count(*) FILTER (WHERE status::text = ANY(${doneLike}::text[])))::int, 0
      FROM checklist_items i WHERE i.project_id = ANY(${projectIds}::uuid[]) AND ${counts(Prisma.sql`i.id::text`)} GROUP BY project_id
    ) d
    GROUP BY d.project_id, d.k`;
}
