import type { AuditEventView } from "@/lib/audit/data";
import { describeAuditEvent } from "@/lib/audit/format";

function describe(value: unknown): string {
  if (value === null || value === undefined) return "";
  return JSON.stringify(value);
}

export function AuditTable({ events, caption }: { events: AuditEventView[]; caption: string }) {
  if (events.length === 0) return <p className="text-sm text-slate-600">Nothing recorded yet.</p>;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-3 py-2">When (UTC)</th>
            <th scope="col" className="px-3 py-2">Who</th>
            <th scope="col" className="px-3 py-2">What</th>
            <th scope="col" className="px-3 py-2">Event</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {events.map((event) => (
            <tr key={event.id} data-testid="audit-row">
              <td className="px-3 py-2 whitespace-nowrap text-slate-700">
                <time dateTime={event.occurredAt}>{event.occurredAt.replace("T", " ").slice(0, 19)}</time>
              </td>
              <td className="px-3 py-2">{event.actorName ?? <span className="text-slate-600">system</span>}</td>
              <td className="px-3 py-2" title={describe(event.after ?? event.before)}>
                {describeAuditEvent(event)}
              </td>
              <td className="px-3 py-2 font-mono text-xs text-slate-600">{event.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
