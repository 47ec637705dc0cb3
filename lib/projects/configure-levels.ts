import { LONG_TRANSACTION, longDb, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent, type AuditContext } from "@/lib/audit/mutations";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { areas } from "@/lib/checklists/types";
import { configureLevelsSchema } from "@/lib/checklists/schema";
import { levelChangeWords, remapLevels, sameLevels } from "@/lib/checklists/levels";
import { lockProjectFor } from "@/lib/projects/lock";
import { markStaleSignoffs } from "@/lib/signoffs/mutations";
import type { SignoffSlot } from "@/lib/signoffs/digest";

/**
 * Sets a project's maturity levels (lowest first; none for a checklist without levels) and its
 * target level: a lead's or an admin's decision ("project.configureLevels"), on the levels and
 * target they saw (a change by someone else since is a conflict), until the project is live.
 * Items keep their level through a rename or a reordering (remapLevels); those whose level
 * moved get a new version. Audited in the same transaction, and every current sign-off whose
 * scope it changes (the items up to the target) goes stale; the others stay current.
 */
export async function configureLevels(ctx: ServiceContext, input: unknown): Promise<{ changed: boolean; stale: SignoffSlot[] }> {
  const data = parseInput(configureLevelsSchema, input);
  // Long: making sign-offs stale reads the scope of each, the whole checklist for Go-live.
  return longDb.$transaction(async (tx) => {
    await lockProjectFor(tx, ctx.actor, data.projectId, "project.configureLevels");
    const project = await tx.project.findUniqueOrThrow({ where: { id: data.projectId }, select: { id: true, levels: true, targetLevel: true, liveAt: true } });
    if (!sameLevels(project.levels, data.expectedLevels) || project.targetLevel !== data.expectedTargetLevel) {
      const now = project.levels.length > 0 ? `${project.levels.join(", ")}, target ${project.levels[project.targetLevel] ?? "none"}` : "no levels";
      throw new AppError("CONFLICT", `Someone else changed the levels meanwhile (now: ${now}). Reload the page and try again.`);
    }
    if (project.liveAt) throw new AppError("CONFLICT", "The project is live: the levels it went live with are part of its go-live record and no longer change.");
    const remap = remapLevels(project.levels, data.levels);
    const targetLevel = data.levels.length === 0 ? 0 : (data.targetLevel ?? remap[project.targetLevel] ?? 0);
    const before = { levels: project.levels, targetLevel: project.targetLevel };
    const after = { levels: data.levels, targetLevel };
    if (sameLevels(before.levels, after.levels) && before.targetLevel === after.targetLevel) return { changed: false, stale: [] };

    await tx.project.update({ where: { id: project.id }, data: after });
    const moves = remap.some((to, from) => to !== from);
    const moved = moves
      ? await tx.$executeRaw`
          UPDATE checklist_items SET level = (${remap}::int[])[level + 1], version = version + 1, updated_at = now()
          WHERE project_id = ${project.id}::uuid AND level < ${remap.length} AND (${remap}::int[])[level + 1] <> level`
      : 0;
    const words = levelChangeWords(before, after);
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.LEVELS_CHANGED,
      entityType: "project",
      entityId: project.id,
      projectId: project.id,
      before,
      // `remap[old]` is where the items of each old level went (each of them one version on).
      after: { ...after, ...(moves ? { remap, movedItems: moved } : {}) },
      requestId: ctx.requestId,
    });
    const stale = await markStaleSignoffs(tx, ctx, project.id, areas, { action: auditActions.LEVELS_CHANGED, itemId: null, title: words });
    return { changed: true, stale };
  }, LONG_TRANSACTION);
}

/**
 * The project's level for each level of a checklist being added to it, inside the caller's
 * transaction. A checklist that names levels brings them to a project without levels (audited,
 * target the lowest); into a project with levels its levels are matched by name, and a level the
 * project lacks refuses the import. A checklist without level names keeps its items' levels as
 * indexes into the project's (within them; all at 0 without levels).
 */
export async function levelsForAddedItems(tx: Tx, ctx: AuditContext, projectId: string, levels: readonly string[] | undefined): Promise<(level: number) => number> {
  const project = await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { levels: true, targetLevel: true } });
  const within = (count: number) => (level: number) => (count === 0 ? 0 : Math.min(level, count - 1));
  if (!levels || levels.length === 0) return within(project.levels.length);
  if (project.levels.length === 0) {
    await tx.project.update({ where: { id: projectId }, data: { levels: [...levels], targetLevel: 0 } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.LEVELS_CHANGED,
      entityType: "project",
      entityId: projectId,
      projectId,
      before: { levels: project.levels, targetLevel: project.targetLevel },
      after: { levels: [...levels], targetLevel: 0, from: "checklist" },
      requestId: ctx.requestId,
    });
    return within(levels.length);
  }
  const byName = new Map(project.levels.map((name, index) => [name.toLowerCase(), index]));
  const unknown = levels.filter((name) => !byName.has(name.toLowerCase()));
  if (unknown.length > 0) {
    const message = `The checklist's levels ${unknown.map((name) => `“${name}”`).join(", ")} are not levels of this project (${project.levels.join(", ")}): rename them in the file, or add them in the project's level settings first.`;
    throw new AppError("INVALID_INPUT", message, { file: [message] });
  }
  const map = levels.map((name) => byName.get(name.toLowerCase()) ?? 0);
  return (level) => map[Math.min(level, map.length - 1)] ?? 0;
}
