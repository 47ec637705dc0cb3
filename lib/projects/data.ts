import { isSlug } from "@/lib/validation";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, can, signingRoles, type Actor, type SigningRole } from "@/lib/policy";
import { webhookOrigin } from "@/lib/projects/schema";
import { holdingOf, holdingOnProject, memberSource, orderedRoles, teamSource, type RoleSource } from "@/lib/projects/roles";

export type ProjectMemberView = {
  userId: string;
  name: string;
  email: string;
  title: string;
  /** Every role they hold here: their own and those of the owning team (lib/projects/roles.ts). */
  roles: ProjectRole[];
  /** The roles of their own membership, which a lead changes here (empty: they come through the team only). */
  memberRoles: ProjectRole[];
  /** The roles they hold as members of the team that owns the project (empty: none). */
  teamRoles: ProjectRole[];
  /** The signing roles they hold that they granted themselves: they cannot sign with them. */
  selfGrantedRoles: ProjectRole[];
  disabled: boolean;
  /** When their own membership last changed (through the team only: their team membership). */
  updatedAt: string;
};

/** The membership column that records who granted each signing role (see ProjectMember in schema.prisma). */
export const roleGrantColumns = {
  APPROVER: "approverGrantedById",
  DEVOPS: "devopsGrantedById",
  DBA: "dbaGrantedById",
  SECURITY: "securityGrantedById",
} as const satisfies Record<SigningRole, keyof Prisma.ProjectMemberUncheckedCreateInput>;

export type RoleGrantColumns = { [Role in SigningRole as (typeof roleGrantColumns)[Role]]: string | null };

/** Selects the grant columns of a membership. */
export const roleGrantSelect = { approverGrantedById: true, devopsGrantedById: true, dbaGrantedById: true, securityGrantedById: true } as const satisfies Record<keyof RoleGrantColumns, true>;

/** Who granted each signing role the member holds; a role granted before grants were recorded (null) is absent. */
export function roleGrants(member: RoleGrantColumns & { roles: readonly ProjectRole[] }): Partial<Record<SigningRole, string>> {
  const grants: Partial<Record<SigningRole, string>> = {};
  for (const role of signingRoles) {
    const grantedBy = member[roleGrantColumns[role]];
    if (grantedBy !== null && member.roles.includes(role)) grants[role] = grantedBy;
  }
  return grants;
}

export type ProjectView = {
  id: string;
  slug: string;
  name: string;
  description: string;
  targetGoLive: string | null;
  /** When it was marked live, as an ISO instant; null before. */
  liveAt: string | null;
  members: ProjectMemberView[];
  /** The viewer's own roles on this project, theirs and their team's (empty for admins and auditors who are not members). */
  myRoles: ProjectRole[];
  /** The team that owns the project (its members hold their team roles here), or null. */
  team: { id: string; slug: string; name: string } | null;
};

const memberUserSelect = { id: true, name: true, email: true, title: true, disabledAt: true } as const;

const projectSelect = {
  id: true,
  slug: true,
  name: true,
  description: true,
  targetGoLive: true,
  liveAt: true,
  members: {
    orderBy: { user: { name: "asc" } },
    select: {
      roles: true,
      ...roleGrantSelect,
      updatedAt: true,
      user: { select: memberUserSelect },
    },
  },
  team: {
    select: {
      id: true,
      slug: true,
      name: true,
      members: { select: { roles: true, grantedById: true, updatedAt: true, user: { select: memberUserSelect } } },
    },
  },
} satisfies Prisma.ProjectSelect;

type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof projectSelect }>;

/** The project's people: its members and the owning team's, one entry each, by name. */
function peopleOf(row: ProjectRow): ProjectMemberView[] {
  type Person = { user: ProjectRow["members"][number]["user"]; sources: RoleSource[]; memberRoles: ProjectRole[]; teamRoles: ProjectRole[]; updatedAt: Date };
  const people = new Map<string, Person>();
  // Memberships first: a person's own membership is the one their entry's updatedAt is of.
  for (const member of row.members) {
    people.set(member.user.id, { user: member.user, sources: [memberSource(member)], memberRoles: orderedRoles(member.roles), teamRoles: [], updatedAt: member.updatedAt });
  }
  for (const member of row.team?.members ?? []) {
    const person = people.get(member.user.id) ?? { user: member.user, sources: [], memberRoles: [], teamRoles: [], updatedAt: member.updatedAt };
    person.sources.push(teamSource(member));
    person.teamRoles = orderedRoles(member.roles);
    people.set(member.user.id, person);
  }
  return [...people.values()]
    .sort((a, b) => a.user.name.localeCompare(b.user.name, "en") || a.user.id.localeCompare(b.user.id))
    .map((person) => {
      const holding = holdingOf(person.user.id, person.sources);
      return {
        userId: person.user.id,
        name: person.user.name,
        email: person.user.email,
        title: person.user.title,
        roles: holding.roles,
        memberRoles: person.memberRoles,
        teamRoles: person.teamRoles,
        selfGrantedRoles: holding.selfGrantedRoles,
        disabled: person.user.disabledAt !== null,
        updatedAt: person.updatedAt.toISOString(),
      };
    });
}

function toView(row: ProjectRow, actor: Actor): ProjectView {
  const members = peopleOf(row);
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    targetGoLive: row.targetGoLive ? row.targetGoLive.toISOString().slice(0, 10) : null,
    liveAt: row.liveAt?.toISOString() ?? null,
    members,
    myRoles: members.find((member) => member.userId === actor.id)?.roles ?? [],
    team: row.team ? { id: row.team.id, slug: row.team.slug, name: row.team.name } : null,
  };
}

/**
 * The filter for the projects this actor may see: all for admins and auditors, else those they
 * hold a role on, as members or through the owning team. Every list of projects uses it, so the
 * rule lives in one place.
 */
export function visibleProjectsWhere(actor: Actor): Prisma.ProjectWhereInput {
  const seesAll = can(actor, "project.view", { kind: "project", projectId: "*", roles: [] });
  return seesAll ? {} : { OR: [{ members: { some: { userId: actor.id } } }, { team: { members: { some: { userId: actor.id } } } }] };
}

/** The projects this actor may see: all for admins and auditors, else those they hold a role on. */
export async function listProjectsForActor(actor: Actor): Promise<ProjectView[]> {
  const rows = await db.project.findMany({
    where: visibleProjectsWhere(actor),
    orderBy: { name: "asc" },
    select: projectSelect,
  });
  return rows.map((row) => toView(row, actor));
}

/** A project the actor may see, or NOT_FOUND (also when it exists but is not theirs). */
export async function getProjectForActor(actor: Actor, slug: string): Promise<ProjectView> {
  const row = isSlug(slug) ? await db.project.findUnique({ where: { slug }, select: projectSelect }) : null;
  const view = row ? toView(row, actor) : null;
  if (!view || !can(actor, "project.view", { kind: "project", projectId: view.id, roles: view.myRoles })) {
    throw new AppError("NOT_FOUND", "Project not found.");
  }
  return view;
}

/** The actor's roles on a project (their own and their team's), for authorizing a change to it. */
export async function getActorProjectRoles(actor: Actor, projectId: string): Promise<ProjectRole[]> {
  return (await holdingOnProject(db, actor.id, projectId)).roles;
}

/** Where a project's notifications are posted, as its origin only (the path may be a secret). */
export async function getProjectWebhook(actor: Actor, project: ProjectView): Promise<{ origin: string | null }> {
  assertCan(actor, "project.configureNotifications", { kind: "project", projectId: project.id, roles: project.myRoles });
  const row = await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { webhookUrl: true } });
  return { origin: webhookOrigin(row.webhookUrl) };
}
