import type { Tx } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { orderedRoles } from "@/lib/projects/roles";
import { recordTeamMemberEvent, teamMemberSnapshot } from "@/lib/teams/mutations";

// Single sign-on groups (OIDC_GROUPS_CLAIM): at each sign-in, the groups the provider lists for a
// person decide their membership of every team that names a group. Teams without a group are
// kept by hand and never touched here. The changes are made as the system (no actor), in the
// sign-in's transaction, each with its audit event.

const signOn = "single sign-on" as const;

/**
 * Makes the person a member of each team whose group `groups` lists, with the team's group roles,
 * and takes them out of each team with a group it does not list. A membership the sign-on made
 * follows the team's group roles as they are now; roles an admin set by hand are kept.
 */
export async function syncGroupTeams(tx: Tx, user: { id: string; name: string; email: string }, groups: readonly string[], requestId: string | null): Promise<void> {
  const listed = new Set(groups);
  const teams = await tx.team.findMany({
    where: { oidcGroup: { not: null }, OR: [{ oidcGroup: { in: [...listed] } }, { members: { some: { userId: user.id } } }] },
    orderBy: { id: "asc" },
    select: { id: true, slug: true, name: true, oidcGroup: true, oidcRoles: true, members: { where: { userId: user.id }, select: { id: true, roles: true, grantedById: true } } },
  });
  const ctx = { actor: null, requestId };
  for (const { members, oidcGroup, oidcRoles, ...team } of teams) {
    const group = oidcGroup ?? "";
    const member = members[0];
    const roles = orderedRoles(oidcRoles);
    if (listed.has(group) && !member) {
      await tx.teamMember.create({ data: { teamId: team.id, userId: user.id, roles, grantedById: null } });
      await recordTeamMemberEvent(tx, ctx, auditActions.TEAM_MEMBER_ADDED, { team, after: { ...teamMemberSnapshot(team, user, roles, null), via: signOn, group } });
    } else if (listed.has(group) && member && member.grantedById === null && orderedRoles(member.roles).join() !== roles.join()) {
      await tx.teamMember.update({ where: { id: member.id }, data: { roles } });
      await recordTeamMemberEvent(tx, ctx, auditActions.TEAM_MEMBER_ROLES_CHANGED, {
        team,
        before: teamMemberSnapshot(team, user, member.roles, null),
        after: { ...teamMemberSnapshot(team, user, roles, null), via: signOn, group },
      });
    } else if (!listed.has(group) && member) {
      await tx.teamMember.delete({ where: { id: member.id } });
      await recordTeamMemberEvent(tx, ctx, auditActions.TEAM_MEMBER_REMOVED, { team, before: teamMemberSnapshot(team, user, member.roles, member.grantedById), after: { via: signOn, group } });
    }
  }
}
