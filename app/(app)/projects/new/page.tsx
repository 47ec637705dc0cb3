import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { listTemplates } from "@/lib/templates/data";
import { listUsers } from "@/lib/users/data";
import { CreateProjectForm } from "@/components/projects/create-project-form";
import { createProjectAction } from "../../actions";

export const metadata: Metadata = { title: "New project" };

export default async function NewProjectPage() {
  const actor = await requireActor();
  if (!can(actor, "project.create", { kind: "global" })) notFound();
  const isAdmin = can(actor, "user.manage", { kind: "global" });
  const templates = await listTemplates(actor);
  const leadOptions = isAdmin
    ? (await listUsers({ actor, requestId: null })).filter((user) => !user.disabled && !user.globalRoles.includes("AUDITOR")).map((user) => ({ value: user.id, label: `${user.name} <${user.email}>` }))
    : undefined;
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">New project</h1>
        <p className="text-sm text-slate-600">{isAdmin ? "Choose who leads it." : "You will lead the new project and can add members to it."}</p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <CreateProjectForm
          action={createProjectAction}
          templateOptions={templates.map((template) => ({ value: template.latestVersionId, label: `${template.name} (v${template.latestVersion}, ${template.itemCount} items)` }))}
          leadOptions={leadOptions}
        />
      </div>
    </div>
  );
}
