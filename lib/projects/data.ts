import { isSlug } from "@/lib/validation";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db, type Prisma } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, can, signingRoles, type Actor, type SigningRole } from "@/lib/policy";
import { webhookOrigin } from "@/lib/projects/schema";

export type ProjectMemberView = {
  userId: string;
  name: string;
  email: string;
  title: string;
  roles: ProjectRole[];
  /** The signing roles they hold that they granted themselves: they cannot sign with them. */
  selfGrantedRoles: ProjectRole[];
  disabled: boolean;
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

/** The signing roles a member holds that they granted themselves. */
export function selfGrantedRoles(userId: string, member: RoleGrantColumns & { roles: readonly ProjectRole[] }): ProjectRole[] {
  const grants = roleGrants(member);
  return signingRoles.filter((role) => grants[role] === userId);
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
  /** The viewer's own roles on this project (empty for admins and auditors who are not members). */
  myRoles: ProjectRole[];
};

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
      user: { select: { id: true, name: true, email: true, title: true, disabledAt: true } },
    },
  },
} satisfies Prisma.ProjectSelect;

type ProjectRow = Prisma.ProjectGetPayload<{ select: typeof projectSelect }>;

function toView(row: ProjectRow, actor: Actor): ProjectView {
  const members = row.members.map((member) => ({
    userId: member.user.id,
    name: member.user.name,
    email: member.user.email,
    title: member.user.title,
    roles: member.roles,
    selfGrantedRoles: selfGrantedRoles(member.user.id, member),
    disabled: member.user.disabledAt !== null,
    updatedAt: member.updatedAt.toISOString(),
  }));
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    targetGoLive: row.targetGoLive ? row.targetGoLive.toISOString().slice(0, 10) : null,
    liveAt: row.liveAt?.toISOString() ?? null,
    members,
    myRoles: members.find((member) => member.userId === actor.id)?.roles ?? [],
  };
}

/**
 * The filter for the projects this actor may see: all for admins and auditors, else those they
 * belong to. Every list of projects uses it, so the rule lives in one place.
 */
export function visibleProjectsWhere(actor: Actor): Prisma.ProjectWhereInput {
  const seesAll = can(actor, "project.view", { kind: "project", projectId: "*", roles: [] });
  return seesAll ? {} : { members: { some: { userId: actor.id } } };
}

/** The projects this actor may see: all for admins and auditors, else those they belong to. */
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

/** The actor's roles on a project, for authorizing a change to it. */
export async function getActorProjectRoles(actor: Actor, projectId: string): Promise<ProjectRole[]> {
  const membership = await db.projectMember.findUnique({
    where: { projectId_userId: { projectId, userId: actor.id } },
    select: { roles: true },
  });
  return membership?.roles ?? [];
}

/** Where a project's notifications are posted, as its origin only (the path may be a secret). */
export async function getProjectWebhook(actor: Actor, project: ProjectView): Promise<{ origin: string | null }> {
  assertCan(actor, "project.configureNotifications", { kind: "project", projectId: project.id, roles: project.myRoles });
  const row = await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { webhookUrl: true } });
  return { origin: webhookOrigin(row.webhookUrl) };
}
