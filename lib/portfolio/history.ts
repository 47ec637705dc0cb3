import { dayIn, endOfDayIn } from "@/lib/time";
import { percentReady } from "@/lib/portfolio/summary";
import type { ItemStatus } from "@/lib/checklists/types";

// Readiness over time, rebuilt from the audit trail. The database sums, per project, the items
// as they are now and the changes since the first instant, bucketed by the first instant each
// counts at; these functions turn those sums into figures per instant, and into percentages.

/**
 * The statuses that count as ready for as long as the item holds them, WAIVED only until its
 * waiver expires: isSatisfied, in the terms the history query needs (a unit test holds them to it).
 */
export const doneLikeStatuses: readonly ItemStatus[] = ["DONE", "NOT_APPLICABLE", "WAIVED"];

/** The state of one project's checklist at each instant: items, and items ready. */
export type Readiness = { total: number[]; ready: number[] };

/**
 * Sums per project and instant index `k`: items added (+) or removed (-) and moved into (+) or
 * out of (-) a done-like status (DONE, NOT_APPLICABLE, WAIVED) by changes first counting at
 * instant k (k = number of instants: after the last one); waived items whose waiver expired
 * starting (+) or stopping (-) to count against readiness at k. The row with k = -1 holds the
 * items as they are now (`total`, `done`).
 */
export type ReadinessDelta = { projectId: string; k: number; total: number; done: number; expired: number };

/**
 * The calendar days ending today in the zone (oldest first), and for each the instant its state
 * is read at: the end of that day, or now for today.
 */
export function dayPoints(now: Date, days: number, zone: string): { days: string[]; points: Date[] } {
  const today = dayIn(now, zone);
  const [year, month, day] = today.split("-").map(Number) as [number, number, number];
  const labels: string[] = [];
  const points: Date[] = [];
  for (let back = days - 1; back >= 0; back--) {
    // Noon UTC of the calendar date never crosses a date line when formatted back as a date.
    const date = new Date(Date.UTC(year, month - 1, day - back, 12)).toISOString().slice(0, 10);
    labels.push(date);
    points.push(back === 0 ? now : new Date(endOfDayIn(date, zone).getTime() + 1));
  }
  return { days: labels, points };
}

/**
 * Figures per project at each of `points` instants: the state now, rolled back through every
 * change since the first instant, then replayed forwards. Projects without rows stay at zero.
 */
export function accumulateReadiness(deltas: readonly ReadinessDelta[], projectIds: readonly string[], points: number): Map<string, Readiness> {
  const blank = () => new Array<number>(points + 1).fill(0);
  const sums = new Map(projectIds.map((id) => [id, { nowTotal: 0, nowDone: 0, total: blank(), done: blank(), expired: blank() }]));
  for (const delta of deltas) {
    const project = sums.get(delta.projectId);
    if (!project || delta.k > points) continue;
    if (delta.k < 0) {
      project.nowTotal += delta.total;
      project.nowDone += delta.done;
      continue;
    }
    project.total[delta.k] = (project.total[delta.k] ?? 0) + delta.total;
    project.done[delta.k] = (project.done[delta.k] ?? 0) + delta.done;
    project.expired[delta.k] = (project.expired[delta.k] ?? 0) + delta.expired;
  }
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  const result = new Map<string, Readiness>();
  for (const [id, project] of sums) {
    // Before the first instant's changes: now, minus everything that happened since.
    let total = project.nowTotal - sum(project.total);
    let done = project.nowDone - sum(project.done);
    let expired = 0;
    const series: Readiness = { total: [], ready: [] };
    for (let k = 0; k < points; k++) {
      total += project.total[k] ?? 0;
      done += project.done[k] ?? 0;
      expired += project.expired[k] ?? 0;
      series.total.push(total);
      series.ready.push(done - expired);
    }
    result.set(id, series);
  }
  return result;
}

/** The sum of several projects' readiness, point by point. */
export function sumReadiness(all: Iterable<Readiness>, points: number): Readiness {
  const sum: Readiness = { total: new Array<number>(points).fill(0), ready: new Array<number>(points).fill(0) };
  for (const series of all) {
    for (let k = 0; k < points; k++) {
      sum.total[k] = (sum.total[k] ?? 0) + (series.total[k] ?? 0);
      sum.ready[k] = (sum.ready[k] ?? 0) + (series.ready[k] ?? 0);
    }
  }
  return sum;
}

/** Percent ready at each point (floored), null where the checklist had no items yet. */
export function percentSeries(series: Readiness): (number | null)[] {
  return series.total.map((total, k) => percentReady(series.ready[k] ?? 0, total));
}
