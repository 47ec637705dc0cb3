import { Prisma } from "@/lib/generated/prisma/client";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import type { Tx } from "@/lib/db";
import { signingRoles, type SigningRole } from "@/lib/policy";
import { projectRoles } from "@/lib/projects/schema";
import type { RoleGrantColumns } from "@/lib/projects/data";

// What a person holds on a project: the roles of their own membership and the roles of their
// membership in the team that owns the project, together. Read from the database every time it
// is asked (never cached, never from the session), so that joining or leaving a team, or a
// project changing teams, counts from the person's next request.

/** A person's roles on one project, and which of the signing ones they may not sign with. */
export type Holding = {
  /** Every role they hold there, their own and their team's, in the usual order. */
  roles: ProjectRole[];
  /**
   * The signing roles they granted themselves on every path they hold them by: they do not sign
   * with these. A role someone else granted on one path (or the single sign-on, on a team) signs.
   */
  selfGrantedRoles: ProjectRole[];
};

/** One path to roles on a project: a membership of the project, or of the team that owns it. */
export type RoleSource = {
  roles: readonly ProjectRole[];
  /** Who granted each signing role on this path (null: nobody recorded, or the single sign-on). */
  grantedBy: Record<SigningRole, string | null>;
};

export const noHolding: Holding = { roles: [], selfGrantedRoles: [] };

/** A project membership as a path to roles: each signing role has its own grantor. */
export function memberSource(member: RoleGrantColumns & { roles: readonly ProjectRole[] }): RoleSource {
  return {
    roles: member.roles,
    grantedBy: { APPROVER: member.approverGrantedById, DEVOPS: member.devopsGrantedById, DBA: member.dbaGrantedById, SECURITY: member.securityGrantedById },
  };
}

/** A team membership as a path to roles: whoever set its roles granted them all. */
export function teamSource(member: { roles: readonly ProjectRole[]; grantedById: string | null }): RoleSource {
  return { roles: member.roles, grantedBy: { APPROVER: member.grantedById, DEVOPS: member.grantedById, DBA: member.grantedById, SECURITY: member.grantedById } };
}

/** Roles in the order people read them (Lead, DevOps, DBA, Security, Approver, Viewer), once each. */
export function orderedRoles(roles: Iterable<ProjectRole>): ProjectRole[] {
  const held = new Set(roles);
  return projectRoles.filter((role) => held.has(role));
}

/** What someone holds through these paths together. */
export function holdingOf(userId: string, sources: readonly RoleSource[]): Holding {
  return {
    roles: orderedRoles(sources.flatMap((source) => source.roles)),
    selfGrantedRoles: signingRoles.filter((role) => {
      const paths = sources.filter((source) => source.roles.includes(role));
      return paths.length > 0 && paths.every((source) => source.grantedBy[role] === userId);
    }),
  };
}

type SourceRow = { projectId: string; roles: ProjectRole[] } & Record<SigningRole, string | null>;

/**
 * Every path to roles a person has, on the given projects (all of their projects when none are
 * given), in one query: their memberships and those of the teams owning projects.
 */
async function sourceRows(reader: Pick<Tx, "$queryRaw">, userId: string, projectIds: readonly string[] | null): Promise<SourceRow[]> {
  const onMember = projectIds ? Prisma.sql`AND pm.project_id = ANY(${projectIds}::uuid[])` : Prisma.empty;
  const onTeam = projectIds ? Prisma.sql`AND p.id = ANY(${projectIds}::uuid[])` : Prisma.empty;
  return reader.$queryRaw<SourceRow[]>`
    SELECT pm.project_id::text AS "projectId", pm.roles::text[] AS roles,
           pm.approver_granted_by_id::text AS "APPROVER", pm.devops_granted_by_id::text AS "DEVOPS",
           pm.dba_granted_by_id::text AS "DBA", pm.security_granted_by_id::text AS "SECURITY"
    FROM project_members pm
    WHERE pm.user_id = ${userId}::uuid ${onMember}
    UNION ALL
    SELECT p.id::text, tm.roles::text[], tm.granted_by_id::text, tm.granted_by_id::text, tm.granted_by_id::text, tm.granted_by_id::text
    FROM team_members tm JOIN projects p ON p.team_id = tm.team_id
    WHERE tm.user_id = ${userId}::uuid ${onTeam}`;
}

function toSource(row: SourceRow): RoleSource {
  return { roles: row.roles, grantedBy: { APPROVER: row.APPROVER, DEVOPS: row.DEVOPS, DBA: row.DBA, SECURITY: row.SECURITY } };
}

/** What a person holds on one project (nothing when they hold no role there, or it does not exist). */
export async function holdingOnProject(reader: Pick<Tx, "$queryRaw">, userId: string, projectId: string): Promise<Holding> {
  const rows = await sourceRows(reader, userId, [projectId]);
  return rows.length === 0 ? noHolding : holdingOf(userId, rows.map(toSource));
}

/**
 * What a person holds on each project where they hold anything, by project id: the projects of
 * their own memberships and those of their teams, however many, in one query.
 */
export async function holdingsByProject(reader: Pick<Tx, "$queryRaw">, userId: string): Promise<Map<string, Holding>> {
  const byProject = new Map<string, RoleSource[]>();
  for (const row of await sourceRows(reader, userId, null)) {
    const sources = byProject.get(row.projectId);
    if (sources) sources.push(toSource(row));
    else byProject.set(row.projectId, [toSource(row)]);
  }
  return new Map([...byProject].map(([projectId, sources]) => [projectId, holdingOf(userId, sources)]));
}

/** The filter for people who hold a role on the project, on their own or through its team. */
function holdsRoleOn(projectId: string): Prisma.UserWhereInput {
  return { OR: [{ memberships: { some: { projectId } } }, { teamMemberships: { some: { team: { projects: { some: { id: projectId } } } } } }] };
}

/** The people among `where` who hold a role on the project, each with their roles there. */
export async function peopleOnProject(reader: Pick<Tx, "user">, projectId: string, where: Prisma.UserWhereInput): Promise<{ id: string; name: string; email: string; disabledAt: Date | null; roles: ProjectRole[] }[]> {
  const users = await reader.user.findMany({
    where: { AND: [where, holdsRoleOn(projectId)] },
    select: {
      id: true,
      name: true,
      email: true,
      disabledAt: true,
      memberships: { where: { projectId }, select: { roles: true } },
      teamMemberships: { where: { team: { projects: { some: { id: projectId } } } }, select: { roles: true } },
    },
  });
  return users.map(({ memberships, teamMemberships, ...user }) => ({ ...user, roles: orderedRoles([...memberships, ...teamMemberships].flatMap((membership) => membership.roles)) }));
}
