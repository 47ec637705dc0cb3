import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent, type AuditContext } from "@/lib/audit/mutations";
import { assertCan, can, signingRoles } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import { lockProjectFor } from "@/lib/projects/lock";
import { addTeamMemberSchema, createTeamSchema, removeTeamMemberSchema, setProjectTeamSchema, setTeamMemberRolesSchema, updateTeamSchema } from "@/lib/teams/schema";

// Teams: an admin makes them and keeps their members; a team's members hold their team roles on
// every project the team owns (lib/projects/roles.ts). Each change is one transaction with its
// audit event. Changes to one team are serialized by a lock on its row.

export type LockedTeam = { id: string; slug: string; name: string };

/** Locks the team's row for the rest of the transaction: changes to one team are serialized. */
export async function lockTeam(tx: Tx, teamId: string): Promise<LockedTeam> {
  const [team] = await tx.$queryRaw<LockedTeam[]>`SELECT id::text, slug, name FROM teams WHERE id = ${teamId}::uuid FOR UPDATE`;
  if (!team) throw new AppError("NOT_FOUND", "Team not found.");
  return team;
}

/** A team membership in an audit event: the team, who, their team roles, and who set them (null: the single sign-on). */
export function teamMemberSnapshot(team: LockedTeam, user: { id: string; name: string; email: string }, roles: readonly ProjectRole[], grantedById: string | null) {
  return { teamId: team.id, teamName: team.name, userId: user.id, name: user.name, email: user.email, roles: [...roles], grantedById };
}

type TeamMemberSnapshot = ReturnType<typeof teamMemberSnapshot>;
/** Marks a change a single sign-on made, by the group its token listed or no longer listed. */
type SignOnMark = { via: "single sign-on"; group: string };

/** Records a team membership change in `tx`, the team as its entity. */
export async function recordTeamMemberEvent(
  tx: Tx,
  ctx: AuditContext,
  action: typeof auditActions.TEAM_MEMBER_ADDED | typeof auditActions.TEAM_MEMBER_ROLES_CHANGED | typeof auditActions.TEAM_MEMBER_REMOVED,
  change: { team: LockedTeam; before?: TeamMemberSnapshot; after?: TeamMemberSnapshot | SignOnMark | (TeamMemberSnapshot & SignOnMark) },
): Promise<void> {
  await recordAuditEvent(tx, { actor: ctx.actor, action, entityType: "team", entityId: change.team.id, before: change.before ?? null, after: change.after ?? null, requestId: ctx.requestId });
}

/** The CONFLICT for a slug or single sign-on group another team has, on its field. */
async function assertNamesFree(tx: Tx, values: { slug?: string; oidcGroup: string | null }, teamId: string | null): Promise<void> {
  const taken = await tx.team.findMany({
    where: { OR: [...(values.slug ? [{ slug: values.slug }] : []), ...(values.oidcGroup ? [{ oidcGroup: values.oidcGroup }] : [])], ...(teamId ? { NOT: { id: teamId } } : {}) },
    select: { slug: true, oidcGroup: true, name: true },
  });
  const bySlug = taken.find((team) => values.slug !== undefined && team.slug === values.slug);
  if (bySlug) throw new AppError("CONFLICT", `A team with the slug "${bySlug.slug}" already exists.`, { slug: ["This slug is taken; choose another."] });
  const byGroup = taken.find((team) => values.oidcGroup !== null && team.oidcGroup === values.oidcGroup);
  if (byGroup) throw new AppError("CONFLICT", `The team ${byGroup.name} already takes its members from this group.`, { oidcGroup: [`Team ${byGroup.name} already uses this group.`] });
}

function teamSettings(team: { slug: string; name: string; description: string; oidcGroup: string | null; oidcRoles: readonly ProjectRole[] }) {
  return { slug: team.slug, name: team.name, description: team.description, oidcGroup: team.oidcGroup, oidcRoles: [...team.oidcRoles] };
}

export async function createTeam(ctx: ServiceContext, input: unknown): Promise<{ id: string; slug: string }> {
  assertCan(ctx.actor, "team.manage", { kind: "global" });
  const data = parseInput(createTeamSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      await assertNamesFree(tx, data, null);
      const team = await tx.team.create({
        data: { slug: data.slug, name: data.name, description: data.description, oidcGroup: data.oidcGroup, oidcRoles: data.oidcRoles },
        select: { id: true, slug: true, name: true, description: true, oidcGroup: true, oidcRoles: true },
      });
      await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.TEAM_CREATED, entityType: "team", entityId: team.id, after: teamSettings(team), requestId: ctx.requestId });
      return { id: team.id, slug: team.slug };
    });
  } catch (error) {
    // Another team took the slug or the group between the check and the insert.
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "Another team was just given this slug or group; choose another.", { slug: ["Choose another slug."] });
    throw error;
  }
}

/** Changes a team's name, description, single sign-on group and the roles it grants, on the version the editor saw. */
export async function updateTeam(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "team.manage", { kind: "global" });
  const data = parseInput(updateTeamSchema, input);
  try {
    await db.$transaction(async (tx) => {
      await lockTeam(tx, data.teamId);
      const before = await tx.team.findUniqueOrThrow({ where: { id: data.teamId }, select: { slug: true, name: true, description: true, oidcGroup: true, oidcRoles: true, updatedAt: true } });
      if (before.updatedAt.toISOString() !== new Date(data.expectedUpdatedAt).toISOString()) {
        throw new AppError("CONFLICT", `Someone else changed team ${before.name} meanwhile. Reload and try again.`);
      }
      await assertNamesFree(tx, { oidcGroup: data.oidcGroup }, data.teamId);
      const after = await tx.team.update({
        where: { id: data.teamId },
        data: { name: data.name, description: data.description, oidcGroup: data.oidcGroup, oidcRoles: data.oidcRoles },
        select: { slug: true, name: true, description: true, oidcGroup: true, oidcRoles: true },
      });
      await recordAuditEvent(tx, { actor: ctx.actor, action: auditActions.TEAM_UPDATED, entityType: "team", entityId: data.teamId, before: teamSettings(before), after: teamSettings(after), requestId: ctx.requestId });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "Another team was just given this group; choose another.", { oidcGroup: ["Choose another group."] });
    throw error;
  }
}

export async function addTeamMember(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "team.manage", { kind: "global" });
  const data = parseInput(addTeamMemberSchema, input);
  try {
    await db.$transaction(async (tx) => {
      const team = await lockTeam(tx, data.teamId);
      const user = await tx.user.findFirst({ where: { email: data.email, disabledAt: null }, select: { id: true, name: true, email: true } });
      if (!user) throw new AppError("INVALID_INPUT", "Nobody active has this email.", { email: ["No active user has this email: add them as a user first."] });
      await tx.teamMember.create({ data: { teamId: team.id, userId: user.id, roles: data.roles, grantedById: ctx.actor.id } });
      await recordTeamMemberEvent(tx, ctx, auditActions.TEAM_MEMBER_ADDED, { team, after: teamMemberSnapshot(team, user, data.roles, ctx.actor.id) });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "That person is already in this team; change their roles instead.", { email: ["Already in this team."] });
    throw error;
  }
}

/**
 * Sets a member's team roles, on the version the editor saw. Whoever adds a signing role becomes
 * the grantor of the membership's roles (one grantor per team membership, so a role someone
 * granted themselves cannot be passed off as another's); a change that adds none keeps the grantor.
 */
export async function setTeamMemberRoles(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "team.manage", { kind: "global" });
  const data = parseInput(setTeamMemberRolesSchema, input);
  await db.$transaction(async (tx) => {
    const team = await lockTeam(tx, data.teamId);
    const member = await tx.teamMember.findUnique({
      where: { teamId_userId: { teamId: team.id, userId: data.userId } },
      select: { id: true, roles: true, grantedById: true, updatedAt: true, user: { select: { id: true, name: true, email: true } } },
    });
    if (!member) throw new AppError("NOT_FOUND", "That person is not in this team.");
    if (member.updatedAt.toISOString() !== new Date(data.expectedUpdatedAt).toISOString()) {
      throw new AppError("CONFLICT", `Someone else changed ${member.user.name}'s team roles meanwhile (now: ${member.roles.join(", ")}). Reload and try again.`);
    }
    const addsSigning = signingRoles.some((role) => data.roles.includes(role) && !member.roles.includes(role));
    const grantedById = addsSigning ? ctx.actor.id : member.grantedById;
    await tx.teamMember.update({ where: { id: member.id }, data: { roles: data.roles, grantedById } });
    await recordTeamMemberEvent(tx, ctx, auditActions.TEAM_MEMBER_ROLES_CHANGED, {
      team,
      before: teamMemberSnapshot(team, member.user, member.roles, member.grantedById),
      after: teamMemberSnapshot(team, member.user, data.roles, grantedById),
    });
  });
}

export async function removeTeamMember(ctx: ServiceContext, input: unknown): Promise<void> {
  assertCan(ctx.actor, "team.manage", { kind: "global" });
  const data = parseInput(removeTeamMemberSchema, input);
  await db.$transaction(async (tx) => {
    const team = await lockTeam(tx, data.teamId);
    const member = await tx.teamMember.findUnique({
      where: { teamId_userId: { teamId: team.id, userId: data.userId } },
      select: { id: true, roles: true, grantedById: true, user: { select: { id: true, name: true, email: true } } },
    });
    if (!member) throw new AppError("NOT_FOUND", "That person is not in this team.");
    await tx.teamMember.delete({ where: { id: member.id } });
    await recordTeamMemberEvent(tx, ctx, auditActions.TEAM_MEMBER_REMOVED, { team, before: teamMemberSnapshot(team, member.user, member.roles, member.grantedById) });
  });
}

/**
 * Sets or clears the team that owns a project: its lead or an admin, and (for a team) an admin or
 * a LEAD member of that team. Refused with CONFLICT when the owner changed since the form showed it.
 */
export async function setProjectTeam(ctx: ServiceContext, input: unknown): Promise<{ changed: boolean }> {
  const data = parseInput(setProjectTeamSchema, input);
  return db.$transaction(async (tx) => {
    await lockProjectFor(tx, ctx.actor, data.projectId, "project.manageMembers");
    const project = await tx.project.findUniqueOrThrow({ where: { id: data.projectId }, select: { team: { select: { id: true, name: true } } } });
    if ((project.team?.id ?? "") !== data.expectedTeamId) {
      throw new AppError("CONFLICT", `Someone else changed the owning team meanwhile (now: ${project.team?.name ?? "none"}). Reload and try again.`);
    }
    const next = data.teamId === "" ? null : await tx.team.findUnique({ where: { id: data.teamId }, select: { id: true, name: true, members: { where: { userId: ctx.actor.id }, select: { roles: true } } } });
    if (data.teamId !== "" && !next) throw new AppError("INVALID_INPUT", "That team does not exist.", { teamId: ["Choose a team from the list."] });
    if (next && !can(ctx.actor, "team.assignProjects", { kind: "team", teamId: next.id, roles: next.members[0]?.roles ?? [] })) {
      throw new AppError("FORBIDDEN", `Only an admin or a lead of team ${next.name} may give it a project.`, { teamId: ["Choose a team you lead, or none."] });
    }
    if ((next?.id ?? null) === (project.team?.id ?? null)) return { changed: false };
    await tx.project.update({ where: { id: data.projectId }, data: { teamId: next?.id ?? null } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.PROJECT_TEAM_CHANGED,
      entityType: "project",
      entityId: data.projectId,
      projectId: data.projectId,
      before: { teamId: project.team?.id ?? null, teamName: project.team?.name ?? null },
      after: { teamId: next?.id ?? null, teamName: next?.name ?? null },
      requestId: ctx.requestId,
    });
    return { changed: true };
  });
}
