import type { ProjectRole } from "@/lib/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, type Action, type Actor } from "@/lib/policy";
import { holdingOnProject, noHolding } from "@/lib/projects/roles";

/**
 * Locks the project row for the rest of the transaction, so that changes to one project's
 * members, owning team, checklist structure and sign-offs are serialized, and reads the actor's
 * roles, their own and their team's (and which of them they granted themselves), as they stand
 * under that lock (none when the project does not exist).
 */
export async function lockProject(tx: Tx, actorId: string, projectId: string): Promise<{ exists: boolean; roles: ProjectRole[]; selfGrantedRoles: ProjectRole[] }> {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`;
  if (locked.length === 0) return { exists: false, ...noHolding };
  return { exists: true, ...(await holdingOnProject(tx, actorId, projectId)) };
}

/**
 * lockProject, then the policy on the project: an outsider gets NOT_FOUND from the policy, and
 * only someone who would be allowed learns that the project does not exist.
 */
export async function lockProjectFor(tx: Tx, actor: Actor, projectId: string, action: Action): Promise<ProjectRole[]> {
  const { exists, roles } = await lockProject(tx, actor.id, projectId);
  assertCan(actor, action, { kind: "project", projectId, roles });
  if (!exists) throw new AppError("NOT_FOUND", "Project not found.");
  return roles;
}

/**
 * The same decision as lockProjectFor without the lock, for refusing early before costly work
 * (parsing a file); the locked check in the transaction still decides.
 */
export async function assertCanOnProject(reader: Pick<Tx, "project" | "$queryRaw">, actor: Actor, projectId: string, action: Action): Promise<void> {
  const [project, holding] = await Promise.all([reader.project.findUnique({ where: { id: projectId }, select: { id: true } }), holdingOnProject(reader, actor.id, projectId)]);
  assertCan(actor, action, { kind: "project", projectId, roles: holding.roles });
  if (!project) throw new AppError("NOT_FOUND", "Project not found.");
}
