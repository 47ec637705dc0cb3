import type { Area } from "@/lib/checklists/types";
import type { EffectiveStatus } from "@/lib/checklists/rules";
import type { DueState } from "@/lib/time";

// The lead's view of a project, derived from the checklist rows alone (no extra queries): where
// each area stands, what nobody holds, what is late or blocked, and who carries how much.

export type OverviewItem = {
  id: string;
  title: string;
  area: Area;
  required: boolean;
  /** Whether it counts for readiness: on a checklist with levels, only up to the target level. */
  countsForTarget: boolean;
  effectiveStatus: EffectiveStatus;
  statusReason: string | null;
  assigneeId: string | null;
  assigneeName: string | null;
  dueAt: string | null;
  dueState: DueState | null;
  path: string[];
};

export type AreaProgress = {
  area: Area;
  total: number;
  done: number;
  waived: number;
  notApplicable: number;
  blocked: number;
  /** To do, in progress, a waiver request nobody has accepted yet, or a waiver that expired. */
  open: number;
  /** Required items that count for the target level (all required items without levels). */
  required: number;
  /** Required items ready, counting valid waivers as ready. */
  readyWithWaivers: number;
  /** Required items ready by their own work: done or not applicable. */
  readyWithoutWaivers: number;
};

export type Workload = { userId: string; name: string; roles: string[]; open: number; overdue: number; nextDueAt: string | null };

export type Overview = {
  areas: AreaProgress[];
  totals: AreaProgress;
  unassigned: OverviewItem[];
  overdue: OverviewItem[];
  dueSoon: OverviewItem[];
  blocked: OverviewItem[];
  workload: Workload[];
};

const isOpen = (status: EffectiveStatus) => status === "TODO" || status === "IN_PROGRESS" || status === "BLOCKED" || status === "WAIVER_EXPIRED" || status === "WAIVER_REQUESTED";

function progressOf(area: Area, items: readonly OverviewItem[]): AreaProgress {
  const progress: AreaProgress = { area, total: 0, done: 0, waived: 0, notApplicable: 0, blocked: 0, open: 0, required: 0, readyWithWaivers: 0, readyWithoutWaivers: 0 };
  for (const item of items) {
    progress.total++;
    const status = item.effectiveStatus;
    if (status === "DONE") progress.done++;
    else if (status === "WAIVED") progress.waived++;
    else if (status === "NOT_APPLICABLE") progress.notApplicable++;
    else if (status === "BLOCKED") progress.blocked++;
    else progress.open++;
    if (!item.required || !item.countsForTarget) continue;
    progress.required++;
    if (status === "DONE" || status === "NOT_APPLICABLE") {
      progress.readyWithoutWaivers++;
      progress.readyWithWaivers++;
    } else if (status === "WAIVED") progress.readyWithWaivers++;
  }
  return progress;
}

const byDue = (a: OverviewItem, b: OverviewItem) => (a.dueAt ?? "").localeCompare(b.dueAt ?? "");

export function summarizeOverview(items: readonly OverviewItem[], members: readonly { userId: string; name: string; roles: string[] }[], areaOrder: readonly Area[]): Overview {
  const areas = areaOrder.map((area) => progressOf(area, items.filter((item) => item.area === area))).filter((progress) => progress.total > 0);
  const open = items.filter((item) => isOpen(item.effectiveStatus));
  const workload = new Map<string, Workload>();
  for (const member of members) workload.set(member.userId, { userId: member.userId, name: member.name, roles: member.roles, open: 0, overdue: 0, nextDueAt: null });
  for (const item of open) {
    if (!item.assigneeId) continue;
    // A former member may still hold items: they count, and show, too.
    const entry = workload.get(item.assigneeId) ?? { userId: item.assigneeId, name: item.assigneeName ?? "Former member", roles: [], open: 0, overdue: 0, nextDueAt: null };
    entry.open++;
    if (item.dueState === "overdue") entry.overdue++;
    else if (item.dueAt && (entry.nextDueAt === null || item.dueAt < entry.nextDueAt)) entry.nextDueAt = item.dueAt;
    workload.set(item.assigneeId, entry);
  }
  return {
    areas,
    totals: progressOf("GENERAL", items),
    unassigned: open.filter((item) => !item.assigneeId),
    overdue: open.filter((item) => item.dueState === "overdue").sort(byDue),
    dueSoon: open.filter((item) => item.dueState === "soon").sort(byDue),
    blocked: open.filter((item) => item.effectiveStatus === "BLOCKED"),
    workload: [...workload.values()].filter((entry) => entry.open > 0 || entry.roles.some((role) => role !== "VIEWER" && role !== "APPROVER")).sort((a, b) => b.open - a.open || a.name.localeCompare(b.name)),
  };
}

