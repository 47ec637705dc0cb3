import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getItemDetail } from "@/lib/checklists/data";
import { addEvidence, updateItem } from "@/lib/checklists/mutations";
import { recordItemResult } from "@/lib/checklists/results";
import { renewEvidence } from "@/lib/checklists/renewals";
import { ctx, eventsOf, expectAppError, makeItem, makeTeam, sign, signoffOf } from "./factories";

// Evidence that keeps itself true: re-attestation (an item's evidence renewed every N days, or the
// item goes back to to do, with a reminder a week before) and damping (a flapping result needs to
// repeat before it reopens anything). The scan is run with a clock moved forward, as the job
// queue's tick would run it on that day.

const DAY = 86_400_000;

async function doneWithRenewal(everyDays: number) {
  const team = await makeTeam(["LEAD", "DBA", "APPROVER"]);
  const item = await makeItem(team.project, { area: "DBA", title: `Restore drill ${Math.random().toString(36).slice(2, 8)}` });
  await db.checklistItem.update({ where: { id: item.id }, data: { assigneeId: team.users.DBA.id } });
  const lead = await team.as("LEAD");
  await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, renewEveryDays: String(everyDays) });
  const dba = await team.as("DBA");
  await updateItem(ctx(dba), { itemId: item.id, expectedVersion: 2, status: "DONE", note: "Restored last night's snapshot." });
  return { team, item: await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } }) };
}

describe("re-attestation", () => {
  it("only a lead sets how often evidence is renewed (audited as a change of the item); a bad value names the field", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const item = await makeItem(team.project, { area: "DBA" });
    await expectAppError(updateItem(ctx(await team.as("DBA")), { itemId: item.id, expectedVersion: 1, renewEveryDays: "30" }), "FORBIDDEN");
    for (const value of ["0", "3651", "a month", "1.5"]) {
      const refused = await expectAppError(updateItem(ctx(await team.as("LEAD")), { itemId: item.id, expectedVersion: 1, renewEveryDays: value }), "INVALID_INPUT");
      expect(refused.fieldErrors, value).toHaveProperty("renewEveryDays");
    }
    const c = ctx(await team.as("LEAD"));
    await updateItem(c, { itemId: item.id, expectedVersion: 1, renewEveryDays: "90" });
    const [event] = await eventsOf(c.requestId);
    expect(event).toMatchObject({ action: auditActions.ITEM_UPDATED, before: { renewEveryDays: null }, after: { renewEveryDays: 90, version: 2 } });
    // Empty is "never" again.
    await updateItem(ctx(await team.as("LEAD")), { itemId: item.id, expectedVersion: 2, renewEveryDays: "" });
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).renewEveryDays).toBeNull();
  });

  it("reminds the assignee once a week before; once due, the done item goes back to to do as the system, its sign-off goes stale and both people are told", async () => {
    const { team, item } = await doneWithRenewal(30);
    const attestedAt = item.attestedAt!;
    expect(attestedAt).not.toBeNull();
    await sign(await team.as("APPROVER"), team.project.id, "DBA");
    const detail = await getItemDetail(await team.as("DBA"), item.id);
    expect(detail.renewal).toMatchObject({ everyDays: 30, dueAt: new Date(attestedAt.getTime() + 30 * DAY).toISOString() });

    const reminders = () => db.notification.findMany({ where: { itemId: item.id, kind: "DUE_SOON" } });
    await renewEvidence(db, new Date(attestedAt.getTime() + 22 * DAY));
    expect(await reminders()).toHaveLength(0);
    await renewEvidence(db, new Date(attestedAt.getTime() + 24 * DAY));
    await renewEvidence(db, new Date(attestedAt.getTime() + 25 * DAY));
    const sent = await reminders();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ userId: team.users.DBA.id });
    expect(sent[0]?.title).toMatch(/^Renew the evidence of/);
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("DONE");

    const dueAt = new Date(attestedAt.getTime() + 30 * DAY + 1);
    const [first, second] = await Promise.all([renewEvidence(db, dueAt), renewEvidence(db, dueAt)]);
    expect(first.expired + second.expired).toBe(1);
    const now = await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(now).toMatchObject({ status: "TODO", version: item.version + 1 });
    const event = await db.auditEvent.findFirstOrThrow({ where: { entityId: item.id, action: auditActions.ITEM_UPDATED }, orderBy: { seq: "desc" } });
    expect(event).toMatchObject({ actorId: null, before: { status: "DONE" }, after: { status: "TODO" } });
    expect((event.after as { reason: string }).reason).toMatch(/older than 30 days/);
    expect((await signoffOf(team.project.id, "DBA", 1)).state).toBe("STALE");
    const told = await db.notification.findMany({ where: { itemId: item.id, kind: { in: ["SIGNOFF_STALE", "EVIDENCE_CHANGED"] } }, select: { userId: true, kind: true } });
    expect(told).toEqual(expect.arrayContaining([{ userId: team.users.APPROVER.id, kind: "SIGNOFF_STALE" }, { userId: team.users.DBA.id, kind: "EVIDENCE_CHANGED" }]));
    // Nothing left to do on the next tick.
    expect(await renewEvidence(db, dueAt)).toEqual({ reminded: 0, expired: 0 });
  });

  it("new evidence or a passing result renews it: the due date moves on, and the old one no longer expires it", async () => {
    const { team, item } = await doneWithRenewal(10);
    await db.checklistItem.update({ where: { id: item.id }, data: { attestedAt: new Date(Date.now() - 9 * DAY) } });
    await addEvidence(ctx(await team.as("DBA")), { itemId: item.id, expectedVersion: item.version, kind: "LINK", url: "https://ci.example.com/restore/2" });
    const renewed = (await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).attestedAt!;
    expect(Date.now() - renewed.getTime()).toBeLessThan(60_000);
    expect((await renewEvidence(db, new Date(Date.now() + 2 * DAY))).expired).toBe(0);

    await db.checklistItem.update({ where: { id: item.id }, data: { attestedAt: new Date(Date.now() - 9 * DAY) } });
    await recordItemResult(ctx(await team.as("DBA")), { itemId: item.id, status: "pass", summary: "Restore drill green." });
    expect(Date.now() - (await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).attestedAt!.getTime()).toBeLessThan(60_000);
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("DONE");
  });
});

describe("damping", () => {
  it("with failuresToReopen 2 one failure after a pass is kept but changes nothing; the second in a row reopens, stales and notifies", async () => {
    const team = await makeTeam(["LEAD", "DBA", "APPROVER"]);
    const item = await makeItem(team.project, { area: "DBA", title: "Health endpoint answers" });
    const dba = await team.as("DBA");
    await recordItemResult(ctx(dba), { itemId: item.id, status: "pass", summary: "200 in 12 ms", markDone: true });
    await sign(await team.as("APPROVER"), team.project.id, "DBA");
    const notifications = () => db.notification.count({ where: { itemId: item.id } });
    const before = await notifications();

    const blip = await recordItemResult(ctx(dba), { itemId: item.id, status: "fail", summary: "timed out", failuresToReopen: 2 });
    expect(blip).toMatchObject({ counted: false, stale: [], item: { status: "DONE", statusChanged: false } });
    expect((await signoffOf(team.project.id, "DBA", 1)).state).toBe("CURRENT");
    expect(await notifications()).toBe(before);
    expect((await getItemDetail(dba, item.id)).results[0]).toMatchObject({ outcome: "FAIL", counted: false });

    // It recovers: nothing happened, nothing goes stale.
    const recovered = await recordItemResult(ctx(dba), { itemId: item.id, status: "pass", summary: "200 in 14 ms" });
    expect(recovered).toMatchObject({ counted: true, stale: [] });

    // Two in a row: the second counts.
    await recordItemResult(ctx(dba), { itemId: item.id, status: "fail", summary: "503", failuresToReopen: 2 });
    const confirmed = await recordItemResult(ctx(dba), { itemId: item.id, status: "fail", summary: "503 again", failuresToReopen: 2 });
    expect(confirmed).toMatchObject({ counted: true, stale: ["DBA"], item: { status: "BLOCKED", statusChanged: true } });
    expect((await signoffOf(team.project.id, "DBA", 1)).state).toBe("STALE");
    const bad = await expectAppError(recordItemResult(ctx(dba), { itemId: item.id, status: "fail", summary: "x", failuresToReopen: 0 }), "INVALID_INPUT");
    expect(bad.fieldErrors).toHaveProperty("failuresToReopen");
  });
});
