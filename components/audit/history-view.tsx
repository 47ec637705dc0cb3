import Link from "next/link";
import type { HistoryEvent, HistoryFilter } from "@/lib/audit/history";
import { entityTypes } from "@/lib/audit/history";
import { auditActions } from "@/lib/audit/events";
import { describeAuditEvent, fieldInWords, valueInWords } from "@/lib/audit/format";
import { auditActionInWords } from "@/lib/words";
import { formatDateTime } from "@/lib/time";
import { ExportLinks } from "@/components/export-links";

const control = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal";
const HIDDEN_FIELDS = new Set(["version"]);

function show(key: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  const text = valueInWords(key, value);
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}

/** The fields an event changed (`changed`, decided on the whole values), before and after, as a small table of their excerpts. */
function EventDiff({ before, after, changed }: { before: unknown; after: unknown; changed: string[] }) {
  const asRecord = (value: unknown) => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
  const b = asRecord(before);
  const a = asRecord(after);
  const differs = new Set(changed);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((key) => !HIDDEN_FIELDS.has(key) && differs.has(key));
  if (keys.length === 0) return null;
  return (
    <details className="mt-1">
      <summary className="cursor-pointer text-xs text-indigo-800">Details ({keys.length})</summary>
      <table className="mt-1 w-full text-xs">
        <thead className="text-left text-slate-600">
          <tr>
            <th scope="col" className="pr-2 font-medium">
              Field
            </th>
            <th scope="col" className="pr-2 font-medium">
              Before
            </th>
            <th scope="col" className="font-medium">
              After
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <tr key={key} className="align-top">
              <th scope="row" className="pr-2 text-left font-normal text-slate-700">
                {fieldInWords(key)}
              </th>
              <td className="pr-2 break-all text-slate-700">{key in b ? show(key, b[key]) : "—"}</td>
              <td className="break-all text-slate-900">{key in a ? show(key, a[key]) : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

type Props = {
  events: HistoryEvent[];
  filter: HistoryFilter;
  nextCursor: string | null;
  /** Where the filter form and the page links point. */
  basePath: string;
  zone: string;
  /** Projects to filter by (global history only). */
  projects?: { slug: string; name: string }[];
  caption: string;
  /** The project a project history page shows (its exports cover that project). */
  project?: string;
};

function query(filter: HistoryFilter, extra: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filter, before: undefined, ...extra })) if (value) params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Shown above the newest events when the address carried a `before` cursor the history never gave out (lib/audit/history.ts). */
export function MalformedCursorNotice() {
  return (
    <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      The link to older events was damaged or not one this page gave out, so the newest events are shown. Use “Older events” at the foot of the list to page back.
    </p>
  );
}

/** The history: filters (kept in the URL), events in the viewer's zone with what they changed, older pages. */
export function HistoryView({ events, filter, nextCursor, basePath, zone, projects, caption, project }: Props) {
  const exportProject = project ?? filter.project;
  const exportScope = `${exportProject ? "this project's history" : "the whole history"}${filter.from || filter.to ? " in these dates" : ""}`;
  const filtered = Boolean(filter.project || filter.actor || filter.action || filter.entity || filter.from || filter.to || filter.q);
  return (
    <div className="flex flex-col gap-4">
      <form method="get" action={basePath} aria-label="Filter the history" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-3">
        <div className="flex flex-col gap-1 text-sm font-medium">
          <label htmlFor="history-q">Search titles and comments</label>
          <input id="history-q" type="search" name="q" defaultValue={filter.q ?? ""} placeholder="e.g. backup" className={`${control} w-56`} />
        </div>
        {projects && (
          <div className="flex flex-col gap-1 text-sm font-medium">
            <label htmlFor="history-project">Project</label>
            <select id="history-project" name="project" defaultValue={filter.project ?? ""} className={`${control} max-w-48`}>
              <option value="">All projects</option>
              {projects.map((project) => (
                <option key={project.slug} value={project.slug}>
                  {project.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="flex flex-col gap-1 text-sm font-medium">
          <label htmlFor="history-actor">Who</label>
          <input id="history-actor" type="text" name="actor" defaultValue={filter.actor ?? ""} placeholder="name or email" className={`${control} w-40`} />
        </div>
        <div className="flex flex-col gap-1 text-sm font-medium">
          <label htmlFor="history-action">Action</label>
          <select id="history-action" name="action" defaultValue={filter.action ?? ""} className={`${control} max-w-52`}>
            <option value="">Any action</option>
            {Object.values(auditActions).map((action) => (
              <option key={action} value={action}>
                {auditActionInWords(action)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1 text-sm font-medium">
          <label htmlFor="history-entity">Entity</label>
          <select id="history-entity" name="entity" defaultValue={filter.entity ?? ""} className={control}>
            <option value="">Any</option>
            {entityTypes.map((entity) => (
              <option key={entity} value={entity}>
                {entity.replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1 text-sm font-medium">
          <label htmlFor="history-from">From</label>
          <input id="history-from" type="date" name="from" defaultValue={filter.from ?? ""} className={control} />
        </div>
        <div className="flex flex-col gap-1 text-sm font-medium">
          <label htmlFor="history-to">To</label>
          <input id="history-to" type="date" name="to" defaultValue={filter.to ?? ""} className={control} />
        </div>
        <button type="submit" className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
          Filter
        </button>
        {filtered && (
          <Link href={basePath} className="py-1.5 text-sm text-indigo-800 underline">
            Clear
          </Link>
        )}
      </form>
      {events.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">{filtered ? "No events match these filters." : "Nothing recorded yet."}</p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">{caption}</caption>
            <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
              <tr>
                <th scope="col" className="px-3 py-2">
                  When ({zone})
                </th>
                <th scope="col" className="px-3 py-2">
                  Who
                </th>
                <th scope="col" className="px-3 py-2">
                  What
                </th>
                <th scope="col" className="px-3 py-2">
                  Event
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((event) => (
                <tr key={event.id} data-testid="audit-row" className="align-top">
                  <td className="px-3 py-2 whitespace-nowrap text-slate-700">
                    <time dateTime={event.occurredAt} title={`${event.occurredAt} UTC`}>
                      {formatDateTime(new Date(event.occurredAt), zone)}
                    </time>
                  </td>
                  <td className="px-3 py-2">{event.actorName ?? <span className="text-slate-600">system</span>}</td>
                  <td className="px-3 py-2">
                    {projects && event.project && <span className="mr-1 text-xs font-medium text-slate-600">{event.project.name} ·</span>}
                    {describeAuditEvent(event)}
                    <EventDiff before={event.before} after={event.after} changed={event.changed} />
                  </td>
                  <td className="px-3 py-2 text-xs text-slate-600">
                    <span title={`recorded as ${event.action}`}>{auditActionInWords(event.action)}</span>
                    <span className="block text-slate-500" title={`hash ${event.hash}`}>
                      event {event.seq}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ExportLinks label={`Export ${exportScope} with chain hashes:`} links={[{ href: `/api/v1/audit/export${query({ project: exportProject, from: filter.from, to: filter.to }, { format: "csv" })}`, label: "CSV" }, { href: `/api/v1/audit/export${query({ project: exportProject, from: filter.from, to: filter.to }, { format: "jsonl" })}`, label: "JSON Lines" }]} />
      <nav aria-label="Pages" className="flex gap-4 text-sm">
        {filter.before && (
          <Link href={`${basePath}${query(filter, {})}`} className="text-indigo-800 hover:underline">
            Newest
          </Link>
        )}
        {nextCursor && (
          <Link href={`${basePath}${query(filter, { before: nextCursor })}`} className="text-indigo-800 hover:underline">
            Older events
          </Link>
        )}
      </nav>
    </div>
  );
}
