import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { listProjectsForActor } from "@/lib/projects/data";
import { RoleBadge } from "@/components/role-badge";

export const metadata: Metadata = { title: "Projects" };

export default async function DashboardPage() {
  const actor = await requireActor();
  const projects = await listProjectsForActor(actor);
  const mayCreate = can(actor, "project.create", { kind: "global" });
  return (
    <div className="flex flex-col gap-6">
      <div className="flex items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Projects</h1>
          <p className="text-sm text-slate-600">
            {projects.length === 1 ? "1 project" : `${projects.length} projects`} you can see, with their members and roles.
          </p>
        </div>
        {mayCreate && (
          <Link href="/projects/new" className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-800">
            New project
          </Link>
        )}
      </div>
      {projects.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          You are not a member of any project yet. A project lead or an admin can add you.
        </p>
      ) : (
        <ul className="grid gap-4 md:grid-cols-2" aria-label="Projects">
          {projects.map((project) => (
            <li key={project.id} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="project-card">
              <div className="flex items-start justify-between gap-3">
                <h2 className="text-lg font-semibold">
                  <Link href={`/projects/${project.slug}`} className="text-indigo-800 hover:underline">
                    {project.name}
                  </Link>
                </h2>
                {project.myRoles.length > 0 && (
                  <span className="flex shrink-0 gap-1" aria-label="Your roles">
                    {project.myRoles.map((role) => (
                      <RoleBadge key={role} role={role} />
                    ))}
                  </span>
                )}
              </div>
              {project.description && <p className="mt-1 text-sm text-slate-600">{project.description}</p>}
              <p className="mt-2 text-xs text-slate-600">Target go-live: {project.targetGoLive ?? "not set"}</p>
              <h3 className="mt-4 text-xs font-semibold tracking-wide text-slate-600 uppercase">Members</h3>
              <ul className="mt-1 divide-y divide-slate-100 text-sm">
                {project.members.map((member) => (
                  <li key={member.userId} className="flex items-center justify-between gap-2 py-1.5">
                    <span>{member.name}</span>
                    <span className="flex flex-wrap justify-end gap-1">
                      {member.roles.map((role) => (
                        <RoleBadge key={role} role={role} />
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
