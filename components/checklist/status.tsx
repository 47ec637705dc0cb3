import type { EffectiveStatus } from "@/lib/checklists/rules";

export const statusLabels: Record<EffectiveStatus, string> = {
  TODO: "To do",
  IN_PROGRESS: "In progress",
  BLOCKED: "Blocked",
  DONE: "Done",
  NOT_APPLICABLE: "Not applicable",
  WAIVED: "Waived",
  WAIVER_EXPIRED: "Waiver expired",
  WAIVER_REQUESTED: "Waiver requested",
};

/** Colours for badges and the progress chart; text colours meet WCAG AA on their backgrounds. */
export const statusStyles: Record<EffectiveStatus, { badge: string; bar: string }> = {
  TODO: { badge: "bg-slate-100 text-slate-800 ring-slate-300", bar: "bg-slate-300" },
  IN_PROGRESS: { badge: "bg-sky-100 text-sky-900 ring-sky-300", bar: "bg-sky-500" },
  BLOCKED: { badge: "bg-orange-100 text-orange-900 ring-orange-300", bar: "bg-orange-500" },
  DONE: { badge: "bg-emerald-100 text-emerald-900 ring-emerald-300", bar: "bg-emerald-600" },
  NOT_APPLICABLE: { badge: "bg-stone-100 text-stone-800 ring-stone-300", bar: "bg-stone-400" },
  WAIVED: { badge: "bg-violet-100 text-violet-900 ring-violet-300", bar: "bg-violet-500" },
  WAIVER_EXPIRED: { badge: "bg-red-100 text-red-900 ring-red-300", bar: "bg-red-600" },
  WAIVER_REQUESTED: { badge: "bg-fuchsia-50 text-fuchsia-900 ring-fuchsia-300", bar: "bg-fuchsia-300" },
};

export function StatusBadge({ status }: { status: EffectiveStatus }) {
  return <span className={`status-badge ${statusStyles[status].badge}`}>{statusLabels[status]}</span>;
}

export { areaLabels } from "@/lib/checklists/types";
import { areaLabels } from "@/lib/checklists/types";

const areaStyles = {
  DEVOPS: "bg-sky-50 text-sky-900",
  DBA: "bg-amber-50 text-amber-900",
  SECURITY: "bg-rose-50 text-rose-900",
  GENERAL: "bg-slate-50 text-slate-800",
} as const;

export function AreaBadge({ area }: { area: keyof typeof areaLabels }) {
  return <span className={`area-badge ${areaStyles[area]}`}>{areaLabels[area]}</span>;
}
