// Dates and times are stored as UTC instants and shown in the viewer's zone. A due date typed
// as a calendar day means the end of that day where the person who set it is.

export const DEFAULT_TIME_ZONE = "UTC";
const DAY_MS = 24 * 60 * 60 * 1000;

export function isValidTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at that instant, in milliseconds (east positive). */
function offsetAt(instant: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The UTC instant at which the wall-clock time `local` (ms since epoch, read as UTC) occurs in `zone`. */
function wallTimeToInstant(local: number, zone: string): number {
  // Two passes settle the offset, also on days when it changes (daylight saving).
  let instant = local - offsetAt(local, zone);
  instant = local - offsetAt(instant, zone);
  return instant;
}

/**
 * The last millisecond of the calendar day `date` (YYYY-MM-DD) in `zone`: the moment an item
 * due that day becomes overdue, as a UTC instant.
 */
export function endOfDayIn(date: string, zone: string): Date {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const nextMidnight = wallTimeToInstant(Date.UTC(year, month - 1, day + 1), zone);
  return new Date(nextMidnight - 1);
}

/** The instant a wall-clock time ("YYYY-MM-DDTHH:mm", as a datetime-local field sends it) occurs in `zone`. */
export function instantOf(localDateTime: string, zone: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(localDateTime);
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  const instant = new Date(wallTimeToInstant(Date.UTC(year, month - 1, day, hour, minute, second), zone));
  return Number.isNaN(instant.getTime()) ? null : instant;
}

/** The wall-clock time ("YYYY-MM-DDTHH:mm") of an instant in `zone`, as a datetime-local field shows it. */
export function localDateTimeIn(instant: Date, zone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).formatToParts(instant).map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`;
}

/** The calendar day (YYYY-MM-DD) an instant falls on in `zone`. */
export function dayIn(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

/** "5 Dec 2026, 23:59" in the zone. */
export function formatDateTime(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(instant);
}

const dayLong = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const dayShort = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** A calendar day (YYYY-MM-DD) as people read it, "14 Dec 2026". A day has no zone: it is the same day everywhere. */
export function formatDay(day: string): string {
  return dayLong.format(new Date(`${day}T12:00:00Z`));
}

/** "14 Dec". */
export function formatShortDay(day: string): string {
  return dayShort.format(new Date(`${day}T12:00:00Z`));
}

/** "5 Dec 2026" in the zone. */
export function formatDate(instant: Date, zone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "short", year: "numeric" }).format(instant);
}

export type DueState = "overdue" | "soon" | "later";

/** How urgent an open item's due time is: past, within two days, or later. */
export function dueState(dueAt: Date, now: Date): DueState {
  const left = dueAt.getTime() - now.getTime();
  if (left < 0) return "overdue";
  return left <= 2 * DAY_MS ? "soon" : "later";
}

/** The window "due within two days" covers, from now. */
export const DUE_SOON_MS = 2 * DAY_MS;
