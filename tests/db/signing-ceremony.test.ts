import { describe, expect, it } from "vitest";
import type { SignoffSlot } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { decisionPackageMarkdown, getDecisionPackage } from "@/lib/audit/decision-package";
import { currentIntegrity } from "@/lib/audit/integrity";
import { acceptWaiver, updateItem } from "@/lib/checklists/mutations";
import { getSignoffPage } from "@/lib/signoffs/data";
import { configureSlots, markProjectLive, signSlot } from "@/lib/signoffs/mutations";
import { hashPassword } from "@/lib/users/password";
import { signingProofWindowSeconds } from "@/lib/users/proof";
import {
  checklistWriterTransaction,
  ctx,
  eventsOf,
  expectAppError,
  isoDay,
  makeItem,
  makeProject,
  makeUser,
  setRequiredSlots,
  shownFor,
  signIn,
  signoffsOf,
  writerTransaction,
  type TestUser,
} from "./factories";

// Signing is a ceremony (21 CFR Part 11 §11.50, §11.200): a sign-off, a rejection or going live
// needs a proof of identity from the last few minutes, or the password again in the same submit;
// the signature records who signed (printed name and title), when, what it means and how they
// proved it. The proof is aged by writing the session row, never by waiting.

const PASSWORD = "correct horse battery staple";

async function withPassword(user: TestUser): Promise<TestUser> {
  await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(PASSWORD), title: "Head of Reliability" } });
  return user;
}

/** Makes the session's last proof older than the signing window. */
async function ageProof(sessionId: string, seconds = signingProofWindowSeconds() + 60): Promise<Date> {
  const at = new Date(Date.now() - seconds * 1_000);
  await db.userSession.update({ where: { id: sessionId }, data: { lastProofAt: at } });
  return at;
}

async function sessionRow(sessionId: string) {
  return db.userSession.findUniqueOrThrow({ where: { id: sessionId }, select: { lastProofAt: true, lastProofMethod: true } });
}

async function failuresCounted(email: string): Promise<number> {
  const rows = await db.$queryRaw<{ points: number }[]>`SELECT points FROM rate_limits WHERE key = ${`signin-account:${email}`}`;
  return rows[0]?.points ?? 0;
}

/** A project requiring the DBA and Go-live slots, an approver (with a password) and a lead, and one DBA item done. */
async function review() {
  const approverUser = await withPassword(await makeUser());
  const leadUser = await withPassword(await makeUser());
  const project = await makeProject([
    { user: approverUser, roles: ["APPROVER"] },
    { user: leadUser, roles: ["LEAD"] },
  ]);
  await setRequiredSlots(project, ["DBA", "GO_LIVE"]);
  await makeItem(project, { area: "DBA", required: false, title: "Backups run nightly" });
  return { project, approverUser, leadUser, approver: await signIn(approverUser), lead: await signIn(leadUser) };
}

async function signInput(projectId: string, slot: SignoffSlot, extra: Record<string, unknown> = {}) {
  return { projectId, slot, decision: "APPROVED", ...(await shownFor(projectId, slot)), ...extra };
}

describe("signing needs a recent proof of identity", () => {
  it("a fresh sign-in signs without the password, and the sign-off records name, title, time, meaning and the session's proof", async () => {
    const { project, approverUser, approver } = await review();
    const c = ctx(approver.actor);

    await signSlot(c, await signInput(project.id, "DBA"));

    const [row] = await signoffsOf(project.id);
    const session = await sessionRow(approver.sessionId);
    expect(row).toMatchObject({
      approverName: approverUser.name,
      approverTitle: "Head of Reliability",
      decision: "APPROVED",
      capacity: "APPROVER",
      reauthMethod: "recent-session",
      reauthAt: session.lastProofAt.toISOString(),
      reauthBasis: "test",
    });
    expect(row?.meaning).toBe(
      `I, ${approverUser.name}, Head of Reliability, approve the DBA sign-off of ${project.name} as approver: I reviewed the 1 item of the DBA area in the state shown to me and accept responsibility that it is ready for production.`,
    );
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.SIGNOFF_GIVEN]);
    expect(events[0]?.after).toMatchObject({ meaning: row?.meaning, reauthMethod: "recent-session", reauthBasis: "test" });
  });

  it("a stale proof: refused without the password (on the password field), and nothing is written", async () => {
    const { project, approver } = await review();
    const agedAt = await ageProof(approver.sessionId);
    const c = ctx(approver.actor);

    const error = await expectAppError(signSlot(c, await signInput(project.id, "DBA", { comment: "Looks good." })), "INVALID_INPUT");

    expect(error.fieldErrors?.password?.[0]).toMatch(/Enter your password to sign/);
    expect(error.data).toEqual({ proofRequired: { methods: ["password"], windowSeconds: signingProofWindowSeconds() } });
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);
    expect((await sessionRow(approver.sessionId)).lastProofAt).toEqual(agedAt);
    // The page knows before the person tries.
    expect((await getSignoffPage(approver.actor, project.slug)).proofNeeded).toBe(true);
  });

  it("a stale proof with a wrong password: refused on the password field, counted against the account's sign-in limit, nothing written", async () => {
    const { project, approverUser, approver } = await review();
    const agedAt = await ageProof(approver.sessionId);
    const c = { ...ctx(approver.actor), address: "203.0.113.7" };
    const before = await failuresCounted(approverUser.email);

    const error = await expectAppError(signSlot(c, await signInput(project.id, "DBA", { password: "not my password at all" })), "INVALID_INPUT");

    expect(error.fieldErrors).toEqual({ password: ["This is not your password."] });
    expect(await failuresCounted(approverUser.email)).toBe(before + 1);
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);
    expect((await sessionRow(approver.sessionId)).lastProofAt).toEqual(agedAt);
  });

  it("past the account's limit of wrong passwords, signing is refused with RATE_LIMITED even with the right one", async () => {
    const { project, approver } = await review();
    await ageProof(approver.sessionId);
    for (let attempt = 0; attempt < 10; attempt++) {
      await expectAppError(signSlot(ctx(approver.actor), await signInput(project.id, "DBA", { password: `wrong guess ${attempt}` })), "INVALID_INPUT");
    }

    await expectAppError(signSlot(ctx(approver.actor), await signInput(project.id, "DBA", { password: PASSWORD })), "RATE_LIMITED");
    expect(await signoffsOf(project.id)).toEqual([]);
  });

  it("a stale proof with the right password: signs, renews the session's proof, and records how, in one transaction, without the password", async () => {
    const { project, approver } = await review();
    await ageProof(approver.sessionId);
    const c = ctx(approver.actor);
    const startedAt = Date.now();

    await signSlot(c, await signInput(project.id, "DBA", { password: PASSWORD }));

    const [row] = await signoffsOf(project.id);
    const session = await sessionRow(approver.sessionId);
    expect(session.lastProofMethod).toBe("password");
    expect(session.lastProofAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1);
    expect(row).toMatchObject({ reauthMethod: "password", reauthAt: session.lastProofAt.toISOString(), reauthBasis: null });
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.AUTH_REAUTHENTICATED, auditActions.SIGNOFF_GIVEN]);
    expect(events[0]).toMatchObject({ entityType: "session", entityId: approver.sessionId, after: { method: "password", for: auditActions.SIGNOFF_GIVEN } });
    expect(JSON.stringify(events.map((event) => [event.before, event.after]))).not.toContain(PASSWORD);
    expect(await writerTransaction("user_sessions", "id = $1::uuid", approver.sessionId)).toBe(await checklistWriterTransaction("signoffs", "id = $1::uuid", row?.id));

    // Renewed: the next signature, a rejection this time, needs no password.
    await signSlot(ctx(approver.actor), await signInput(project.id, "DBA", { decision: "REJECTED", reason: "Restore not tested." }));
    expect((await signoffsOf(project.id)).map((signoff) => [signoff.round, signoff.decision, signoff.reauthMethod])).toEqual([
      [1, "APPROVED", "password"],
      [2, "REJECTED", "recent-session"],
    ]);
  });

  it("a signing request without a session (a token, the command line) is refused", async () => {
    const { project, approver } = await review();
    const { sessionId: _sessionId, ...withoutSession } = approver.actor;
    await expectAppError(signSlot(ctx(withoutSession), await signInput(project.id, "DBA")), "FORBIDDEN");
    expect(await signoffsOf(project.id)).toEqual([]);
  });
});

describe("marking a project live needs a recent proof of identity too", () => {
  async function readyToGoLive() {
    const setup = await review();
    await signSlot(ctx(setup.approver.actor), await signInput(setup.project.id, "DBA"));
    await signSlot(ctx(setup.approver.actor), await signInput(setup.project.id, "GO_LIVE"));
    return setup;
  }

  it("stale: refused without the password and with a wrong one (counted), nothing written; with the right one it goes live and records the proof", async () => {
    const { project, leadUser, lead } = await readyToGoLive();
    await ageProof(lead.sessionId);
    const before = await failuresCounted(leadUser.email);

    const missing = ctx(lead.actor);
    expect((await expectAppError(markProjectLive(missing, { projectId: project.id }), "INVALID_INPUT")).fieldErrors?.password).toBeDefined();
    const wrong = ctx(lead.actor);
    expect((await expectAppError(markProjectLive(wrong, { projectId: project.id, password: "guessing again here" }), "INVALID_INPUT")).fieldErrors).toEqual({ password: ["This is not your password."] });
    expect(await failuresCounted(leadUser.email)).toBe(before + 1);
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).liveAt).toBeNull();
    expect(await db.goLive.count({ where: { projectId: project.id } })).toBe(0);
    expect([...(await eventsOf(missing.requestId)), ...(await eventsOf(wrong.requestId))]).toEqual([]);

    const c = ctx(lead.actor);
    const { goLiveId } = await markProjectLive(c, { projectId: project.id, password: PASSWORD });

    const goLive = await db.goLive.findUniqueOrThrow({ where: { id: goLiveId } });
    expect(goLive).toMatchObject({ reauthMethod: "password", reauthBasis: null });
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.AUTH_REAUTHENTICATED, auditActions.PROJECT_LIVE]);
    expect((await eventsOf(c.requestId))[1]?.after).toMatchObject({ reauth: { method: "password", basis: null } });
  });

  it("fresh: goes live on the session's proof, recorded as such", async () => {
    const { project, lead } = await readyToGoLive();
    const { goLiveId } = await markProjectLive(ctx(lead.actor), { projectId: project.id });
    expect(await db.goLive.findUniqueOrThrow({ where: { id: goLiveId } })).toMatchObject({ reauthMethod: "recent-session", reauthBasis: "test" });
  });

  it("the decision package shows each signature's meaning and proof, and how whoever marked it live proved it, in words", async () => {
    const { project, approverUser, approver, lead } = await readyToGoLive();
    await ageProof(approver.sessionId);
    await signSlot(ctx(approver.actor), await signInput(project.id, "GO_LIVE", { password: PASSWORD }));
    await ageProof(lead.sessionId);
    const { goLiveId } = await markProjectLive(ctx(lead.actor), { projectId: project.id, password: PASSWORD });

    const markdown = decisionPackageMarkdown(await getDecisionPackage(lead.actor, project.slug, goLiveId, await currentIntegrity(), "UTC"));

    expect(markdown).toContain("- Identity of whoever marked it live: password re-entered to sign.");
    expect(markdown).toContain(`DBA round 1: approved by ${approverUser.name}, Head of Reliability as approver`);
    expect(markdown).toContain(`  - Meaning: I, ${approverUser.name}, Head of Reliability, approve the DBA sign-off of ${project.name} as approver`);
    // The DBA round stood on the session's sign-in ("test" in these tests: factories.signIn).
    expect(markdown).toMatch(/ {2}- Identity: test given in this session \d+ seconds? before, within the signing window/);
    expect(markdown).toContain(`  - Meaning: I, ${approverUser.name}, Head of Reliability, approve the Go-live sign-off of ${project.name} as approver: I reviewed the whole checklist (1 item)`);
    expect(markdown).toContain("  - Identity: password re-entered to sign");
    expect(markdown).not.toContain(PASSWORD);
  });
});

describe("accepting a waiver needs a recent proof of identity too", () => {
  /** review()'s people, and a DBA item whose waiver the lead requested (naming themself the risk owner), for the approver to accept. */
  async function waiverRequested() {
    const setup = await review();
    const item = await makeItem(setup.project, { area: "DBA", title: "Point-in-time recovery" });
    const requested = await updateItem(ctx(setup.lead.actor), {
      itemId: item.id,
      expectedVersion: item.version,
      status: "WAIVED",
      statusReason: "Nightly backups suffice until the replica lands.",
      waiverRiskOwnerId: setup.leadUser.id,
      waiverExpiresAt: isoDay(30),
    });
    return { ...setup, item, accept: { itemId: item.id, expectedVersion: requested.version } };
  }

  async function unaccepted(itemId: string, version: number) {
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: itemId }, select: { version: true, waiverAcceptedById: true, waiverAcceptedAt: true } })).toEqual({ version, waiverAcceptedById: null, waiverAcceptedAt: null });
    expect(await db.notification.count({ where: { itemId, kind: "WAIVER_ACCEPTED" } })).toBe(0);
  }

  it("stale: refused without the password (on the password field) and with a wrong one (counted), nothing written", async () => {
    const { approverUser, approver, item, accept } = await waiverRequested();
    const agedAt = await ageProof(approver.sessionId);
    const before = await failuresCounted(approverUser.email);

    const missing = ctx(approver.actor);
    const refused = await expectAppError(acceptWaiver(missing, accept), "INVALID_INPUT");
    expect(refused.fieldErrors?.password?.[0]).toMatch(/Enter your password to sign/);
    expect(refused.data).toEqual({ proofRequired: { methods: ["password"], windowSeconds: signingProofWindowSeconds() } });

    const wrong = { ...ctx(approver.actor), address: "203.0.113.8" };
    expect((await expectAppError(acceptWaiver(wrong, { ...accept, password: "not my password at all" }), "INVALID_INPUT")).fieldErrors).toEqual({ password: ["This is not your password."] });
    expect(await failuresCounted(approverUser.email)).toBe(before + 1);

    await unaccepted(item.id, accept.expectedVersion);
    expect([...(await eventsOf(missing.requestId)), ...(await eventsOf(wrong.requestId))]).toEqual([]);
    expect((await sessionRow(approver.sessionId)).lastProofAt).toEqual(agedAt);
  });

  it("stale with the right password: accepted, the session's proof renewed and the proof recorded in the acceptance's event, in one transaction, without the password", async () => {
    const { approverUser, approver, item, accept } = await waiverRequested();
    await ageProof(approver.sessionId);
    const c = ctx(approver.actor);
    const startedAt = Date.now();

    await acceptWaiver(c, { ...accept, password: PASSWORD });

    const stored = await db.checklistItem.findUniqueOrThrow({ where: { id: item.id }, select: { version: true, waiverAcceptedById: true } });
    expect(stored).toEqual({ version: accept.expectedVersion + 1, waiverAcceptedById: approverUser.id });
    const session = await sessionRow(approver.sessionId);
    expect(session.lastProofMethod).toBe("password");
    expect(session.lastProofAt.getTime()).toBeGreaterThanOrEqual(startedAt - 1);
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.AUTH_REAUTHENTICATED, auditActions.WAIVER_ACCEPTED]);
    expect(events[0]).toMatchObject({ entityType: "session", entityId: approver.sessionId, after: { method: "password", for: auditActions.WAIVER_ACCEPTED } });
    expect(events[1]?.after).toMatchObject({ waiverAcceptedById: approverUser.id, reauth: { method: "password", at: session.lastProofAt.toISOString(), basis: null } });
    expect(JSON.stringify(events.map((event) => [event.before, event.after]))).not.toContain(PASSWORD);
    expect(await writerTransaction("user_sessions", "id = $1::uuid", approver.sessionId)).toBe(await checklistWriterTransaction("checklist_items", "id = $1::uuid", item.id));
  });

  it("fresh: accepted on the session's proof, recorded as such", async () => {
    const { approver, accept } = await waiverRequested();
    const c = ctx(approver.actor);

    await acceptWaiver(c, accept);

    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.WAIVER_ACCEPTED]);
    expect(events[0]?.after).toMatchObject({ reauth: { method: "recent-session", basis: "test" } });
  });

  it("is refused for what it is first: the requester is not asked for a password, and a request without a session is refused", async () => {
    const { lead, approver, item, accept } = await waiverRequested();
    await ageProof(lead.sessionId);
    await expectAppError(acceptWaiver(ctx(lead.actor), accept), "FORBIDDEN");
    const { sessionId: _sessionId, ...withoutSession } = approver.actor;
    await expectAppError(acceptWaiver(ctx(withoutSession), accept), "FORBIDDEN");
    await unaccepted(item.id, accept.expectedVersion);
  });
});

describe("separation of duties", () => {
  /** An approver who is also the DBA owner (both granted by another lead), a second approver, a lead. */
  async function dutiesProject(separationOfDuties: boolean) {
    const doer = await makeUser();
    const other = await makeUser();
    const leadUser = await makeUser();
    const project = await makeProject([
      { user: doer, roles: ["DBA", "APPROVER"] },
      { user: other, roles: ["APPROVER"] },
      { user: leadUser, roles: ["LEAD"] },
    ]);
    const lead = (await signIn(leadUser)).actor;
    const c = ctx(lead);
    await configureSlots(c, { projectId: project.id, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: false, separationOfDuties });
    const done = await makeItem(project, { area: "DBA", title: "Backups run nightly" });
    const waived = await makeItem(project, { area: "DBA", title: "Point-in-time recovery" });
    const doerActor = (await signIn(doer)).actor;
    await updateItem(ctx(doerActor), { itemId: done.id, expectedVersion: done.version, status: "DONE", note: "Restore drill passed." });
    // The doer requests the waiver (naming the lead as risk owner); the lead accepts it.
    const requested = await updateItem(ctx(doerActor), { itemId: waived.id, expectedVersion: waived.version, status: "WAIVED", statusReason: "Nightly backups suffice for now.", waiverRiskOwnerId: leadUser.id, waiverExpiresAt: isoDay(30) });
    await acceptWaiver(ctx(lead), { itemId: waived.id, expectedVersion: requested.version });
    return { project, doer: doerActor, other: (await signIn(other)).actor, lead, settingsRequestId: c.requestId };
  }

  it("is off by default, and a lead turns it on through the sign-off settings, audited", async () => {
    const { project, settingsRequestId } = await dutiesProject(true);
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).separationOfDuties).toBe(true);
    const [event] = await eventsOf(settingsRequestId);
    expect(event).toMatchObject({ action: auditActions.SIGNOFF_SLOTS_CHANGED, before: { separationOfDuties: false }, after: { separationOfDuties: true } });
    expect((await db.project.findUniqueOrThrow({ where: { id: (await makeProject([])).id } })).separationOfDuties).toBe(false);
  });

  it("on: whoever completed or waived an item of the scope may not approve it (named items), nothing written; they may reject; another approver may approve", async () => {
    const { project, doer, other } = await dutiesProject(true);
    const c = ctx(doer);

    const error = await expectAppError(signSlot(c, await signInput(project.id, "DBA")), "FORBIDDEN");

    expect(error.message).toContain("“Backups run nightly” (you marked it done)");
    expect(error.message).toContain("“Point-in-time recovery” (you waived it)");
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);
    // The page says so before they try.
    const page = await getSignoffPage(doer, project.slug);
    expect(page.slots.find((slot) => slot.slot === "DBA")?.approveRefusal).toContain("Backups run nightly");
    await signSlot(ctx(doer), await signInput(project.id, "DBA", { decision: "REJECTED", reason: "I did this myself." }));
    await signSlot(ctx(other), await signInput(project.id, "DBA"));
    expect((await signoffsOf(project.id)).map((row) => [row.slot, row.round, row.decision, row.approverId])).toEqual([
      ["DBA", 1, "REJECTED", doer.id],
      ["DBA", 2, "APPROVED", other.id],
    ]);
    // Go-live covers the whole checklist, their work included.
    expect((await expectAppError(signSlot(ctx(doer), await signInput(project.id, "GO_LIVE")), "FORBIDDEN")).message).toContain("Backups run nightly");
  });

  it("on: what counts is who brought the item to its present state: once another redid it, it no longer stands in the way", async () => {
    const { project, doer, lead } = await dutiesProject(true);
    const item = await db.checklistItem.findFirstOrThrow({ where: { projectId: project.id, title: "Backups run nightly" } });
    const reopened = await updateItem(ctx(lead), { itemId: item.id, expectedVersion: item.version, status: "TODO" });
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: reopened.version, status: "DONE", note: "Drill repeated by the lead." });

    const refused = await expectAppError(signSlot(ctx(doer), await signInput(project.id, "DBA")), "FORBIDDEN");

    expect(refused.message).toContain("Point-in-time recovery");
    expect(refused.message).not.toContain("Backups run nightly");
  });

  it("off: the same approver approves", async () => {
    const { project, doer } = await dutiesProject(false);
    await signSlot(ctx(doer), await signInput(project.id, "DBA"));
    expect((await signoffsOf(project.id)).map((row) => row.decision)).toEqual(["APPROVED"]);
  });
});

describe("sign-in records the proof", () => {
  it("a session begins with a proof at its time, by the sign-in's method", async () => {
    const user = await makeUser();
    const { sessionId } = await signIn(user);
    const row = await db.userSession.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.lastProofMethod).toBe("test");
    expect(Math.abs(row.lastProofAt.getTime() - row.createdAt.getTime())).toBeLessThan(1_000);
  });
});
