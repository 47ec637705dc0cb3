import type { Metadata } from "next";
import type { ReactNode } from "react";
import { RoleBadge } from "@/components/role-badge";
import { ProjectTabs } from "@/components/project-tabs";
import { can } from "@/lib/policy";
import { formatDateTime, formatDay } from "@/lib/time";
import { plural } from "@/lib/words";
import { getViewerTimeZone } from "@/lib/request";
import { loadGate, loadProject } from "./load";

type Params = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Params): Promise<Metadata> {
  const { project } = await loadProject((await params).slug);
  return { title: { template: `%s · ${project.name} · Shipshape`, default: project.name } };
}

export default async function ProjectLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const showTokens = can(actor, "token.manage", { kind: "project", projectId: project.id, roles: project.myRoles });
  // A live project that changed since (a relapse) says so here, on every tab.
  const [liveGate, zone] = project.liveAt ? await Promise.all([loadGate(project.id), getViewerTimeZone(actor)]) : [null, null];
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm text-slate-600">Project</p>
        <h1 className="text-2xl font-semibold">{project.name}</h1>
        {project.description && <p className="mt-1 text-slate-700">{project.description}</p>}
        <dl className="mt-3 flex flex-wrap gap-x-8 gap-y-1 text-sm">
          <div className="flex gap-2">
            <dt className="text-slate-600">Slug</dt>
            <dd className="font-mono">{project.slug}</dd>
          </div>
          {liveGate && zone && (
            <div className="flex gap-2" data-testid="live-status">
              <dt className="text-slate-600">Live</dt>
              <dd className={liveGate.open ? undefined : "font-semibold text-red-800"}>
                {`since ${formatDateTime(new Date(liveGate.liveAt ?? project.liveAt ?? ""), zone)}`}
                {!liveGate.open && `; changed since: the gate is closed (${plural(liveGate.reasons.length, "reason")})`}
              </dd>
            </div>
          )}
          <div className="flex gap-2">
            <dt className="text-slate-600">Target go-live</dt>
            <dd>{project.targetGoLive ? formatDay(project.targetGoLive) : "not set"}</dd>
          </div>
          <div className="flex items-center gap-2">
            <dt className="text-slate-600">Your roles</dt>
            <dd className="flex flex-wrap gap-1">
              {project.myRoles.length > 0 ? (
                project.myRoles.map((role) => <RoleBadge key={role} role={role} />)
              ) : actor.globalRoles.includes("AUDITOR") ? (
                <span>not a member: you read it as an auditor</span>
              ) : actor.globalRoles.includes("ADMIN") ? (
                <span>not a member: you manage it as an admin</span>
              ) : (
                <span>not a member</span>
              )}
            </dd>
          </div>
        </dl>
      </div>
      <ProjectTabs slug={project.slug} showTokens={showTokens} />
      {children}
    </div>
  );
}
