import { describe, expect, it } from "vitest";
import { dayIn, dueState, endOfDayIn, formatDateTime, instantOf, isValidTimeZone, localDateTimeIn } from "@/lib/time";

describe("endOfDayIn", () => {
  it("is the last millisecond of the day where the due date was set", () => {
    expect(endOfDayIn("2026-12-05", "UTC").toISOString()).toBe("2026-12-05T23:59:59.999Z");
    expect(endOfDayIn("2026-12-05", "Europe/Berlin").toISOString()).toBe("2026-12-05T22:59:59.999Z");
    expect(endOfDayIn("2026-12-05", "America/New_York").toISOString()).toBe("2026-12-06T04:59:59.999Z");
    expect(endOfDayIn("2026-12-05", "Asia/Kolkata").toISOString()).toBe("2026-12-05T18:29:59.999Z");
    expect(endOfDayIn("2026-12-05", "Pacific/Kiritimati").toISOString()).toBe("2026-12-05T09:59:59.999Z");
  });

  it("follows daylight saving on the days the clocks change", () => {
    // Berlin: summer time ends on 25 Oct 2026 (UTC+2 until 01:00 UTC, then UTC+1).
    expect(endOfDayIn("2026-10-24", "Europe/Berlin").toISOString()).toBe("2026-10-24T21:59:59.999Z");
    expect(endOfDayIn("2026-10-25", "Europe/Berlin").toISOString()).toBe("2026-10-25T22:59:59.999Z");
    // New York: summer time starts on 8 Mar 2026.
    expect(endOfDayIn("2026-03-07", "America/New_York").toISOString()).toBe("2026-03-08T04:59:59.999Z");
    expect(endOfDayIn("2026-03-08", "America/New_York").toISOString()).toBe("2026-03-09T03:59:59.999Z");
  });

  it("handles the end of a month and of a year", () => {
    expect(endOfDayIn("2026-12-31", "Europe/Berlin").toISOString()).toBe("2026-12-31T22:59:59.999Z");
    expect(endOfDayIn("2028-02-29", "UTC").toISOString()).toBe("2028-02-29T23:59:59.999Z");
  });
});

describe("showing an instant in the viewer's zone", () => {
  const due = endOfDayIn("2026-12-05", "Europe/Berlin");

  it("shows the same due moment as each viewer's own wall time", () => {
    expect(formatDateTime(due, "Europe/Berlin")).toBe("5 Dec 2026, 23:59");
    expect(formatDateTime(due, "America/New_York")).toBe("5 Dec 2026, 17:59");
    expect(formatDateTime(due, "Asia/Tokyo")).toBe("6 Dec 2026, 07:59");
  });

  it("puts an instant on the viewer's calendar day", () => {
    expect(dayIn(due, "Europe/Berlin")).toBe("2026-12-05");
    expect(dayIn(due, "Asia/Tokyo")).toBe("2026-12-06");
  });
});

describe("dueState", () => {
  const due = new Date("2026-12-05T22:59:59.999Z");

  it("is overdue only once the due moment has passed, wherever the viewer is", () => {
    expect(dueState(due, new Date("2026-12-05T22:59:59.999Z"))).toBe("soon");
    expect(dueState(due, new Date("2026-12-05T23:00:00.000Z"))).toBe("overdue");
  });

  it("is due soon within two days, and later before that", () => {
    expect(dueState(due, new Date("2026-12-03T23:00:00.000Z"))).toBe("soon");
    expect(dueState(due, new Date("2026-12-03T22:59:59.000Z"))).toBe("later");
  });
});

describe("isValidTimeZone", () => {
  it("accepts IANA zones and refuses anything else", () => {
    expect(isValidTimeZone("Europe/Berlin")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
  });
});

describe("instantOf and localDateTimeIn", () => {
  it("turn a wall-clock time in a zone into the instant and back", () => {
    expect(instantOf("2026-12-05T09:30", "Europe/Berlin")?.toISOString()).toBe("2026-12-05T08:30:00.000Z");
    expect(instantOf("2026-07-05T09:30", "America/New_York")?.toISOString()).toBe("2026-07-05T13:30:00.000Z");
    expect(localDateTimeIn(new Date("2026-12-05T08:30:00.000Z"), "Europe/Berlin")).toBe("2026-12-05T09:30");
    expect(localDateTimeIn(new Date("2026-12-05T08:30:00.000Z"), "Asia/Tokyo")).toBe("2026-12-05T17:30");
  });

  it("refuses anything but a datetime-local value", () => {
    expect(instantOf("yesterday", "UTC")).toBeNull();
    expect(instantOf("2026-12-05", "UTC")).toBeNull();
  });
});
