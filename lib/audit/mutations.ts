import type { Prisma, Tx } from "@/lib/db";
import type { AuditAction } from "@/lib/audit/events";
import { contentHash, toStoredJson, type AuditEventContent } from "@/lib/audit/chain";

/** Who did it, copied into the event as they were at that moment. */
export type AuditActor = { id: string; name: string; email: string } | null;

/** Who acts and in which request: a service context, or the system (actor null) for data loads. */
export type AuditContext = { actor: AuditActor; requestId: string | null };

export type AuditEventInput = {
  actor: AuditActor;
  action: AuditAction;
  entityType: string;
  entityId?: string | null;
  projectId?: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  requestId: string | null;
};

// Lone UTF-16 surrogates cannot be stored as UTF-8: the driver writes U+FFFD instead. The hash
// must cover what is stored, so text columns are made well-formed before hashing.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const storedText = (value: string | null | undefined): string | null => (value == null ? null : value.replace(LONE_SURROGATE, "\uFFFD"));

/** A uuid column returns its value lowercase and hyphenated, whatever form it was given in. */
function storedUuid(value: string | null | undefined): string | null {
  if (value == null) return null;
  const hex = value.replace(/^\{|\}$/g, "").replaceAll("-", "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new TypeError(`recordAuditEvent: "${value}" is not a uuid`);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The transaction's time (now()), on the database's clock: one clock for every app instance, and
 * one instant for all the events of a transaction, as the column default gave. Truncated to the
 * column's millisecond precision, so that the hashed time is the stored one. (Not cached per
 * transaction: a transaction client cannot be told apart from a long-lived client here.)
 */
async function transactionTime(tx: Tx): Promise<Date> {
  const [row] = await tx.$queryRaw<{ now: Date }[]>`SELECT date_trunc('milliseconds', now()) AS now`;
  if (!row) throw new Error("the database did not tell its time");
  return row.now;
}

const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

/**
 * Appends an audit event inside the caller's transaction: the event exists if and only if the
 * change it describes was committed.
 *
 * The event is hash-chained at the transaction's commit, not here: it is written with the hash
 * of its content to audit_pending_events, and a deferred trigger (see the audit_hash_chain
 * migrations) appends the transaction's events to audit_events in order when it commits, under
 * the chain head's lock, giving each the next seq, the previous event's hash and its own hash.
 * So the lock is held only while committing, never while the rest of the change runs (which
 * would serialize every writer's work and could deadlock with the row locks taken after the
 * event), concurrent writers still make one chain, and a rolled-back transaction leaves no gap.
 * The event is not in audit_events before the commit.
 */
export async function recordAuditEvent(tx: Tx, event: AuditEventInput): Promise<void> {
  const content: AuditEventContent = {
    occurredAt: await transactionTime(tx),
    actorId: storedUuid(event.actor?.id),
    actorName: storedText(event.actor?.name),
    actorEmail: storedText(event.actor?.email),
    action: event.action,
    entityType: storedText(event.entityType) ?? "",
    entityId: storedText(event.entityId),
    projectId: storedUuid(event.projectId),
    before: toStoredJson(event.before),
    after: toStoredJson(event.after),
    requestId: storedText(event.requestId),
  };
  await tx.$executeRaw`
    INSERT INTO audit_pending_events (occurred_at, actor_id, actor_name, actor_email, action, entity_type, entity_id, project_id, before, after, request_id, content_hash)
    VALUES (${content.occurredAt}, ${content.actorId}::uuid, ${content.actorName}, ${content.actorEmail}, ${content.action}, ${content.entityType},
            ${content.entityId}, ${content.projectId}::uuid, ${json(content.before)}::jsonb, ${json(content.after)}::jsonb, ${content.requestId},
            ${contentHash(content)})`;
}
