import { plural } from "@/lib/words";
import type { Metadata } from "next";
import Link from "next/link";
import { areaPermissions, getChecklist } from "@/lib/checklists/data";
import { checklistFilterSchema } from "@/lib/checklists/schema";
import { areas } from "@/lib/checklists/types";
import { ChecklistActionsProvider } from "@/components/checklist/checklist-actions";
import { ChecklistSections } from "@/components/checklist/checklist-sections";
import { ProgressChart } from "@/components/checklist/progress-chart";
import { statusLabels } from "@/components/checklist/status";
import { acceptWaiverAction, addCheckAction, addCommentAction, addEvidenceAction, assignItemsAction, declineWaiverAction, loadItemChecksAction, loadItemDetailAction, removeCheckAction, removeEvidenceAction, runCheckNowAction, updateItemAction } from "./actions";
import { BulkAssignForm, type AssignSetup } from "@/components/checklist/assign-form";
import { selectionDigest } from "@/lib/checklists/assignments";
import { can, mayBeAssigned } from "@/lib/policy";
import { getViewerTimeZone } from "@/lib/request";
import type { ItemView } from "@/lib/checklists/data";
import { AreaSelect } from "@/components/checklist/area-select";
import { loadGate, loadProject } from "./load";
import { GatePanel } from "@/components/signoffs/gate-panel";
import { ExportLinks } from "@/components/export-links";
import { LevelSummary } from "@/components/checklist/level-summary";

export const metadata: Metadata = { title: "Checklist" };

/** Every item on the page, nested ones included: what the bulk bar changes. */
function flattenShown(items: ItemView[]): ItemView[] {
  return items.flatMap((item) => [item, ...flattenShown(item.children)]);
}

type Props = { params: Promise<{ slug: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

const statusFilters = ["OPEN", "TODO", "IN_PROGRESS", "BLOCKED", "DONE", "NOT_APPLICABLE", "WAIVED", "WAIVER_EXPIRED"] as const;

export default async function ChecklistPage({ params, searchParams }: Props) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const query = await searchParams;
  const filter = checklistFilterSchema.parse(query);
  // Set once, by the redirect after creating the project from a file: what the file gave.
  const imported = typeof query.imported === "string" ? /^(\d+)\.(\d+)\.(\d+)$/.exec(query.imported) : null;
  const [checklist, gate, timeZone] = await Promise.all([getChecklist(actor, slug, filter), loadGate(project.id), getViewerTimeZone(actor)]);
  const canAssign = can(actor, "item.assign", { kind: "project", projectId: project.id, roles: project.myRoles });
  const assign: AssignSetup | undefined = canAssign
    ? {
        action: assignItemsAction,
        projectId: project.id,
        timeZone,
        members: project.members
          .filter((member) => !member.disabled)
          .map((member) => ({ id: member.userId, name: member.name, roles: member.roles, areas: areas.filter((area) => mayBeAssigned(area, member.roles)) })),
      }
    : undefined;
  const shown = checklist.sections.flatMap((section) => flattenShown(section.items));
  const base = `/projects/${slug}`;
  const exportBase = `/api/v1/projects/${slug}/export`;

  return (
    <div className="flex flex-col gap-5">
      {imported && (
        <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-950">
          Project created from your file: {plural(Number(imported[1]), "item")} in {plural(Number(imported[2]), "section")}, {Number(imported[3])} already done. Each item&apos;s area was guessed from its section and words: check them below.
        </p>
      )}
      <div className="flex flex-col gap-1">
        <GatePanel gate={gate} zone={timeZone} compact allReasonsHref={`${base}/signoffs`} />
        <Link href={`${base}/signoffs`} className="self-end text-sm text-indigo-800 underline">
          Sign-offs
        </Link>
      </div>
      {checklist.levels && <LevelSummary levels={checklist.levels} checklistHref={base} />}
      <ProgressChart counts={checklist.totals.byStatus} total={checklist.totals.items} required={checklist.totals.required} requiredSatisfied={checklist.totals.requiredSatisfied} />

      <div className="flex flex-wrap items-end justify-between gap-3">
        <form method="get" action={base} className="flex flex-wrap items-end gap-3" aria-label="Filter items">
          <AreaSelect value={filter.area} />
          <label className="flex flex-col gap-1 text-sm font-medium">
            Status
            <select name="status" defaultValue={filter.status ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal">
              <option value="">All statuses</option>
              {statusFilters.map((status) => (
                <option key={status} value={status}>
                  {status === "OPEN" ? "Open (not yet ready)" : statusLabels[status]}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            Assigned to
            <select name="assignee" defaultValue={filter.assignee ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal">
              <option value="">Anyone</option>
              <option value="none">Nobody (unassigned)</option>
              {project.members.map((member) => (
                <option key={member.userId} value={member.userId}>
                  {member.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            Due
            <select name="due" defaultValue={filter.due ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal">
              <option value="">Any time</option>
              <option value="overdue">Overdue</option>
              <option value="soon">Due within two days</option>
              <option value="none">No due date</option>
            </select>
          </label>
          {checklist.levels && (
            <label className="flex flex-col gap-1 text-sm font-medium">
              Level
              <select name="level" defaultValue={filter.level ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal">
                <option value="">All levels</option>
                {checklist.levels.names.map((name, index) => (
                  <option key={name} value={index}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {checklist.allSections.length > 1 && (
            <label className="flex flex-col gap-1 text-sm font-medium">
              Section
              <select name="section" defaultValue={filter.section ?? ""} className="max-w-56 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal">
                <option value="">All sections</option>
                {checklist.allSections.map((section) => (
                  <option key={section.id} value={section.id}>
                    {section.title}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
            Filter
          </button>
          {checklist.filtered && (
            <Link href={base} className="py-1.5 text-sm text-indigo-800 underline">
              Clear filters
            </Link>
          )}
        </form>
        <div className="flex flex-wrap items-center gap-3 text-sm">
          {checklist.canEdit && (
            <Link href={`${base}/import`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium hover:bg-slate-50">
              Import Markdown
            </Link>
          )}
          <ExportLinks links={[{ href: `${exportBase}?format=md`, label: "Markdown" }, { href: `${exportBase}?format=csv`, label: "CSV" }, { href: `${exportBase}?format=json`, label: "JSON" }]} />
        </div>
      </div>

      {assign && (shown.length > 0 || checklist.filtered) && <BulkAssignForm setup={assign} slug={slug} filter={{ area: filter.area, status: filter.status, assignee: filter.assignee, due: filter.due, section: filter.section, level: filter.level?.toString() }} selection={selectionDigest(shown)} count={shown.length} filtered={checklist.filtered} />}

      {checklist.sections.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          {checklist.filtered ? "No items match these filters." : "This project has no checklist yet."}{" "}
          {!checklist.filtered && checklist.canEdit && (
            <Link href={`${base}/import`} className="text-indigo-800 underline">
              Import a Markdown checklist
            </Link>
          )}
        </p>
      ) : (
        <ChecklistActionsProvider
          permissions={areaPermissions(actor, project)}
          assign={assign}
          riskOwners={project.members.filter((member) => !member.disabled).map((member) => ({ id: member.userId, name: member.name }))}
          levels={checklist.levels ? { names: checklist.levels.names, target: checklist.levels.target } : undefined}
          actions={{
            updateItem: updateItemAction,
            addEvidence: addEvidenceAction,
            removeEvidence: removeEvidenceAction,
            addComment: addCommentAction,
            acceptWaiver: acceptWaiverAction,
            declineWaiver: declineWaiverAction,
            loadItemDetail: loadItemDetailAction,
            checks: { load: loadItemChecksAction, add: addCheckAction, remove: removeCheckAction, runNow: runCheckNowAction },
          }}
        >
          <ChecklistSections sections={checklist.sections} flattened={checklist.filtered} timeZone={timeZone} />
        </ChecklistActionsProvider>
      )}
    </div>
  );
}
