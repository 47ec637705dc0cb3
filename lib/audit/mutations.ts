import type { Prisma, Tx } from "@/lib/db";
import type { AuditAction } from "@/lib/audit/events";

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

/**
 * Appends an audit event inside the caller's transaction: the event exists if and only if the
 * change it describes was committed.
 */
export async function recordAuditEvent(tx: Tx, event: AuditEventInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      actorId: event.actor?.id ?? null,
      actorName: event.actor?.name ?? null,
      actorEmail: event.actor?.email ?? null,
      action: event.action,
      entityType: event.entityType,
      entityId: event.entityId ?? null,
      projectId: event.projectId ?? null,
      ...(event.before != null ? { before: event.before } : {}),
      ...(event.after != null ? { after: event.after } : {}),
      requestId: event.requestId,
    },
  });
}
