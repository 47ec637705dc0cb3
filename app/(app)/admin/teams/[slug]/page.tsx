import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { can } from "@/lib/policy";
import { getTeam } from "@/lib/teams/data";
import { RoleBadge } from "@/components/role-badge";
import { AddTeamMemberForm, TeamMemberForm, TeamSettingsForm } from "@/components/admin/team-forms";
import { addTeamMemberAction, removeTeamMemberAction, setTeamMemberRolesAction, updateTeamAction } from "../actions";

type Props = { params: Promise<{ slug: string }> };

export const metadata: Metadata = { title: "Team" };

export default async function TeamPage({ params }: Props) {
  const { slug } = await params;
  const actor = await requireActor();
  if (!can(actor, "team.manage", { kind: "global" })) notFound();
  const team = await getTeam(actor, slug).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });

  return (
    <div className="flex flex-col gap-8">
      <div>
        <p className="text-sm">
          <Link href="/admin/teams" className="text-indigo-800 hover:underline">
            Teams
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">{team.name}</h1>
        {team.description && <p className="text-sm text-slate-600">{team.description}</p>}
        {team.oidcGroup && (
          <p className="mt-1 text-sm text-slate-700">
            Single sign-on group <span className="font-mono">{team.oidcGroup}</span>: whoever signs on with it joins as{" "}
            {team.oidcRoles.map((role) => (
              <RoleBadge key={role} role={role} />
            ))}
            , and leaves when it is no longer listed.
          </p>
        )}
      </div>

      <section aria-labelledby="team-members-heading" className="flex flex-col gap-3">
        <h2 id="team-members-heading" className="text-lg font-semibold">
          Members
        </h2>
        {team.members.length > 0 ? (
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {team.members.map((member) => (
              <li key={member.userId} className="flex flex-col gap-3 px-4 py-3 md:flex-row md:items-start md:justify-between" data-testid="team-member-row">
                <div>
                  <p className="font-medium">
                    {member.name} {member.disabled && <span className="text-xs text-red-700">(disabled)</span>}
                  </p>
                  <p className="text-sm text-slate-600">{member.email}</p>
                  <p className="mt-1 flex gap-1">
                    {member.roles.map((role) => (
                      <RoleBadge key={role} role={role} />
                    ))}
                  </p>
                  <p className="mt-1 text-xs text-slate-600">{member.grantedByName ? `Roles set by ${member.grantedByName}` : "Joined by single sign-on"}</p>
                </div>
                <TeamMemberForm setRoles={setTeamMemberRolesAction} remove={removeTeamMemberAction} teamId={team.id} teamName={team.name} member={member} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">Nobody is in this team yet.</p>
        )}
      </section>

      <section aria-labelledby="team-projects-heading" className="flex flex-col gap-3">
        <h2 id="team-projects-heading" className="text-lg font-semibold">
          Projects
        </h2>
        {team.projects.length > 0 ? (
          <ul className="flex flex-col gap-1 text-sm">
            {team.projects.map((project) => (
              <li key={project.id}>
                <Link href={`/projects/${project.slug}`} className="text-indigo-800 hover:underline">
                  {project.name}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">The team owns no project yet: a project&apos;s lead or an admin gives it one on the project&apos;s Members tab.</p>
        )}
      </section>

      <section aria-labelledby="add-team-member-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="add-team-member-heading" className="mb-3 text-lg font-semibold">
          Add someone
        </h2>
        <AddTeamMemberForm action={addTeamMemberAction} teamId={team.id} />
      </section>

      <section aria-labelledby="team-settings-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="team-settings-heading" className="mb-3 text-lg font-semibold">
          Team settings
        </h2>
        <TeamSettingsForm action={updateTeamAction} team={team} />
      </section>
    </div>
  );
}
