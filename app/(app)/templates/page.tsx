import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { listTemplates } from "@/lib/templates/data";
import { CreateTemplateForm } from "@/components/templates/template-forms";
import { createTemplateAction } from "./actions";

export const metadata: Metadata = { title: "Templates" };

export default async function TemplatesPage() {
  const actor = await requireActor();
  const templates = await listTemplates(actor);
  const mayManage = can(actor, "template.manage", { kind: "global" });
  return (
    <div className="flex flex-col gap-6">
      <div>
        <h1 className="text-2xl font-semibold">Templates</h1>
        <p className="text-sm text-slate-600">Checklists that projects start from. Editing a template adds a version; projects keep theirs until their lead moves them on.</p>
      </div>
      <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-left text-sm">
          <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-3 py-2">Template</th>
              <th scope="col" className="px-3 py-2">Version</th>
              <th scope="col" className="px-3 py-2">Items</th>
              <th scope="col" className="px-3 py-2">Projects</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {templates.map((template) => (
              <tr key={template.id} data-testid="template-row">
                <td className="px-3 py-2">
                  <Link href={`/templates/${template.slug}`} className="font-medium text-indigo-800 hover:underline">
                    {template.name}
                  </Link>
                  {template.builtIn && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">built-in</span>}
                  {template.description && <span className="block text-xs text-slate-600">{template.description}</span>}
                </td>
                <td className="px-3 py-2 tabular-nums">v{template.latestVersion}</td>
                <td className="px-3 py-2 tabular-nums">{template.itemCount}</td>
                <td className="px-3 py-2 tabular-nums">{template.projectCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {mayManage && (
        <details className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <summary className="cursor-pointer font-medium">New template</summary>
          <div className="mt-4">
            <CreateTemplateForm action={createTemplateAction} />
          </div>
        </details>
      )}
    </div>
  );
}
