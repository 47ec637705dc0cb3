import { InlineCode } from "@/components/checklist/item-row";
import { formatDay } from "@/lib/time";
import { plural } from "@/lib/words";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { getTemplate } from "@/lib/templates/data";
import { templateToMarkdown } from "@/lib/templates/content";
import type { KeyedItem } from "@/lib/checklists/materialize";
import { AreaBadge } from "@/components/checklist/status";
import { CreateTemplateForm, NewVersionForm, UpgradeProjectForm } from "@/components/templates/template-forms";
import { can } from "@/lib/policy";
import { createTemplateAction, createTemplateVersionAction, upgradeProjectAction } from "../actions";

export const metadata: Metadata = { title: "Template" };

function ItemTree({ items }: { items: KeyedItem[] }) {
  return (
    <ul className="ml-4 list-disc text-sm marker:text-slate-400">
      {items.map((item) => (
        <li key={item.key} className="py-0.5">
          <span className="mr-2">
            <InlineCode text={item.title} />
          </span>
          <AreaBadge area={item.area} />
          {item.children.length > 0 && <ItemTree items={item.children} />}
        </li>
      ))}
    </ul>
  );
}

export default async function TemplatePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requireActor();
  const template = await getTemplate(actor, slug).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <div className="flex flex-col gap-6">
      <div>
        <p className="text-sm text-slate-600">
          <Link href="/templates" className="text-indigo-800 hover:underline">
            Templates
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">{template.name}</h1>
        {template.description && <p className="text-slate-700">{template.description}</p>}
        <p className="mt-1 text-sm text-slate-600">
          Version {template.latestVersion} · {template.itemCount} items · used by {template.projectCount} project{template.projectCount === 1 ? "" : "s"}
          {template.builtIn && " · built-in"}
        </p>
      </div>

      <section aria-labelledby="outdated-heading" className="flex flex-col gap-3">
        <h2 id="outdated-heading" className="text-lg font-semibold">
          Projects on an older version
        </h2>
        {template.outdatedProjects.length === 0 ? (
          <p className="text-sm text-slate-600">Every project you can see is on the latest version.</p>
        ) : (
          <ul className="flex flex-col gap-3">
            {template.outdatedProjects.map((project) => (
              <li key={project.id} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="outdated-project">
                <p className="font-medium">
                  <Link href={`/projects/${project.slug}`} className="text-indigo-800 hover:underline">
                    {project.name}
                  </Link>{" "}
                  <span className="text-sm font-normal text-slate-600">
                    on version {project.version} of {template.latestVersion}
                  </span>
                </p>
                <div className="mt-2 grid gap-3 text-sm md:grid-cols-3">
                  {(
                    [
                      ["Added", project.diff.added, "text-emerald-800"],
                      ["Removed", project.diff.removed, "text-red-800"],
                      ["Changed", project.diff.changed, "text-amber-800"],
                    ] as const
                  ).map(([label, refs, color]) => (
                    <div key={label}>
                      <h3 className={`font-semibold ${color}`}>
                        {label} ({refs.length})
                      </h3>
                      <ul className="mt-1 list-disc pl-5">
                        {refs.map((ref) => (
                          <li key={ref.key}>
                            <InlineCode text={ref.title} /> <span className="text-slate-600">({ref.section})</span>
                          </li>
                        ))}
                      </ul>
                    </div>
                  ))}
                </div>
                {project.canUpgrade && (
                  <div className="mt-3">
                    <UpgradeProjectForm action={upgradeProjectAction} projectId={project.id} fromVersionId={project.versionId} toVersionId={template.latestVersionId} label={`Move ${project.name} to version ${template.latestVersion}`} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="content-heading" className="flex flex-col gap-3">
        <h2 id="content-heading" className="text-lg font-semibold">
          Checklist (version {template.latestVersion})
        </h2>
        <div className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
          {template.content.sections.map((section, index) => (
            <div key={`${section.title}-${index}`}>
              <h3 className="font-semibold">{section.title}</h3>
              <ItemTree items={section.items} />
            </div>
          ))}
        </div>
      </section>

      {template.canEdit && (
        <section aria-labelledby="edit-heading" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 id="edit-heading" className="text-lg font-semibold">
            Edit: save a new version
          </h2>
          <NewVersionForm action={createTemplateVersionAction} templateId={template.id} version={template.latestVersion} markdown={templateToMarkdown(template, template.content)} />
        </section>
      )}

      {template.builtIn && can(actor, "template.manage", { kind: "global" }) && (
        <details className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <summary className="cursor-pointer font-medium">Copy into a new template of your own</summary>
          <p className="mt-2 mb-4 text-sm text-slate-600">Built-in templates stay as shipped; a copy is yours to edit and version.</p>
          <CreateTemplateForm
            action={createTemplateAction}
            defaults={{ name: `${template.name} (our version)`, description: template.description, markdown: templateToMarkdown(template, template.content) }}
          />
        </details>
      )}

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="text-lg font-semibold">
          Versions
        </h2>
        <ul className="mt-2 text-sm">
          {template.versions.map((version) => (
            <li key={version.id}>
              Version {version.version}: {plural(version.itemCount, "item")}, {formatDay(version.createdAt.slice(0, 10))}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
