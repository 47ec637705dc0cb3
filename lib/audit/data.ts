import { db, type Prisma } from "@/lib/db";
import { assertCan, type Actor } from "@/lib/policy";
import type { ProjectView } from "@/lib/projects/data";

export type AuditEventView = {
  id: string;
  occurredAt: string;
  actorName: string | null;
  actorEmail: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  projectId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
};

export type AuditPage = { events: AuditEventView[]; nextCursor: string | null };

const PAGE_SIZE = 50;

/** Newest first, keyset-paginated on (occurredAt, id): stable while new events arrive. */
async function listEvents(where: Prisma.AuditEventWhereInput, cursor: string | null, limit: number): Promise<AuditPage> {
  const after = cursor ? decodeCursor(cursor) : null;
  const rows = await db.auditEvent.findMany({
    where: after
      ? { AND: [where, { OR: [{ occurredAt: { lt: after.occurredAt } }, { occurredAt: after.occurredAt, id: { lt: after.id } }] }] }
      : where,
    orderBy: [{ occurredAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    events: page.map((row) => ({
      id: row.id.toString(),
      occurredAt: row.occurredAt.toISOString(),
      actorName: row.actorName,
      actorEmail: row.actorEmail,
      action: row.action,
      entityType: row.entityType,
      entityId: row.entityId,
      projectId: row.projectId,
      before: row.before,
      after: row.after,
      requestId: row.requestId,
    })),
    nextCursor: rows.length > limit && last ? `${last.occurredAt.toISOString()}_${last.id}` : null,
  };
}

function decodeCursor(cursor: string): { occurredAt: Date; id: bigint } | null {
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_(\d+)$/.exec(cursor);
  if (!match?.[1] || !match[2]) return null;
  return { occurredAt: new Date(match[1]), id: BigInt(match[2]) };
}

export async function listProjectActivity(actor: Actor, project: ProjectView, limit = 20): Promise<AuditPage> {
  assertCan(actor, "project.view", { kind: "project", projectId: project.id, roles: project.myRoles });
  return listEvents({ projectId: project.id }, null, limit);
}

export async function listAllActivity(actor: Actor, cursor: string | null): Promise<AuditPage> {
  assertCan(actor, "audit.viewAll", { kind: "global" });
  return listEvents({}, cursor, PAGE_SIZE);
}
