import { Prisma } from "@/lib/generated/prisma/client";
import type { ChainedEvent } from "@/lib/audit/chain";

// One reading of audit_events for every raw query over it (verification, history, exports):
// the columns, their row shape, and the event they make.

/** The columns of an audit event, as raw queries select them. */
export const AUDIT_EVENT_COLUMNS = Prisma.sql`id, seq, prev_hash, hash, occurred_at, actor_id::text AS actor_id, actor_name, actor_email, action, entity_type, entity_id, project_id::text AS project_id, before, after, request_id`;

export type AuditEventRow = {
  id: bigint;
  seq: bigint;
  prev_hash: string;
  hash: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_email: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  project_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
};

export function toChainedEvent(row: AuditEventRow): ChainedEvent {
  return {
    id: row.id,
    seq: row.seq,
    prevHash: row.prev_hash,
    hash: row.hash,
    occurredAt: row.occurred_at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorEmail: row.actor_email,
    action: row.action,
    entityType: row.entity_type,
    entityId: row.entity_id,
    projectId: row.project_id,
    before: row.before,
    after: row.after,
    requestId: row.request_id,
  };
}
