import { describe, expect, it } from "vitest";
import { reminderKey, reminderKind, reminderText } from "@/lib/notifications/reminders";

const now = new Date("2026-11-23T12:00:00.000Z");

describe("reminders", () => {
  it("is overdue only once the due time has passed", () => {
    expect(reminderKind(new Date("2026-11-23T11:59:59.999Z"), now)).toBe("OVERDUE");
    expect(reminderKind(now, now)).toBe("DUE_SOON");
    expect(reminderKind(new Date("2026-11-24T12:00:00.000Z"), now)).toBe("DUE_SOON");
  });

  it("keys a reminder by kind, item, due time and person", () => {
    expect(reminderKey("OVERDUE", "item-1", new Date("2026-11-23T22:59:59.999Z"), "user-1")).toBe("OVERDUE:item-1:2026-11-23T22:59:59.999Z:user-1");
  });

  it("says when, in the assignee's time zone (UTC without one)", () => {
    const item = { title: "Backups tested", dueAt: new Date("2026-11-23T22:59:59.999Z") };
    expect(reminderText("DUE_SOON", item, "Payments", "Europe/Berlin")).toEqual({
      title: "“Backups tested” is due within two days in Payments",
      body: "It is due 23 Nov 2026, 23:59 (Europe/Berlin).",
    });
    expect(reminderText("OVERDUE", item, "Payments", null)).toEqual({
      title: "“Backups tested” is overdue in Payments",
      body: "It was due 23 Nov 2026, 22:59 (UTC) and is not done yet.",
    });
  });
});
