import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getChecklistAsOf } from "@/lib/audit/as-of";
import { decisionPackageMarkdown, getDecisionPackage } from "@/lib/audit/decision-package";
import { currentIntegrity } from "@/lib/audit/integrity";
import type { Actor } from "@/lib/policy";
import { importChecklist, updateItem } from "@/lib/checklists/mutations";
import { addMember, createProject, removeMember, setMemberRoles } from "@/lib/projects/mutations";
import { getGateForProject, getSignoffPage } from "@/lib/signoffs/data";
import { configureSlots, markProjectLive, signSlot } from "@/lib/signoffs/mutations";
import { liveProjection, rebuiltProjection } from "./checklist-projection";
import {
  actorFor,
  checklistWriterTransaction,
  ctx,
  eventsOf,
  expectAppError,
  makeActor,
  makeEvidence,
  makeItem,
  makeUser,
  memberUpdatedAt,
  setRequiredSlots,
  shownFor,
  sign,
  signoffOf,
  signoffsOf,
  writerTransaction,
  type TestUser,
} from "./factories";

// Nobody takes a project live alone. The Go-live slot is always required; a signing role (APPROVER,
// or an owner role signing its area) granted by its holder never signs; the person marking the
// project live cannot be the one who approved Go-live; and changing the required slots after
// sign-offs makes them stale, for the approvers to see, and shows in the decision package.

const ANOTHER_LEAD_OR_ADMIN = /another lead or admin must grant it/;

/** A project created through the services by an admin, led by a new user, with the other members the admin adds. */
async function reviewProject<Key extends string = never>(others: Record<Key, ProjectRole[]> = {} as Record<Key, ProjectRole[]>) {
  const { actor: admin, user: adminUser } = await makeActor(["ADMIN"]);
  const leadUser = await makeUser({ name: `Lee Lead ${randomUUID().slice(0, 4)}` });
  const project = await createProject(ctx(admin), { name: "Payments API", slug: `four-eyes-${randomUUID()}`, leadUserId: leadUser.id });
  const users = {} as Record<Key, TestUser>;
  for (const [key, roles] of Object.entries(others) as [Key, ProjectRole[]][]) {
    const user = await makeUser({ name: `${key} ${randomUUID().slice(0, 4)}` });
    await addMember(ctx(admin), { projectId: project.id, userId: user.id, roles });
    users[key] = user;
  }
  return { project, admin, adminUser, leadUser, lead: await actorFor(leadUser), users };
}

/** Makes every item of the project not applicable, as a lead would. */
async function markItemsNotApplicable(lead: Actor, projectId: string) {
  for (const item of await db.checklistItem.findMany({ where: { projectId }, select: { id: true, version: true } })) {
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: item.version, status: "NOT_APPLICABLE", statusReason: "Not in this service." });
  }
}

async function grants(projectId: string, userId: string) {
  return db.projectMember.findUniqueOrThrow({
    where: { projectId_userId: { projectId, userId } },
    select: { roles: true, approverGrantedById: true, devopsGrantedById: true, dbaGrantedById: true, securityGrantedById: true },
  });
}

async function projectRow(projectId: string) {
  return db.project.findUniqueOrThrow({ where: { id: projectId } });
}

describe("the Go-live slot is always required", () => {
  it.each([
    ["no slots at all", []],
    ["area slots only", ["DEVOPS", "DBA", "SECURITY"]],
  ] as const)("configureSlots refuses %s with INVALID_INPUT naming requiredSlots; project unchanged, nothing audited", async (_what, requiredSlots) => {
    const { project, lead } = await reviewProject();
    const before = await projectRow(project.id);
    const c = ctx(lead);

    const error = await expectAppError(configureSlots(c, { projectId: project.id, requiredSlots: [...requiredSlots], ownersMayApprove: false }), "INVALID_INPUT");

    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["requiredSlots"]);
    expect(error.fieldErrors?.requiredSlots?.join(" ")).toMatch(/Go-live sign-off is always required/);
    expect(await projectRow(project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});

describe("a lead cannot take a project live alone", () => {
  it("the issue's scenario: slots set to none is refused; with Go-live only, every item not applicable and APPROVER given to themself, the lead can neither sign nor mark it live", async () => {
    const { project, lead, leadUser } = await reviewProject();
    await makeItem(project, { area: "DBA", title: "Backups run nightly" });
    await makeItem(project, { area: "SECURITY", title: "Secrets rotated" });

    // 1. Required sign-offs: none. Refused.
    await expectAppError(configureSlots(ctx(lead), { projectId: project.id, requiredSlots: [], ownersMayApprove: false }), "INVALID_INPUT");
    expect((await projectRow(project.id)).requiredSlots).toEqual(["DEVOPS", "DBA", "SECURITY", "GO_LIVE"]);

    // 2. Go-live only (allowed), every item not applicable, and the approver role given to themself.
    await configureSlots(ctx(lead), { projectId: project.id, requiredSlots: ["GO_LIVE"], ownersMayApprove: false });
    await markItemsNotApplicable(lead, project.id);
    const grant = ctx(lead);
    await setMemberRoles(grant, { projectId: project.id, userId: leadUser.id, roles: ["LEAD", "APPROVER"], expectedUpdatedAt: await memberUpdatedAt(project.id, leadUser.id) });
    expect(await grants(project.id, leadUser.id)).toMatchObject({ roles: ["LEAD", "APPROVER"], approverGrantedById: leadUser.id });
    expect((await eventsOf(grant.requestId))[0]).toMatchObject({ action: auditActions.MEMBER_ROLES_CHANGED, after: { roles: ["LEAD", "APPROVER"], grantedBy: { APPROVER: leadUser.id } } });

    // The page says why before they try; the service refuses with the same words.
    const page = await getSignoffPage(lead, project.slug);
    expect(page.slots.map((slot) => [slot.slot, slot.canSign])).toEqual([["GO_LIVE", false]]);
    expect(page.slots[0]?.signRefusal).toMatch(ANOTHER_LEAD_OR_ADMIN);
    const signing = ctx(lead);
    const refused = await expectAppError(signSlot(signing, { projectId: project.id, slot: "GO_LIVE", decision: "APPROVED", ...(await shownFor(project.id, "GO_LIVE")) }), "FORBIDDEN");
    expect(refused.message).toMatch(ANOTHER_LEAD_OR_ADMIN);
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(signing.requestId)).toEqual([]);

    // 3. Marking live: refused, with the reason in words, and shown on the page first.
    expect(page.markLive.allowed).toBe(false);
    expect(page.markLive.reasons).toEqual([expect.objectContaining({ code: "SIGNOFF_MISSING", slot: "GO_LIVE" })]);
    const marking = ctx(lead);
    const closed = await expectAppError(markProjectLive(marking, { projectId: project.id }), "CONFLICT");
    expect(closed.message).toMatch(/Go-live sign-off has not been given/);
    expect((await projectRow(project.id)).liveAt).toBeNull();
    expect(await db.goLive.count({ where: { projectId: project.id } })).toBe(0);
    expect(await eventsOf(marking.requestId)).toEqual([]);
    expect((await getGateForProject(project.id)).open).toBe(false);
  });

  it("an owner role given to oneself does not sign either: a lead who gives themself DBA where owners may approve cannot sign the DBA slot", async () => {
    const { project, lead, leadUser, adminUser, users } = await reviewProject({ dba: ["DBA"] });
    await makeItem(project, { area: "DBA" });
    await configureSlots(ctx(lead), { projectId: project.id, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: true, approveWithOpenItems: true });
    await setMemberRoles(ctx(lead), { projectId: project.id, userId: leadUser.id, roles: ["LEAD", "DBA"], expectedUpdatedAt: await memberUpdatedAt(project.id, leadUser.id) });
    expect(await grants(project.id, leadUser.id)).toMatchObject({ dbaGrantedById: leadUser.id, approverGrantedById: null });

    const c = ctx(lead);
    const error = await expectAppError(signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")) }), "FORBIDDEN");
    expect(error.message).toMatch(/granted yourself the DBA role/);
    expect(await eventsOf(c.requestId)).toEqual([]);

    // The DBA the admin added signs their area as owner, and keeps signing as owner (not as
    // approver) once they give themself APPROVER too.
    expect(await grants(project.id, users.dba.id)).toMatchObject({ dbaGrantedById: adminUser.id });
    const dba = await actorFor(users.dba);
    await sign(dba, project.id, "DBA");
    expect(await signoffOf(project.id, "DBA", 1)).toMatchObject({ state: "CURRENT", capacity: "DBA", approverId: users.dba.id });
    await setMemberRoles(ctx(lead), { projectId: project.id, userId: users.dba.id, roles: ["DBA", "LEAD"], expectedUpdatedAt: await memberUpdatedAt(project.id, users.dba.id) });
    const dbaAsLead = await actorFor(users.dba);
    await setMemberRoles(ctx(dbaAsLead), { projectId: project.id, userId: users.dba.id, roles: ["LEAD", "DBA", "APPROVER"], expectedUpdatedAt: await memberUpdatedAt(project.id, users.dba.id) });
    await sign(dbaAsLead, project.id, "DBA");
    expect(await signoffOf(project.id, "DBA", 2)).toMatchObject({ state: "CURRENT", capacity: "DBA" });
    await expectAppError(signSlot(ctx(dbaAsLead), { projectId: project.id, slot: "GO_LIVE", decision: "APPROVED", ...(await shownFor(project.id, "GO_LIVE")) }), "FORBIDDEN");
  });
});

describe("who granted a signing role is recorded, and a self-granted one never signs", () => {
  it("an admin who adds themself as approver cannot sign; the membership and member.added name them as grantor", async () => {
    const { project } = await reviewProject();
    await makeItem(project, { area: "DBA" });
    const { actor: admin, user: adminUser } = await makeActor(["ADMIN"]);
    const adding = ctx(admin);
    await addMember(adding, { projectId: project.id, userId: adminUser.id, roles: ["APPROVER"] });

    expect(await grants(project.id, adminUser.id)).toMatchObject({ roles: ["APPROVER"], approverGrantedById: adminUser.id });
    expect((await eventsOf(adding.requestId))[0]).toMatchObject({ action: auditActions.MEMBER_ADDED, actorId: adminUser.id, after: { roles: ["APPROVER"], grantedBy: { APPROVER: adminUser.id } } });
    const c = ctx(admin);
    const error = await expectAppError(signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")) }), "FORBIDDEN");
    expect(error.message).toMatch(ANOTHER_LEAD_OR_ADMIN);
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);
    expect((await getSignoffPage(admin, project.slug)).slots.every((slot) => !slot.canSign && ANOTHER_LEAD_OR_ADMIN.test(slot.signRefusal ?? ""))).toBe(true);
  });

  it("a second lead granting APPROVER lets the first sign; removing it forgets the grant; giving it back to oneself is a self-grant again", async () => {
    const { project, lead, leadUser, users } = await reviewProject({ secondLead: ["LEAD"] });
    await makeItem(project, { area: "DBA", status: "DONE" });
    const secondLead = await actorFor(users.secondLead);
    const set = async (by: Actor, roles: ProjectRole[]) => {
      const c = ctx(by);
      await setMemberRoles(c, { projectId: project.id, userId: leadUser.id, roles, expectedUpdatedAt: await memberUpdatedAt(project.id, leadUser.id) });
      return (await eventsOf(c.requestId))[0];
    };

    const granted = await set(secondLead, ["LEAD", "APPROVER"]);
    expect(granted).toMatchObject({ before: { grantedBy: {} }, after: { roles: ["LEAD", "APPROVER"], grantedBy: { APPROVER: users.secondLead.id } } });
    expect(await grants(project.id, leadUser.id)).toMatchObject({ approverGrantedById: users.secondLead.id });
    expect((await getSignoffPage(lead, project.slug)).slots.find((slot) => slot.slot === "DBA")).toMatchObject({ canSign: true, signRefusal: null });
    await sign(lead, project.id, "DBA");
    expect(await signoffOf(project.id, "DBA", 1)).toMatchObject({ state: "CURRENT", capacity: "APPROVER", approverId: leadUser.id });

    // Changing their other roles keeps who granted the one they keep: no laundering, no loss.
    await set(lead, ["LEAD", "DEVOPS", "APPROVER"]);
    expect(await grants(project.id, leadUser.id)).toMatchObject({ approverGrantedById: users.secondLead.id, devopsGrantedById: leadUser.id });

    await set(lead, ["LEAD", "DEVOPS"]);
    expect(await grants(project.id, leadUser.id)).toMatchObject({ approverGrantedById: null });
    const regranted = await set(lead, ["LEAD", "DEVOPS", "APPROVER"]);
    expect(regranted).toMatchObject({ after: { grantedBy: { APPROVER: leadUser.id, DEVOPS: leadUser.id } } });
    await expectAppError(signSlot(ctx(lead), { projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")) }), "FORBIDDEN");
    expect((await getSignoffPage(secondLead, project.slug)).project.members.find((member) => member.userId === leadUser.id)?.selfGrantedRoles).toEqual(["APPROVER", "DEVOPS"]);

    // Removed and added back by the other lead: their grant, so signing is allowed again.
    await removeMember(ctx(secondLead), { projectId: project.id, userId: leadUser.id });
    await addMember(ctx(secondLead), { projectId: project.id, userId: leadUser.id, roles: ["LEAD", "APPROVER"] });
    expect(await grants(project.id, leadUser.id)).toMatchObject({ approverGrantedById: users.secondLead.id, devopsGrantedById: null });
    await sign(lead, project.id, "DBA");
  });

  it("refuses a grant column without its role at the database", async () => {
    const { project, leadUser } = await reviewProject();
    await expect(db.projectMember.update({ where: { projectId_userId: { projectId: project.id, userId: leadUser.id } }, data: { approverGrantedById: leadUser.id } })).rejects.toThrow(/project_members_approver_grant_needs_role/);
  });
});

describe("four eyes at go-live", () => {
  /** Every item done with evidence, Go-live the only required slot; signed by `approver`. */
  async function readyFor(approver: "approver" | "lead") {
    const setup = await reviewProject({ approver: ["APPROVER"], secondLead: ["LEAD"] });
    const { project, lead, leadUser, users } = setup;
    const item = await makeItem(project, { area: "DBA", status: "DONE" });
    await makeEvidence(item, leadUser);
    await configureSlots(ctx(lead), { projectId: project.id, requiredSlots: ["GO_LIVE"], ownersMayApprove: false });
    if (approver === "lead") {
      await setMemberRoles(ctx(await actorFor(users.secondLead)), { projectId: project.id, userId: leadUser.id, roles: ["LEAD", "APPROVER"], expectedUpdatedAt: await memberUpdatedAt(project.id, leadUser.id) });
      await sign(lead, project.id, "GO_LIVE");
    } else {
      await sign(await actorFor(users.approver), project.id, "GO_LIVE");
    }
    expect((await getGateForProject(project.id)).open).toBe(true);
    return setup;
  }

  it("a Go-live approval by someone else lets the lead mark the project live", async () => {
    const { project, lead, leadUser } = await readyFor("approver");
    expect((await getSignoffPage(lead, project.slug)).markLive).toEqual({ allowed: true, reasons: [] });

    const { goLiveId } = await markProjectLive(ctx(lead), { projectId: project.id });

    expect(await db.goLive.findUniqueOrThrow({ where: { id: goLiveId } })).toMatchObject({ markedById: leadUser.id });
  });

  it("the lead who approved Go-live themself (APPROVER granted by another lead) cannot mark it live; the page says so first; the other lead may", async () => {
    const { project, lead, users } = await readyFor("lead");
    const page = await getSignoffPage(lead, project.slug);
    expect(page.gate.open).toBe(true);
    expect(page.markLive).toEqual({ allowed: false, reasons: [{ code: "GO_LIVE_NOT_INDEPENDENT", slot: "GO_LIVE", message: expect.stringMatching(/approved the Go-live sign-off yourself/) }] });
    const c = ctx(lead);

    const error = await expectAppError(markProjectLive(c, { projectId: project.id }), "CONFLICT");

    expect(error.message).toMatch(/approved the Go-live sign-off yourself.*Another lead or admin may mark the project live/);
    expect(error.data).toEqual({ reasons: page.markLive.reasons });
    expect((await projectRow(project.id)).liveAt).toBeNull();
    expect(await db.goLive.count({ where: { projectId: project.id } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);

    const secondLead = await actorFor(users.secondLead);
    expect((await getSignoffPage(secondLead, project.slug)).markLive.allowed).toBe(true);
    await markProjectLive(ctx(secondLead), { projectId: project.id });
    expect((await projectRow(project.id)).liveAt).not.toBeNull();
  });

  it("a project whose required slots predate the rule (no Go-live) cannot be marked live, however many others approved", async () => {
    const { project, lead, users } = await reviewProject({ approver: ["APPROVER"] });
    await setRequiredSlots(project, ["DBA"]);
    await makeItem(project, { area: "DBA", status: "NOT_APPLICABLE", statusReason: "No database." });
    await sign(await actorFor(users.approver), project.id, "DBA");
    expect((await getGateForProject(project.id)).open).toBe(true);
    const c = ctx(lead);

    const error = await expectAppError(markProjectLive(c, { projectId: project.id }), "CONFLICT");

    expect(error.data).toEqual({ reasons: [expect.objectContaining({ code: "GO_LIVE_NOT_REQUIRED" })] });
    expect(error.message).toMatch(/add Go-live in the sign-off settings/);
    expect((await getSignoffPage(lead, project.slug)).markLive.reasons.map((reason) => reason.code)).toEqual(["GO_LIVE_NOT_REQUIRED"]);
    expect(await db.goLive.count({ where: { projectId: project.id } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});

describe("changing the required slots after sign-offs", () => {
  /** DBA, Security and Go-live required; DBA and Go-live signed by one approver, Security by another. */
  async function signedProject() {
    const setup = await reviewProject({ approver: ["APPROVER"], otherApprover: ["APPROVER"] });
    const { project, lead, users } = setup;
    // Through the services, so that the rebuild from the audit trail has every item too.
    await importChecklist(ctx(lead), { projectId: project.id, markdown: "## Database\n\n- [ ] Database backups restored\n\n## Security\n\n- [ ] Secrets rotated\n", source: "review.md" });
    for (const item of await db.checklistItem.findMany({ where: { projectId: project.id }, select: { id: true, area: true } })) {
      expect(["DBA", "SECURITY"]).toContain(item.area);
      await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, status: "DONE", note: "Checked." });
    }
    await configureSlots(ctx(lead), { projectId: project.id, requiredSlots: ["DBA", "SECURITY", "GO_LIVE"], ownersMayApprove: false });
    const [first, second] = [await actorFor(users.approver), await actorFor(users.otherApprover)];
    await sign(first, project.id, "DBA");
    await sign(second, project.id, "SECURITY");
    await sign(first, project.id, "GO_LIVE");
    return { ...setup, first, second };
  }

  it("is allowed, and every current sign-off goes STALE in the same transaction, with the cause from what to what, audited and notified", async () => {
    const { project, lead, leadUser, users } = await signedProject();
    const before = await signoffsOf(project.id);
    expect(before.map((row) => [row.slot, row.state])).toEqual([
      ["DBA", "CURRENT"],
      ["SECURITY", "CURRENT"],
      ["GO_LIVE", "CURRENT"],
    ]);
    const c = ctx(lead);

    expect(await configureSlots(c, { projectId: project.id, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: false })).toEqual({ stale: ["DBA", "SECURITY", "GO_LIVE"] });

    const cause = {
      action: auditActions.SIGNOFF_SLOTS_CHANGED,
      itemId: null,
      title: "from DBA, Security and Go-live to DBA and Go-live",
      requiredSlots: { before: ["DBA", "SECURITY", "GO_LIVE"], after: ["DBA", "GO_LIVE"] },
    };
    const after = await signoffsOf(project.id);
    for (const row of after) expect(row, row.slot).toMatchObject({ state: "STALE", currentSlot: null, staleCause: cause, staleAt: expect.any(String) });
    const writer = await writerTransaction("projects", "id = $1::uuid", project.id);
    for (const row of after) expect(await checklistWriterTransaction("signoffs", "id = $1::uuid", row.id), row.slot).toBe(writer);

    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.SIGNOFF_SLOTS_CHANGED, auditActions.SIGNOFF_STALE, auditActions.SIGNOFF_STALE, auditActions.SIGNOFF_STALE]);
    expect(events[0]).toMatchObject({ actorId: leadUser.id, before: { requiredSlots: ["DBA", "SECURITY", "GO_LIVE"] }, after: { requiredSlots: ["DBA", "GO_LIVE"] } });
    for (const event of events.slice(1)) {
      const row = after.find((signoff) => signoff.id === event.entityId);
      expect(event).toMatchObject({ entityType: "signoff", before: { state: "CURRENT", digest: row?.digest }, after: { state: "STALE", digest: row?.digest, cause, staleAt: row?.staleAt } });
    }
    for (const event of events) expect(await writerTransaction("audit_events", "id = $1", event.id), event.action).toBe(writer);

    const notifications = await db.notification.findMany({ where: { projectId: project.id, kind: "SIGNOFF_STALE" }, orderBy: { title: "asc" }, select: { userId: true, title: true, body: true } });
    expect(notifications.map((notification) => [notification.userId, notification.title.replace(/ of .*/, "")])).toEqual([
      [users.approver.id, "Your DBA sign-off"],
      [users.otherApprover.id, "Your Security sign-off"],
      [users.approver.id, "Your go-live sign-off"],
    ]);
    for (const notification of notifications) expect(notification.body).toContain("changed what go-live requires (the required sign-offs changed from DBA, Security and Go-live to DBA and Go-live)");

    // What approvers see: the gate's reasons, the cause on each slot, and the rebuild agrees.
    const gate = await getGateForProject(project.id);
    expect(gate.reasons.map((reason) => [reason.code, "slot" in reason ? reason.slot : null])).toEqual([
      ["SIGNOFF_STALE", "DBA"],
      ["SIGNOFF_STALE", "GO_LIVE"],
    ]);
    const page = await getSignoffPage(await actorFor(users.approver), project.slug);
    expect(page.slots.map((slot) => [slot.slot, slot.staleCause])).toEqual([
      ["DBA", "the required sign-offs changed from DBA, Security and Go-live to DBA and Go-live"],
      ["GO_LIVE", "the required sign-offs changed from DBA, Security and Go-live to DBA and Go-live"],
    ]);
    const rebuilt = await getChecklistAsOf(lead, project.slug, new Date());
    expect(rebuilt.state.gaps).toEqual([]);
    expect(rebuiltProjection(rebuilt.state)).toEqual(await liveProjection(project.id));
    expect(rebuilt.gate).toEqual(gate);

    // Signed again, the gate opens on the new requirements.
    await sign(await actorFor(users.approver), project.id, "DBA");
    await sign(await actorFor(users.approver), project.id, "GO_LIVE");
    expect((await getGateForProject(project.id)).open).toBe(true);
  });

  it("leaves sign-offs that are already stale or superseded alone, and adding a slot stales the current ones too", async () => {
    const { project, lead, first } = await signedProject();
    const security = await db.checklistItem.findFirstOrThrow({ where: { projectId: project.id, area: "SECURITY" }, select: { id: true, version: true } });
    await updateItem(ctx(lead), { itemId: security.id, expectedVersion: security.version, title: "Secrets rotated quarterly" });
    await sign(first, project.id, "DBA");
    const before = await signoffsOf(project.id);
    expect(before.map((row) => [row.slot, row.round, row.state])).toEqual([
      ["DBA", 1, "SUPERSEDED"],
      ["DBA", 2, "CURRENT"],
      ["SECURITY", 1, "STALE"],
      ["GO_LIVE", 1, "STALE"],
    ]);
    const c = ctx(lead);

    expect(await configureSlots(c, { projectId: project.id, requiredSlots: ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"], ownersMayApprove: false })).toEqual({ stale: ["DBA"] });

    expect((await signoffsOf(project.id)).map((row) => [row.slot, row.round, row.state])).toEqual([
      ["DBA", 1, "SUPERSEDED"],
      ["DBA", 2, "STALE"],
      ["SECURITY", 1, "STALE"],
      ["GO_LIVE", 1, "STALE"],
    ]);
    expect((await signoffOf(project.id, "SECURITY", 1)).staleCause).toMatchObject({ action: auditActions.ITEM_UPDATED });
    expect((await eventsOf(c.requestId)).map((event) => [event.action, (event.after as { slot?: string }).slot ?? null])).toEqual([
      [auditActions.SIGNOFF_SLOTS_CHANGED, null],
      [auditActions.SIGNOFF_STALE, "DBA"],
    ]);
  });

  it("changing only whether owners may approve leaves the current sign-offs as they are", async () => {
    const { project, lead } = await signedProject();
    const before = await signoffsOf(project.id);
    const c = ctx(lead);

    expect(await configureSlots(c, { projectId: project.id, requiredSlots: ["GO_LIVE", "SECURITY", "DBA"], ownersMayApprove: true })).toEqual({ stale: [] });

    expect(await signoffsOf(project.id)).toEqual(before);
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.SIGNOFF_SLOTS_CHANGED]);
    expect((await projectRow(project.id)).ownersMayApprove).toBe(true);
  });

  it("is refused once the project is live, with CONFLICT saying so", async () => {
    const { project, lead, users } = await signedProject();
    await markProjectLive(ctx(lead), { projectId: project.id });
    const before = await projectRow(project.id);
    const c = ctx(lead);

    const error = await expectAppError(configureSlots(c, { projectId: project.id, requiredSlots: ["GO_LIVE"], ownersMayApprove: false }), "CONFLICT");

    expect(error.message).toMatch(/project is live/);
    expect(await projectRow(project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
    expect((await getSignoffPage(await actorFor(users.approver), project.slug)).canConfigure).toBe(false);
  });

  it("the decision package lists every change of the required sign-offs, with who and when, in words, and what each made stale", async () => {
    const { project, lead, leadUser, users } = await signedProject();
    await configureSlots(ctx(lead), { projectId: project.id, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: false });
    const approver = await actorFor(users.approver);
    await sign(approver, project.id, "DBA");
    await sign(approver, project.id, "GO_LIVE");
    const { goLiveId } = await markProjectLive(ctx(lead), { projectId: project.id });

    const pkg = await getDecisionPackage(lead, project.slug, goLiveId, await currentIntegrity(), "UTC");

    expect(pkg.slotChanges.map((change) => [change.actorName, change.description, change.madeStale])).toEqual([
      [leadUser.name, "Changed the required sign-offs from DevOps, DBA, Security and Go-live to DBA, Security and Go-live", []],
      [leadUser.name, "Changed the required sign-offs from DBA, Security and Go-live to DBA and Go-live", ["DBA", "SECURITY", "GO_LIVE"]],
    ]);
    const markdown = decisionPackageMarkdown(pkg);
    expect(markdown).toContain("## Changes of the required sign-offs");
    expect(markdown).toContain("- Required at go-live: DBA and Go-live.");
    expect(markdown).toMatch(
      new RegExp(`- [^\\n]+ \\(UTC\\) ${leadUser.name}: Changed the required sign-offs from DBA, Security and Go-live to DBA and Go-live\\. The current DBA, Security and Go-live sign-offs went stale and had to be given again\\.`),
    );
    // The excerpt says it in words too, not as a raw action code.
    expect(markdown).not.toContain("signoff.slots_changed");
    expect(markdown).toContain("The Go-live sign-off went stale (the required sign-offs changed from DBA, Security and Go-live to DBA and Go-live)");
  });
});
