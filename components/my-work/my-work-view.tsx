import Link from "next/link";
import type { MyWork } from "@/lib/checklists/my-work";
import type { ChecklistActions } from "@/components/checklist/checklist-actions";
import { ChecklistActionsProvider } from "@/components/checklist/checklist-actions";
import { ItemRow } from "@/components/checklist/item-row";
import { SavedAnnouncer } from "@/components/checklist/saved-announcer";
import { areaLabels } from "@/components/checklist/status";

type Props = {
  title: string;
  intro: string;
  work: MyWork;
  view: "assigned" | "area";
  group: "project" | "due";
  project: string | undefined;
  timeZone: string;
  actions: ChecklistActions;
};

function query(params: Record<string, string | undefined | null>): string {
  const entries = Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1]));
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : "";
}

/** "Assigned to me" and "My area": tabs, an area switcher, grouping, and the items to work. */
export function MyWorkView({ title, intro, work, view, group, project, timeZone, actions }: Props) {
  const base = view === "assigned" ? "/my/assigned" : "/my/area";
  const permissionsOf = new Map(work.projects.map((entry) => [entry.id, entry.permissions]));
  const keep = { area: view === "area" ? work.area : null, project: project ?? null };
  return (
    <div className="flex flex-col gap-5">
      <div>
        <h1 className="text-2xl font-semibold">{title}</h1>
        <p className="text-sm text-slate-600">{intro}</p>
      </div>
      <nav aria-label="My work" className="flex gap-1 border-b border-slate-200">
        {[
          { href: "/my/assigned", label: "Assigned to me", current: view === "assigned" },
          ...(work.ownedAreas.length > 0 ? [{ href: "/my/area", label: "My area", current: view === "area" }] : []),
        ].map((tab) => (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={tab.current ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${tab.current ? "border-indigo-700 text-indigo-800" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
      <div className="flex flex-wrap items-center justify-between gap-3 text-sm">
        {view === "area" && work.ownedAreas.length > 1 ? (
          <div className="flex items-center gap-2" role="group" aria-label="Area">
            <span className="text-slate-600">Area:</span>
            {work.ownedAreas.map((area) => (
              <Link
                key={area}
                href={`${base}${query({ area, group, project })}`}
                aria-current={area === work.area ? "true" : undefined}
                className={`rounded-full px-3 py-1 ring-1 ${area === work.area ? "bg-indigo-700 text-white ring-indigo-700" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-50"}`}
              >
                {areaLabels[area]}
              </Link>
            ))}
          </div>
        ) : (
          <p className="text-slate-700">
            <span className="font-semibold tabular-nums" data-testid="work-total">
              {work.total}
            </span>{" "}
            open {work.total === 1 ? "item" : "items"}
            {view === "area" && work.area ? ` in ${areaLabels[work.area]}` : ""}
            {project ? ` in ${work.projects[0]?.name ?? project}` : work.projects.length > 0 ? ` across ${work.projects.length} ${work.projects.length === 1 ? "project" : "projects"}` : ""}
            {project && (
              <>
                {" "}
                <Link href={`${base}${query({ ...keep, project: null, group })}`} className="text-indigo-800 underline">
                  all projects
                </Link>
              </>
            )}
          </p>
        )}
        <div className="flex items-center gap-2" role="group" aria-label="Group by">
          <span className="text-slate-600">Group by:</span>
          {(["project", "due"] as const).map((option) => (
            <Link
              key={option}
              href={`${base}${query({ ...keep, group: option === "project" ? null : option })}`}
              aria-current={option === group ? "true" : undefined}
              className={`rounded-full px-3 py-1 ring-1 ${option === group ? "bg-indigo-700 text-white ring-indigo-700" : "bg-white text-slate-800 ring-slate-300 hover:bg-slate-50"}`}
            >
              {option === "project" ? "Project" : "Due date"}
            </Link>
          ))}
        </div>
      </div>
      {view === "area" && work.ownedAreas.length > 1 && (
        <p className="text-sm text-slate-700">
          <span className="font-semibold tabular-nums" data-testid="work-total">
            {work.total}
          </span>{" "}
          open {work.total === 1 ? "item" : "items"} in {work.area ? areaLabels[work.area] : ""} across {work.projects.length} {work.projects.length === 1 ? "project" : "projects"}. Times in {timeZone}.
        </p>
      )}
      <SavedAnnouncer />
      {work.groups.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          {view === "area" && work.ownedAreas.length === 0 ? "You own no area on any project: ask a lead to give you the DevOps, DBA or Security role." : "Nothing open here. Well done."}
        </p>
      ) : (
        work.groups.map((entry) => (
          <section key={entry.key} aria-labelledby={`group-${entry.key}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <div className="mb-2 flex items-baseline justify-between gap-3">
              <h2 id={`group-${entry.key}`} className="text-base font-semibold">
                {entry.href ? (
                  <Link href={entry.href} className="text-indigo-900 hover:underline">
                    {entry.title}
                  </Link>
                ) : (
                  entry.title
                )}
              </h2>
              <span className="shrink-0 text-sm text-slate-600">
                {entry.items.length} open {entry.items.length === 1 ? "item" : "items"}
              </span>
            </div>
            <ul className="flex flex-col">
              {entry.items.map((item) => (
                <ChecklistActionsProvider key={item.id} actions={actions} permissions={permissionsOf.get(item.projectId)!}>
                  <ItemRow item={item} showPath />
                </ChecklistActionsProvider>
              ))}
            </ul>
          </section>
        ))
      )}
    </div>
  );
}
