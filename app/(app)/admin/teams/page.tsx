import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { listTeams } from "@/lib/teams/data";
import { CreateTeamForm } from "@/components/admin/team-forms";
import { createTeamAction } from "./actions";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const actor = await requireActor();
  if (!can(actor, "team.manage", { kind: "global" })) notFound();
  const teams = await listTeams(actor);
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm">
          <Link href="/admin" className="text-indigo-800 hover:underline">
            Admin
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">Teams</h1>
        <p className="text-sm text-slate-600">A team owns projects: its members hold their team roles on each of them, besides any roles of their own there.</p>
      </div>
      {teams.length > 0 ? (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2">Team</th>
                <th scope="col" className="px-3 py-2">Single sign-on group</th>
                <th scope="col" className="px-3 py-2">Members</th>
                <th scope="col" className="px-3 py-2">Projects</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {teams.map((team) => (
                <tr key={team.id} data-testid="team-row">
                  <td className="px-3 py-2">
                    <Link href={`/admin/teams/${team.slug}`} className="font-medium text-indigo-800 hover:underline">
                      {team.name}
                    </Link>
                    {team.description && <span className="block text-xs text-slate-600">{team.description}</span>}
                  </td>
                  <td className="px-3 py-2">{team.oidcGroup ?? <span className="text-slate-500">none</span>}</td>
                  <td className="px-3 py-2 tabular-nums">{team.members}</td>
                  <td className="px-3 py-2 tabular-nums">{team.projects}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="text-sm text-slate-600">No teams yet.</p>
      )}
      <section aria-labelledby="new-team-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="new-team-heading" className="mb-3 text-lg font-semibold">
          New team
        </h2>
        <CreateTeamForm action={createTeamAction} />
      </section>
    </div>
  );
}
