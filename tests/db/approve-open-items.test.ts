import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getGateForProject, getSignoffPage } from "@/lib/signoffs/data";
import { configureSlots, signSlot } from "@/lib/signoffs/mutations";
import { actorFor, ctx, eventsOf, expectAppError, makeItem, makeProject, makeUser, setRequiredSlots, shownFor, signoffsOf } from "./factories";

// Approving a scope that is not ready is a deliberate act: refused unless the project allows it,
// and then only with the approver's confirmation, recorded with the count of open items.

async function project(approveWithOpenItems: boolean) {
  const [lead, approver] = [await makeUser(), await makeUser()];
  const created = await makeProject(
    [
      { user: lead, roles: ["LEAD"] },
      { user: approver, roles: ["APPROVER"] },
    ],
    { approveWithOpenItems },
  );
  await setRequiredSlots(created, ["DBA", "GO_LIVE"]);
  await makeItem(created, { area: "DBA", required: true, title: "Backups restored monthly" });
  await makeItem(created, { area: "DBA", required: true, title: "Replica lag alarm" });
  // Not required: never counts as open for a sign-off.
  await makeItem(created, { area: "DBA", required: false, title: "Nice-to-have dashboard" });
  await makeItem(created, { area: "DBA", required: true, status: "NOT_APPLICABLE", statusReason: "No replicas.", title: "Replica failover drill" });
  return { project: created, lead: await actorFor(lead), approver: await actorFor(approver) };
}

/** What the sign-off form submits, without the confirmation. */
async function approval(projectId: string) {
  const { expectedRound, expectedDigest } = await shownFor(projectId, "DBA");
  return { projectId, slot: "DBA" as const, decision: "APPROVED" as const, expectedRound, expectedDigest };
}

describe("approving a scope with required items not ready", () => {
  it("is refused by default, naming how many are open, with nothing written; rejecting stays possible", async () => {
    const { project: created, approver } = await project(false);
    const c = ctx(approver);

    const error = await expectAppError(signSlot(c, { ...(await approval(created.id)), confirmOpenItems: true }), "INVALID_INPUT");
    expect(error.message).toMatch(/^2 required items of this scope are not ready/);
    expect(error.fieldErrors?.decision?.[0]).toMatch(/A lead may allow approving with open items/);
    expect(await signoffsOf(created.id)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);

    const page = await getSignoffPage(approver, created.slug);
    expect(page.approveWithOpenItems).toBe(false);
    expect(page.slots.find((slot) => slot.slot === "DBA")?.openRequired.map((item) => item.title).sort()).toEqual(["Backups restored monthly", "Replica lag alarm"]);

    await signSlot(ctx(approver), { ...(await approval(created.id)), decision: "REJECTED", reason: "Backups not restored yet." });
    expect((await signoffsOf(created.id)).map((row) => [row.decision, row.openItems])).toEqual([["REJECTED", 0]]);
  });

  it("is allowed once every required item is ready, recording none open", async () => {
    const { project: created, approver } = await project(false);
    await db.checklistItem.updateMany({ where: { projectId: created.id, required: true, status: "TODO" }, data: { status: "DONE" } });

    await signSlot(ctx(approver), await approval(created.id));

    expect((await signoffsOf(created.id)).map((row) => [row.slot, row.decision, row.openItems])).toEqual([["DBA", "APPROVED", 0]]);
  });

  it("where the project allows it, needs the approver's confirmation, then records the count in the row, the event and the gate", async () => {
    const { project: created, approver } = await project(true);
    const unconfirmed = ctx(approver);

    const error = await expectAppError(signSlot(unconfirmed, await approval(created.id)), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["confirmOpenItems"]);
    expect(error.message).toMatch(/confirm that you approve with them open/);
    expect(await signoffsOf(created.id)).toEqual([]);
    expect(await eventsOf(unconfirmed.requestId)).toEqual([]);

    const confirmed = ctx(approver);
    // As the form sends a ticked checkbox.
    await signSlot(confirmed, { ...(await approval(created.id)), confirmOpenItems: "on" });

    const [row] = await signoffsOf(created.id);
    expect(row).toMatchObject({ slot: "DBA", decision: "APPROVED", state: "CURRENT", openItems: 2 });
    const [event] = await eventsOf(confirmed.requestId);
    expect(event).toMatchObject({ action: auditActions.SIGNOFF_GIVEN, after: { openItems: 2 } });
    const gate = await getGateForProject(created.id);
    expect(gate.signoffs.find((signoff) => signoff.slot === "DBA")?.openItems).toBe(2);
    // The approval does not make the items ready: the gate still lists them.
    expect(gate.reasons.filter((reason) => reason.code === "ITEM_OPEN")).toHaveLength(2);
  });

  it("is a setting a lead changes, audited with before and after", async () => {
    const { project: created, lead } = await project(false);
    const c = ctx(lead);

    await configureSlots(c, { projectId: created.id, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: false, approveWithOpenItems: "on" });

    expect(await db.project.findUniqueOrThrow({ where: { id: created.id }, select: { approveWithOpenItems: true } })).toEqual({ approveWithOpenItems: true });
    const [event] = await eventsOf(c.requestId);
    expect(event).toMatchObject({ action: auditActions.SIGNOFF_SLOTS_CHANGED, before: { approveWithOpenItems: false }, after: { approveWithOpenItems: true } });
  });
});
