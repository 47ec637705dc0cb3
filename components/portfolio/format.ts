// Calendar days (YYYY-MM-DD) as people read them. A day has no zone: it is formatted as the
// same day in UTC.

const long = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
const short = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });

/** "14 Dec 2026". */
export function formatDay(day: string): string {
  return long.format(new Date(`${day}T12:00:00Z`));
}

/** "14 Dec". */
export function formatShortDay(day: string): string {
  return short.format(new Date(`${day}T12:00:00Z`));
}
