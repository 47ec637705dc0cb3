import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getChecklist } from "@/lib/checklists/data";
import { acceptWaiver, declineWaiver, updateItem } from "@/lib/checklists/mutations";
import { getGateForProject } from "@/lib/signoffs/data";
import { ctx, eventsOf, expectAppError, isoDay, itemState, makeItem, makeTeam, setRequiredSlots, sign, signoffsOf } from "./factories";

// A waiver is a request until a different person with the right (an approver or lead of the
// project, never the requester) accepts it; the risk owner is a member and is told; the
// acceptance is audited in its transaction, and until then the item is not satisfied.

const request = { status: "WAIVED", statusReason: "Plain HTTP inside the mesh until the certificates land.", waiverExpiresAt: isoDay(30) };

async function requested() {
  const team = await makeTeam(["LEAD", "SECURITY", "APPROVER", "VIEWER"]);
  const item = await makeItem(team.project, { area: "SECURITY", title: "TLS everywhere" });
  const owner = await team.as("SECURITY");
  await updateItem(ctx(owner), { itemId: item.id, expectedVersion: 1, ...request, waiverRiskOwnerId: team.users.VIEWER.id });
  return { ...team, item, owner };
}

const gateCodes = async (projectId: string) => (await getGateForProject(projectId)).reasons.map((reason) => reason.code);

describe("a waiver request", () => {
  it("does not count until accepted: the item shows as requested, the gate says so, and the risk owner is told", async () => {
    const { project, users, item, owner } = await requested();
    await setRequiredSlots(project, ["GO_LIVE"]);

    const view = await getChecklist(owner, project.slug);
    const row = view.sections.flatMap((section) => section.items).find((entry) => entry.id === item.id);
    expect(row).toMatchObject({ status: "WAIVED", effectiveStatus: "WAIVER_REQUESTED", waiverGrantedByName: users.SECURITY.name, waiverRiskOwner: users.VIEWER.name, canDecideWaiver: false });
    expect(view.totals).toMatchObject({ requiredSatisfied: 0 });
    expect(await gateCodes(project.id)).toContain("WAIVER_PENDING");

    const told = await db.notification.findMany({ where: { itemId: item.id }, select: { userId: true, kind: true } });
    expect(told).toEqual([{ userId: users.VIEWER.id, kind: "WAIVER_REQUESTED" }]);
  });

  it("names a member of the project as its risk owner, or is refused on that field", async () => {
    const team = await makeTeam(["LEAD", "SECURITY"]);
    const other = await makeTeam(["LEAD"]);
    const item = await makeItem(team.project, { area: "SECURITY" });
    const error = await expectAppError(updateItem(ctx(await team.as("SECURITY")), { itemId: item.id, expectedVersion: 1, ...request, waiverRiskOwnerId: other.users.LEAD.id }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["waiverRiskOwnerId"]);
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id }, select: { status: true, version: true } })).toEqual({ status: "TODO", version: 1 });
  });
});

describe("accepting a waiver", () => {
  it("by an approver who did not request it: the item counts, the acceptance is audited, the requester and risk owner are told, covering sign-offs go stale", async () => {
    const { project, users, item, as } = await requested();
    await setRequiredSlots(project, ["SECURITY", "GO_LIVE"]);
    const approver = await as("APPROVER");
    // Approving over an open item is refused on this project; a rejection covers the scope too.
    await sign(approver, project.id, "SECURITY", { decision: "REJECTED", reason: "The waiver is not accepted yet." });
    const c = ctx(approver);

    await acceptWaiver(c, { itemId: item.id, expectedVersion: 2 });

    const stored = await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(stored).toMatchObject({ status: "WAIVED", version: 3, waiverAcceptedById: users.APPROVER.id, waiverAcceptedByName: users.APPROVER.name, waiverGrantedById: users.SECURITY.id });
    expect(stored.waiverAcceptedAt).toBeInstanceOf(Date);
    expect(await gateCodes(project.id)).not.toContain("WAIVER_PENDING");

    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toContain(auditActions.WAIVER_ACCEPTED);
    expect(events.find((event) => event.action === auditActions.WAIVER_ACCEPTED)).toMatchObject({
      actorId: users.APPROVER.id,
      before: { waiverAcceptedAt: null, waiverGrantedByName: users.SECURITY.name },
      // A signature: the approver's fresh sign-in stood as the proof (tests/db/signing-ceremony.test.ts has the stale cases).
      after: { waiverAcceptedByName: users.APPROVER.name, waiverRiskOwnerId: users.VIEWER.id, version: 3, reauth: { method: "recent-session", basis: "test" } },
    });
    expect((await signoffsOf(project.id)).find((signoff) => signoff.slot === "SECURITY")?.state).toBe("STALE");

    const told = await db.notification.findMany({ where: { itemId: item.id, kind: "WAIVER_ACCEPTED" }, select: { userId: true } });
    expect(told.map((entry) => entry.userId).sort()).toEqual([users.SECURITY.id, users.VIEWER.id].sort());
  });

  it("is refused to the requester, even when they lead the project, and nothing changes", async () => {
    const team = await makeTeam(["LEAD", "APPROVER", "VIEWER"]);
    const item = await makeItem(team.project, { area: "SECURITY" });
    const lead = await team.as("LEAD");
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, ...request, waiverRiskOwnerId: team.users.VIEWER.id });
    const before = await itemState(item.id);
    const c = ctx(lead);

    const error = await expectAppError(acceptWaiver(c, { itemId: item.id, expectedVersion: 2 }), "FORBIDDEN");
    expect(error.message).toMatch(/You requested this waiver/);
    expect(await itemState(item.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);

    // Another person with the right may.
    await acceptWaiver(ctx(await team.as("APPROVER")), { itemId: item.id, expectedVersion: 2 });
  });

  it("is refused to members who are neither approver nor lead, and hidden from outsiders", async () => {
    const { item, as } = await requested();
    await expectAppError(acceptWaiver(ctx(await as("VIEWER")), { itemId: item.id, expectedVersion: 2 }), "FORBIDDEN");
    const outsider = await makeTeam(["LEAD"]);
    await expectAppError(acceptWaiver(ctx(await outsider.as("LEAD")), { itemId: item.id, expectedVersion: 2 }), "NOT_FOUND");
  });

  it("on an older version is a conflict (409), and a second acceptance is refused", async () => {
    const { item, as } = await requested();
    const approver = await as("APPROVER");
    await expectAppError(acceptWaiver(ctx(approver), { itemId: item.id, expectedVersion: 1 }), "CONFLICT");
    await acceptWaiver(ctx(approver), { itemId: item.id, expectedVersion: 2 });
    await expectAppError(acceptWaiver(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 3 }), "CONFLICT");
  });

  it("changing its substance afterwards makes a new request that needs accepting again", async () => {
    const { project, item, owner, as } = await requested();
    await acceptWaiver(ctx(await as("APPROVER")), { itemId: item.id, expectedVersion: 2 });
    // Evidence alone keeps the acceptance.
    await updateItem(ctx(owner), { itemId: item.id, expectedVersion: 3, note: "Mesh ticket filed." });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id }, select: { waiverAcceptedAt: true } })).not.toEqual({ waiverAcceptedAt: null });

    await updateItem(ctx(owner), { itemId: item.id, expectedVersion: 4, waiverExpiresAt: isoDay(60) });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id }, select: { waiverAcceptedAt: true, waiverAcceptedByName: true } })).toEqual({ waiverAcceptedAt: null, waiverAcceptedByName: null });
    expect(await gateCodes(project.id)).toContain("WAIVER_PENDING");
  });
});

describe("declining a waiver", () => {
  it("needs a reason, returns the item to to do and tells the requester why", async () => {
    const { users, item, as } = await requested();
    const approver = await as("APPROVER");
    const error = await expectAppError(declineWaiver(ctx(approver), { itemId: item.id, expectedVersion: 2, reason: " " }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["reason"]);

    const c = ctx(approver);
    await declineWaiver(c, { itemId: item.id, expectedVersion: 2, reason: "Not without a date for the certificates." });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "TODO", statusReason: null, waiverRiskOwner: null, waiverGrantedById: null, version: 3 });
    expect((await eventsOf(c.requestId)).find((event) => event.action === auditActions.WAIVER_DECLINED)?.after).toMatchObject({ status: "TODO", reason: "Not without a date for the certificates." });
    const told = await db.notification.findMany({ where: { itemId: item.id, kind: "WAIVER_DECLINED" }, select: { userId: true, body: true } });
    expect(told).toEqual([{ userId: users.SECURITY.id, body: expect.stringContaining("Not without a date") }]);
  });
});
