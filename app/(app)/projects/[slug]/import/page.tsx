import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { can } from "@/lib/policy";
import { ImportForm } from "@/components/checklist/import-form";
import { importChecklistAction } from "./actions";
import { loadProject } from "../load";

export const metadata: Metadata = { title: "Import checklist" };

export default async function ImportPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  if (!can(actor, "checklist.edit", { kind: "project", projectId: project.id, roles: project.myRoles })) notFound();
  return (
    <section aria-labelledby="import-heading" className="flex max-w-2xl flex-col gap-4 rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
      <div>
        <h2 id="import-heading" className="text-lg font-semibold">
          Import a Markdown checklist
        </h2>
        <p className="text-sm text-slate-600">The file&apos;s sections and items are added after the checklist&apos;s existing ones, all at once or not at all.</p>
      </div>
      <ImportForm action={importChecklistAction} projectId={project.id} />
      <Link href={`/projects/${project.slug}`} className="text-sm text-indigo-800 underline">
        Back to the checklist
      </Link>
    </section>
  );
}
