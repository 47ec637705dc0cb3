import type { Metadata } from "next";
import { can } from "@/lib/policy";
import { listUsers } from "@/lib/users/data";
import { RoleBadge } from "@/components/role-badge";
import { AddMemberForm, InviteMemberForm, MemberRolesForm } from "@/components/projects/member-forms";
import { env } from "@/lib/env";
import { OwningTeamForm } from "@/components/projects/owning-team-form";
import { teamsActorMayAssign } from "@/lib/teams/data";
import { rolesInWords } from "@/lib/words";
import { addMemberAction, inviteMemberAction, removeMemberAction, setMemberRolesAction, setProjectTeamAction } from "../../../actions";
import { loadProject } from "../load";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: Props) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const resource = { kind: "project", projectId: project.id, roles: project.myRoles } as const;
  const mayManage = can(actor, "project.manageMembers", resource);
  const candidates = mayManage
    ? (await listUsers({ actor, requestId: null }))
        .filter((user) => !user.disabled && !project.members.some((member) => member.userId === user.id && member.memberRoles.length > 0))
        .map((user) => ({ value: user.id, label: `${user.name} <${user.email}>` }))
    : [];
  const teams = mayManage ? await teamsActorMayAssign(actor) : [];

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="members-heading" className="flex flex-col gap-3">
        <h2 id="members-heading" className="text-lg font-semibold">
          Members
        </h2>
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {project.members.map((member) => (
            <li key={member.userId} className="flex flex-col gap-3 px-4 py-3 md:flex-row md:items-start md:justify-between" data-testid="member-row">
              <div>
                <p className="font-medium">
                  {member.name} {member.disabled && <span className="text-xs text-red-700">(disabled)</span>}
                </p>
                <p className="text-sm text-slate-600">
                  {member.email}
                  {member.title && ` · ${member.title}`}
                </p>
                <p className="mt-1 flex gap-1">
                  {member.roles.map((role) => (
                    <RoleBadge key={role} role={role} />
                  ))}
                </p>
                {member.teamRoles.length > 0 && project.team && (
                  <p className="mt-1 text-xs text-slate-700" data-testid="via-team">
                    via team {project.team.name}: {rolesInWords(member.teamRoles)}
                    {member.memberRoles.length > 0 && `; their own: ${rolesInWords(member.memberRoles)}`}
                  </p>
                )}
                {member.selfGrantedRoles.length > 0 && (
                  <p className="mt-1 text-xs text-slate-700" data-testid="self-granted">
                    Gave themself {member.selfGrantedRoles.join(" and ")}: they cannot sign with {member.selfGrantedRoles.length === 1 ? "it" : "them"} until another lead or admin grants{" "}
                    {member.selfGrantedRoles.length === 1 ? "it" : "them"}.
                  </p>
                )}
              </div>
              {mayManage && member.memberRoles.length > 0 && <MemberRolesForm setRoles={setMemberRolesAction} remove={removeMemberAction} projectId={project.id} member={{ ...member, roles: member.memberRoles }} />}
            </li>
          ))}
        </ul>
      </section>

      {(mayManage || project.team) && (
        <section aria-labelledby="owning-team-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="owning-team-heading" className="mb-1 text-lg font-semibold">
            Owning team
          </h2>
          <p className="mb-3 text-sm text-slate-600">
            {project.team ? `Team ${project.team.name} owns this project: its members hold their team roles here.` : "No team owns this project."}
            {mayManage && " You may give it to a team you lead (an admin: any team); whoever is in the team then holds their team roles here from their next request."}
          </p>
          {mayManage && <OwningTeamForm action={setProjectTeamAction} projectId={project.id} current={project.team} teams={teams} />}
        </section>
      )}

      {mayManage && (
        <section aria-labelledby="add-member-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="add-member-heading" className="mb-3 text-lg font-semibold">
            Add a member
          </h2>
          {candidates.length > 0 ? (
            <AddMemberForm action={addMemberAction} projectId={project.id} userOptions={candidates} />
          ) : (
            <p className="text-sm text-slate-600">Everyone with an account is already a member.</p>
          )}
          <h3 className="mt-6 mb-1 text-base font-semibold">Invite someone new</h3>
          <p className="mb-3 text-sm text-slate-600">For a person without an account: they get one with these roles on this project only, and an email with a link to set their password.</p>
          <InviteMemberForm action={inviteMemberAction} projectId={project.id} emailAvailable={Boolean(env().SMTP_URL)} />
        </section>
      )}

    </div>
  );
}
