import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, can, type Actor } from "@/lib/policy";
import { isSlug } from "@/lib/validation";

export type TeamRow = { id: string; slug: string; name: string; description: string; oidcGroup: string | null; members: number; projects: number };

/** Every team with how many members and projects it has, for admins. */
export async function listTeams(actor: Actor): Promise<TeamRow[]> {
  assertCan(actor, "team.manage", { kind: "global" });
  const teams = await db.team.findMany({
    orderBy: { name: "asc" },
    select: { id: true, slug: true, name: true, description: true, oidcGroup: true, _count: { select: { members: true, projects: true } } },
  });
  return teams.map(({ _count, ...team }) => ({ ...team, members: _count.members, projects: _count.projects }));
}

export type TeamMemberView = {
  userId: string;
  name: string;
  email: string;
  roles: ProjectRole[];
  disabled: boolean;
  /** Who last set the roles (null: the single sign-on, by the team's group). */
  grantedByName: string | null;
  updatedAt: string;
};

export type TeamView = {
  id: string;
  slug: string;
  name: string;
  description: string;
  oidcGroup: string | null;
  oidcRoles: ProjectRole[];
  updatedAt: string;
  members: TeamMemberView[];
  projects: { id: string; slug: string; name: string }[];
};

/** A team with its members and projects, for admins; NOT_FOUND when there is none by that slug. */
export async function getTeam(actor: Actor, slug: string): Promise<TeamView> {
  assertCan(actor, "team.manage", { kind: "global" });
  const team = isSlug(slug)
    ? await db.team.findUnique({
        where: { slug },
        select: {
          id: true,
          slug: true,
          name: true,
          description: true,
          oidcGroup: true,
          oidcRoles: true,
          updatedAt: true,
          members: { orderBy: { user: { name: "asc" } }, select: { roles: true, grantedById: true, updatedAt: true, user: { select: { id: true, name: true, email: true, disabledAt: true } } } },
          projects: { orderBy: { name: "asc" }, select: { id: true, slug: true, name: true } },
        },
      })
    : null;
  if (!team) throw new AppError("NOT_FOUND", "Team not found.");
  const grantorIds = [...new Set(team.members.flatMap((member) => (member.grantedById ? [member.grantedById] : [])))];
  const grantors = new Map((await db.user.findMany({ where: { id: { in: grantorIds } }, select: { id: true, name: true } })).map((user) => [user.id, user.name]));
  return {
    ...team,
    updatedAt: team.updatedAt.toISOString(),
    members: team.members.map((member) => ({
      userId: member.user.id,
      name: member.user.name,
      email: member.user.email,
      roles: member.roles,
      disabled: member.user.disabledAt !== null,
      grantedByName: member.grantedById ? (grantors.get(member.grantedById) ?? "a former user") : null,
      updatedAt: member.updatedAt.toISOString(),
    })),
  };
}

/**
 * The teams the actor may give a project to: every team for an admin, else the teams they are a
 * LEAD member of (as the policy says on each team).
 */
export async function teamsActorMayAssign(actor: Actor): Promise<{ id: string; name: string }[]> {
  const seesAll = can(actor, "team.assignProjects", { kind: "team", teamId: "*", roles: [] });
  const teams = await db.team.findMany({
    where: seesAll ? {} : { members: { some: { userId: actor.id } } },
    orderBy: { name: "asc" },
    select: { id: true, name: true, members: { where: { userId: actor.id }, select: { roles: true } } },
  });
  return teams.filter((team) => can(actor, "team.assignProjects", { kind: "team", teamId: team.id, roles: team.members[0]?.roles ?? [] })).map(({ id, name }) => ({ id, name }));
}
