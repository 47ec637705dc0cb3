import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SignoffSlot } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import { addComment, addEvidence, importChecklist, removeEvidence, updateItem } from "@/lib/checklists/mutations";
import { getGateForProject, getSignoffPage, loadScope } from "@/lib/signoffs/data";
import { scopeDigest, type ScopeItem } from "@/lib/signoffs/digest";
import type { GateReason } from "@/lib/signoffs/gate";
import { configureSlots, markProjectLive, signSlot } from "@/lib/signoffs/mutations";
import {
  actorFor,
  checklistWriterTransaction,
  ctx,
  eventsOf,
  expectAppError,
  isoDay,
  itemState,
  makeActor,
  makeEvidence,
  makeItem,
  makeProject,
  makeTeam,
  makeUser,
  setRequiredSlots,
  shownFor,
  sign,
  signoffOf,
  signoffsOf,
  writerTransaction,
  type TestTeam,
} from "./factories";

// Sign-offs against a real database: an approver signs exactly the state they were shown, on
// top of the round they saw; racing signatures end with one current round; a change to an
// item a sign-off covers makes it stale in the change's own transaction; go-live freezes a
// snapshot that later changes do not touch.

const ALL_SLOTS: SignoffSlot[] = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"];

function codesOf(results: PromiseSettledResult<unknown>[]): string[] {
  return results
    .map((result) => {
      if (result.status === "fulfilled") return "OK";
      return result.reason instanceof AppError ? result.reason.code : `unexpected: ${String(result.reason)}`;
    })
    .sort();
}

async function eventsOfAll(requestIds: string[]) {
  return (await Promise.all(requestIds.map((requestId) => eventsOf(requestId)))).flat();
}

/** Waits until `count` backends wait, directly or behind another waiter, on the lock held by `pid`. */
async function waitForWaiters(pid: number, count: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      WITH RECURSIVE waiting(pid) AS (
        SELECT activity.pid FROM pg_stat_activity activity WHERE ${pid}::int = ANY(pg_blocking_pids(activity.pid))
        UNION
        SELECT activity.pid FROM pg_stat_activity activity JOIN waiting ON waiting.pid = ANY(pg_blocking_pids(activity.pid))
      )
      SELECT count(*)::int AS n FROM waiting`;
    if ((row?.n ?? 0) >= count) return;
    if (Date.now() > deadline) throw new Error(`expected ${count} transactions waiting on backend ${pid}, saw ${row?.n ?? 0}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("signSlot", () => {
  it("an APPROVER signs the DBA slot on the digest the page showed: round 1 CURRENT, name and title copied, one signoff.given event in the same transaction", async () => {
    const { project, users, as } = await makeTeam(["LEAD", "DBA", "APPROVER"]);
    await db.user.update({ where: { id: users.APPROVER.id }, data: { title: "Head of Data Platform" } });
    const done = await makeItem(project, { area: "DBA", status: "DONE", title: "Backups run nightly" });
    await makeEvidence(done, users.DBA);
    const open = await makeItem(project, { area: "DBA", required: false, title: "Slow query log reviewed" });
    await makeItem(project, { area: "SECURITY", title: "TLS everywhere" });
    const approver = await as("APPROVER");
    const page = await getSignoffPage(approver, project.slug);
    const shown = page.slots.find((slot) => slot.slot === "DBA");
    expect(shown).toMatchObject({ latest: null, canSign: true, changes: null, readiness: { items: 2, done: 1, open: 1 } });
    const c = ctx(approver);

    const result = await signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", comment: "Restore tested on staging.", confirmOpenItems: true, expectedRound: 0, expectedDigest: shown?.digest });

    const digest = scopeDigest(await loadScope(db, project.id, "DBA"));
    expect(shown?.digest).toBe(digest);
    expect(result).toEqual({ round: 1, digest });
    const rows = await db.signoff.findMany({ where: { projectId: project.id } });
    expect(rows).toHaveLength(1);
    const row = await signoffOf(project.id, "DBA", 1);
    expect(row).toMatchObject({
      slot: "DBA",
      round: 1,
      currentSlot: "DBA",
      state: "CURRENT",
      decision: "APPROVED",
      approverId: users.APPROVER.id,
      approverName: users.APPROVER.name,
      approverTitle: "Head of Data Platform",
      capacity: "APPROVER",
      comment: "Restore tested on staging.",
      reason: null,
      digest,
      staleAt: null,
      staleCause: null,
    });
    const scope = row.scope as unknown as ScopeItem[];
    expect(scope.map((item) => item.id).sort()).toEqual([done.id, open.id].sort());
    expect(scopeDigest(scope)).toBe(digest);

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: auditActions.SIGNOFF_GIVEN,
      entityType: "signoff",
      entityId: row.id,
      projectId: project.id,
      actorId: users.APPROVER.id,
      actorName: users.APPROVER.name,
      after: {
        slot: "DBA",
        round: 1,
        decision: "APPROVED",
        digest,
        items: 2,
        approverName: users.APPROVER.name,
        approverTitle: "Head of Data Platform",
        capacity: "APPROVER",
        signedAt: row.signedAt.toISOString(),
      },
    });
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(await checklistWriterTransaction("signoffs", "id = $1::uuid", row.id));

    // The sign-off records who signed as they were: renaming them later changes nothing.
    await db.user.update({ where: { id: users.APPROVER.id }, data: { name: "Renamed Approver", title: "CTO" } });
    expect(await signoffOf(project.id, "DBA", 1)).toMatchObject({ approverName: users.APPROVER.name, approverTitle: "Head of Data Platform" });
    const gate = await getGateForProject(project.id);
    expect(gate.signoffs.map((signoff) => signoff.approver)).toEqual([{ id: users.APPROVER.id, name: users.APPROVER.name, title: "Head of Data Platform", capacity: "APPROVER" }]);
  });

  it("refuses a digest that no longer matches what the slot covers: CONFLICT with the current digest, nothing written", async () => {
    const { project, as } = await makeTeam(["DBA", "APPROVER"]);
    const item = await makeItem(project, { area: "DBA" });
    const shown = await shownFor(project.id, "DBA");
    await updateItem(ctx(await as("DBA")), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" });
    const approver = await as("APPROVER");
    const c = ctx(approver);

    const error = await expectAppError(signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...shown }), "CONFLICT");

    const now = scopeDigest(await loadScope(db, project.id, "DBA"));
    expect(now).not.toBe(shown.expectedDigest);
    expect(error.data).toEqual({ digest: now });
    const madeUp = ctx(approver);
    await expectAppError(signSlot(madeUp, { projectId: project.id, slot: "DBA", decision: "APPROVED", confirmOpenItems: true, expectedRound: 0, expectedDigest: "0".repeat(64) }), "CONFLICT");
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOfAll([c.requestId, madeUp.requestId])).toEqual([]);
  });

  it("refuses an expectedRound that is not the latest round (behind or ahead) with CONFLICT, rows unchanged", async () => {
    const { project, as } = await makeTeam(["APPROVER"]);
    await makeItem(project, { area: "DBA" });
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DBA");
    const before = await signoffsOf(project.id);
    const { expectedDigest } = await shownFor(project.id, "DBA");
    const [behind, ahead] = [ctx(approver), ctx(approver)];

    await expectAppError(signSlot(behind, { projectId: project.id, slot: "DBA", decision: "APPROVED", confirmOpenItems: true, expectedRound: 0, expectedDigest }), "CONFLICT");
    await expectAppError(signSlot(ahead, { projectId: project.id, slot: "DBA", decision: "APPROVED", confirmOpenItems: true, expectedRound: 2, expectedDigest }), "CONFLICT");

    expect(await signoffsOf(project.id)).toEqual(before);
    expect(await eventsOfAll([behind.requestId, ahead.requestId])).toEqual([]);
  });

  it("refuses a rejection without a reason with INVALID_INPUT naming `reason`; with one it is recorded and closes the gate", async () => {
    const { project, users, as } = await makeTeam(["APPROVER"]);
    await makeItem(project, { area: "SECURITY", status: "NOT_APPLICABLE", statusReason: "No external traffic." });
    await setRequiredSlots(project, ["SECURITY"]);
    const approver = await as("APPROVER");
    const shown = await shownFor(project.id, "SECURITY");
    const [missing, blank] = [ctx(approver), ctx(approver)];

    const error = await expectAppError(signSlot(missing, { projectId: project.id, slot: "SECURITY", decision: "REJECTED", ...shown }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["reason"]);
    const blankError = await expectAppError(signSlot(blank, { projectId: project.id, slot: "SECURITY", decision: "REJECTED", reason: "   ", ...shown }), "INVALID_INPUT");
    expect(blankError.fieldErrors?.reason).toBeDefined();
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOfAll([missing.requestId, blank.requestId])).toEqual([]);

    await sign(approver, project.id, "SECURITY", { decision: "REJECTED", reason: "No penetration test yet." });

    expect(await signoffOf(project.id, "SECURITY", 1)).toMatchObject({ state: "CURRENT", decision: "REJECTED", reason: "No penetration test yet.", approverId: users.APPROVER.id });
    const gate = await getGateForProject(project.id);
    expect(gate.reasons).toEqual([{ code: "SIGNOFF_REJECTED", slot: "SECURITY", message: expect.stringContaining(users.APPROVER.name) }]);
  });

  it("refuses a slot the project does not require with INVALID_INPUT naming `slot`", async () => {
    const { project, as } = await makeTeam(["APPROVER"]);
    await setRequiredSlots(project, ["DBA"]);
    const c = ctx(await as("APPROVER"));

    const error = await expectAppError(signSlot(c, { projectId: project.id, slot: "SECURITY", decision: "APPROVED", ...(await shownFor(project.id, "SECURITY")) }), "INVALID_INPUT");

    expect(error.fieldErrors?.slot).toBeDefined();
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("lets a DBA owner sign the DBA slot only when the project lets owners approve, in capacity DBA, and never another slot", async () => {
    const { project, users, as } = await makeTeam(["DBA"]);
    await makeItem(project, { area: "DBA" });
    const dba = await as("DBA");
    const refused = ctx(dba);

    await expectAppError(signSlot(refused, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")) }), "FORBIDDEN");
    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(refused.requestId)).toEqual([]);

    await setRequiredSlots(project, ALL_SLOTS, true);
    await sign(dba, project.id, "DBA");

    expect(await signoffOf(project.id, "DBA", 1)).toMatchObject({ state: "CURRENT", capacity: "DBA", approverId: users.DBA.id });
    for (const slot of ["SECURITY", "DEVOPS", "GO_LIVE"] as const) {
      await expectAppError(signSlot(ctx(dba), { projectId: project.id, slot, decision: "APPROVED", ...(await shownFor(project.id, slot)) }), "FORBIDDEN");
    }
    expect((await signoffsOf(project.id)).map((row) => row.slot)).toEqual(["DBA"]);
  });

  it.each([
    ["a VIEWER member", [] as const, ["VIEWER"] as const],
    ["a LEAD member", [] as const, ["LEAD"] as const],
    ["a DEVOPS owner (owners may approve, but not the DBA slot)", [] as const, ["DEVOPS"] as const],
    ["an ADMIN who is not a member", ["ADMIN"] as const, null],
    ["an ADMIN who is the project's LEAD", ["ADMIN"] as const, ["LEAD"] as const],
    ["an AUDITOR who is an APPROVER member", ["AUDITOR"] as const, ["APPROVER"] as const],
  ])("refuses %s with FORBIDDEN and writes nothing", async (_who, globalRoles, projectRoles) => {
    const user = await makeUser({ globalRoles: [...globalRoles] });
    const lead = await makeUser();
    const project = await makeProject([{ user: lead, roles: ["LEAD"] }, ...(projectRoles ? [{ user, roles: [...projectRoles] }] : [])]);
    await setRequiredSlots(project, ALL_SLOTS, true);
    await makeItem(project, { area: "DBA" });
    const c = ctx(await actorFor(user));

    await expectAppError(signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")) }), "FORBIDDEN");

    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("answers NOT_FOUND to a non-member (an APPROVER elsewhere) and for a project that does not exist", async () => {
    const { project } = await makeTeam(["LEAD"]);
    const elsewhere = await makeTeam(["APPROVER"]);
    await makeItem(project, { area: "DBA" });
    const outsider = await elsewhere.as("APPROVER");
    const [c, ghost] = [ctx(outsider), ctx(outsider)];

    await expectAppError(signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")) }), "NOT_FOUND");
    await expectAppError(signSlot(ghost, { projectId: randomUUID(), slot: "DBA", decision: "APPROVED", confirmOpenItems: true, expectedRound: 0, expectedDigest: scopeDigest([]) }), "NOT_FOUND");

    expect(await signoffsOf(project.id)).toEqual([]);
    expect(await eventsOfAll([c.requestId, ghost.requestId])).toEqual([]);
  });

  it("refuses a GO_LIVE approval (CONFLICT naming the slot) while an area slot lacks a current approval, and allows it once all have one", async () => {
    const { project, as } = await makeTeam(["APPROVER"]);
    for (const area of ["DEVOPS", "DBA", "SECURITY", "GENERAL"] as const) await makeItem(project, { area, status: "DONE" });
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DEVOPS");
    await sign(approver, project.id, "DBA");
    const refuse = async (missing: string) => {
      const c = ctx(approver);
      const error = await expectAppError(signSlot(c, { projectId: project.id, slot: "GO_LIVE", decision: "APPROVED", ...(await shownFor(project.id, "GO_LIVE")) }), "CONFLICT");
      expect(error.message).toContain(missing);
      expect(await eventsOf(c.requestId)).toEqual([]);
    };

    await refuse("SECURITY");
    await sign(approver, project.id, "SECURITY", { decision: "REJECTED", reason: "Secrets are still in environment files." });
    await refuse("SECURITY");
    expect((await signoffsOf(project.id)).filter((row) => row.slot === "GO_LIVE")).toEqual([]);

    await sign(approver, project.id, "SECURITY");
    const goLive = await sign(approver, project.id, "GO_LIVE");

    expect(goLive.round).toBe(1);
    expect(await signoffOf(project.id, "GO_LIVE", 1)).toMatchObject({ state: "CURRENT", decision: "APPROVED" });
    expect((await getGateForProject(project.id)).open).toBe(true);
  });

  it("refuses a GO_LIVE approval while an area approval is stale", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA", "GO_LIVE"]);
    const item = await makeItem(project, { area: "DBA" });
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DBA");
    await updateItem(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" });

    const error = await expectAppError(signSlot(ctx(approver), { projectId: project.id, slot: "GO_LIVE", decision: "APPROVED", ...(await shownFor(project.id, "GO_LIVE")) }), "CONFLICT");

    expect(error.message).toContain("DBA");
    expect((await signoffsOf(project.id)).map((row) => [row.slot, row.state])).toEqual([["DBA", "STALE"]]);
  });
});

describe("concurrent sign-offs on one slot", () => {
  async function twoApprovers() {
    const [lead, first, second] = await Promise.all([makeUser(), makeUser(), makeUser()]);
    const project = await makeProject([
      { user: lead, roles: ["LEAD"] },
      { user: first, roles: ["APPROVER"] },
      { user: second, roles: ["APPROVER"] },
    ]);
    await makeItem(project, { area: "DBA", status: "DONE" });
    return { project, first, second, actors: [await actorFor(first), await actorFor(second)] as const };
  }

  it.each([1, 2, 3])("two approvers signing the DBA slot on the same round at once: exactly one wins, one CURRENT row (round %i)", async () => {
    const { project, actors } = await twoApprovers();
    const shown = await shownFor(project.id, "DBA");
    const contexts = actors.map((actor) => ctx(actor));

    const results = await Promise.allSettled(contexts.map((c) => signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...shown })));

    expect(codesOf(results)).toEqual(["CONFLICT", "OK"]);
    const winner = results.findIndex((result) => result.status === "fulfilled");
    const rows = await signoffsOf(project.id);
    expect(rows.map((row) => [row.round, row.state, row.approverId])).toEqual([[1, "CURRENT", contexts[winner]?.actor.id]]);
    const events = await eventsOfAll(contexts.map((c) => c.requestId));
    expect(events.map((event) => [event.action, event.actorId])).toEqual([[auditActions.SIGNOFF_GIVEN, contexts[winner]?.actor.id]]);
  });

  it("two approvers re-signing on top of round 1 at once: one round 2, round 1 SUPERSEDED, one CURRENT row", async () => {
    const { project, actors } = await twoApprovers();
    await sign(actors[0], project.id, "DBA");
    const shown = await shownFor(project.id, "DBA");
    expect(shown.expectedRound).toBe(1);

    const results = await Promise.allSettled(actors.map((actor) => signSlot(ctx(actor), { projectId: project.id, slot: "DBA", decision: "REJECTED", reason: "Not yet.", ...shown })));

    expect(codesOf(results)).toEqual(["CONFLICT", "OK"]);
    expect((await signoffsOf(project.id)).map((row) => [row.round, row.state, row.currentSlot])).toEqual([
      [1, "SUPERSEDED", null],
      [2, "CURRENT", "DBA"],
    ]);
  });

  it("a double submit by one approver: one round, one event", async () => {
    const { project, actors } = await twoApprovers();
    const shown = await shownFor(project.id, "DBA");
    const contexts = [ctx(actors[0]), ctx(actors[0])];

    const results = await Promise.allSettled(contexts.map((c) => signSlot(c, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...shown })));

    expect(codesOf(results)).toEqual(["CONFLICT", "OK"]);
    expect((await signoffsOf(project.id)).map((row) => [row.round, row.state])).toEqual([[1, "CURRENT"]]);
    expect((await eventsOfAll(contexts.map((c) => c.requestId))).map((event) => event.action)).toEqual([auditActions.SIGNOFF_GIVEN]);
  });

  it("a sign-off racing a change to an item it covers never ends CURRENT on the state before the change", async () => {
    // Interleaving made deterministic with a real row lock held by a third transaction:
    // 1. the re-signature (round 2) has locked the project, read the scope before the change,
    //    and waits to supersede round 1;
    // 2. the item change, in its own transaction, finds round 1 CURRENT and waits to mark it stale;
    // 3. the lock is released: the signature commits round 2 on the old state; the change then
    //    finds round 1 no longer CURRENT. Nothing re-checks round 2 against the new state.
    const { project, users, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA"]);
    const item = await makeItem(project, { area: "DBA", status: "DONE" });
    await makeEvidence(item, users.LEAD);
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DBA");
    const round1 = await signoffOf(project.id, "DBA", 1);
    const shown = await shownFor(project.id, "DBA");
    const lead = await as("LEAD");

    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let holding: (pid: number) => void = () => undefined;
    const held = new Promise<number>((resolve) => (holding = resolve));
    const blocker = db.$transaction(
      async (tx) => {
        const [backend] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
        await tx.$queryRaw`SELECT id FROM signoffs WHERE id = ${round1.id}::uuid FOR UPDATE`;
        holding(backend?.pid ?? 0);
        await released;
      },
      { timeout: 20_000 },
    );
    const blockerPid = await held;
    let signing: Promise<unknown> = Promise.resolve();
    let changing: Promise<unknown> = Promise.resolve();
    let results: PromiseSettledResult<unknown>[] = [];
    try {
      signing = signSlot(ctx(approver), { projectId: project.id, slot: "DBA", decision: "APPROVED", ...shown });
      await waitForWaiters(blockerPid, 1);
      changing = addEvidence(ctx(lead), { itemId: item.id, expectedVersion: 1, kind: "LINK", url: "https://ci.example.test/runs/42" });
      await waitForWaiters(blockerPid, 2);
    } finally {
      release();
      await blocker;
      results = await Promise.allSettled([signing, changing]);
    }
    expect(results[1]?.status, "the item change itself must succeed").toBe("fulfilled");

    const now = scopeDigest(await loadScope(db, project.id, "DBA"));
    const current = await db.signoff.findMany({ where: { projectId: project.id, state: "CURRENT" }, select: { round: true, digest: true } });
    for (const signoff of current) expect(signoff.digest, `round ${signoff.round} is CURRENT but covers the state before the change`).toBe(now);
    expect((await getGateForProject(project.id)).open, "the gate opened on a state nobody signed").toBe(false);
  });
});

describe("staleness: a change to a covered item makes the sign-off STALE in the change's transaction", () => {
  it("updateItem on a DBA item: the DBA sign-off goes STALE, written by the same PostgreSQL transaction as the item, with a signoff.stale event naming the change", async () => {
    const { project, users, as } = await makeTeam(["LEAD", "DBA", "APPROVER"]);
    const item = await makeItem(project, { area: "DBA", title: "Backups run nightly" });
    await sign(await as("APPROVER"), project.id, "DBA");
    const signed = await signoffOf(project.id, "DBA", 1);
    const c = ctx(await as("DBA"));

    await updateItem(c, { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" });

    const cause = { action: auditActions.ITEM_UPDATED, itemId: item.id, title: "Backups run nightly" };
    const stale = await signoffOf(project.id, "DBA", 1);
    expect(stale).toMatchObject({ state: "STALE", currentSlot: null, digest: signed.digest, staleCause: cause });
    expect(stale.staleAt).toBeInstanceOf(Date);
    const newDigest = scopeDigest(await loadScope(db, project.id, "DBA"));
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.ITEM_UPDATED, auditActions.SIGNOFF_STALE]);
    expect(events[1]).toMatchObject({
      entityType: "signoff",
      entityId: signed.id,
      projectId: project.id,
      actorId: users.DBA.id,
      before: { slot: "DBA", round: 1, state: "CURRENT", digest: signed.digest, approverName: users.APPROVER.name },
      after: { slot: "DBA", round: 1, state: "STALE", digest: newDigest, cause, staleAt: stale.staleAt?.toISOString() },
    });

    const itemWriter = await checklistWriterTransaction("checklist_items", "id = $1::uuid", item.id);
    expect(await checklistWriterTransaction("signoffs", "id = $1::uuid", signed.id)).toBe(itemWriter);
    for (const event of events) expect(await writerTransaction("audit_events", "id = $1", event.id), event.action).toBe(itemWriter);
    expect((await getGateForProject(project.id)).reasons).toContainEqual(expect.objectContaining({ code: "SIGNOFF_STALE", slot: "DBA" }));
  });

  type Change = (c: ReturnType<typeof ctx>, item: { id: string }, evidenceId: string) => Promise<unknown>;
  const changes: [string, string, Change][] = [
    ["updateItem: status DONE with a note", auditActions.ITEM_UPDATED, (c, item) => updateItem(c, { itemId: item.id, expectedVersion: 1, status: "DONE", note: "Restore took 20 minutes." })],
    ["updateItem: title", auditActions.ITEM_UPDATED, (c, item) => updateItem(c, { itemId: item.id, expectedVersion: 1, title: "Backups run hourly" })],
    ["updateItem: required flag", auditActions.ITEM_UPDATED, (c, item) => updateItem(c, { itemId: item.id, expectedVersion: 1, required: false })],
    ["updateItem: moved to the SECURITY area", auditActions.ITEM_UPDATED, (c, item) => updateItem(c, { itemId: item.id, expectedVersion: 1, area: "SECURITY" })],
    ["addEvidence", auditActions.EVIDENCE_ADDED, (c, item) => addEvidence(c, { itemId: item.id, expectedVersion: 1, kind: "LINK", url: "https://ci.example.test/runs/7" })],
    ["removeEvidence", auditActions.EVIDENCE_REMOVED, (c, item, evidenceId) => removeEvidence(c, { itemId: item.id, expectedVersion: 1, evidenceId })],
  ];

  it.each(changes)("%s marks the DBA sign-off STALE in the same transaction", async (_change, action, change) => {
    const { project, users, as } = await makeTeam(["LEAD", "APPROVER"]);
    const item = await makeItem(project, { area: "DBA", status: "IN_PROGRESS" });
    const evidence = await makeEvidence(item, users.LEAD);
    await sign(await as("APPROVER"), project.id, "DBA");
    const c = ctx(await as("LEAD"));

    await change(c, item, evidence.id);

    const row = await signoffOf(project.id, "DBA", 1);
    expect(row).toMatchObject({ state: "STALE", currentSlot: null, staleCause: { action, itemId: item.id } });
    expect(await checklistWriterTransaction("signoffs", "id = $1::uuid", row.id)).toBe(await checklistWriterTransaction("checklist_items", "id = $1::uuid", item.id));
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([action, auditActions.SIGNOFF_STALE]);
    expect(events[1]?.after).toMatchObject({ cause: { action, itemId: item.id } });
  });

  it("a failure after the staleness write rolls it back with the change: item unchanged, sign-off CURRENT, no events", async () => {
    // A trigger refuses the signoff.stale event of this one request; it is written after the
    // sign-off row, so only a rollback of the whole change explains a CURRENT sign-off.
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    const item = await makeItem(project, { area: "DBA" });
    await sign(await as("APPROVER"), project.id, "DBA");
    const [before, itemBefore] = [await signoffsOf(project.id), await itemState(item.id)];
    const c = ctx(await as("LEAD"));
    const trigger = `test_refuse_stale_${randomUUID().replaceAll("-", "")}`;
    await db.$executeRawUnsafe(`CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'stale event refused by the test'; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.action = 'signoff.stale' AND NEW.request_id = '${c.requestId}') EXECUTE FUNCTION ${trigger}()`);
    try {
      await expect(updateItem(c, { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" })).rejects.toThrow(/stale event refused by the test/);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${trigger} ON audit_events`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${trigger}()`);
    }

    expect(await signoffsOf(project.id)).toEqual(before);
    expect(await itemState(item.id)).toEqual(itemBefore);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it.each([
    ["a stale expectedVersion", "CONFLICT", { expectedVersion: 7, status: "IN_PROGRESS" }],
    ["DONE without evidence on a required item", "INVALID_INPUT", { expectedVersion: 1, status: "DONE" }],
  ] as const)("a refused change (%s) leaves the sign-off CURRENT and writes no event", async (_why, code, change) => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    const item = await makeItem(project, { area: "DBA" });
    await sign(await as("APPROVER"), project.id, "DBA");
    const before = await signoffsOf(project.id);
    const c = ctx(await as("LEAD"));

    await expectAppError(updateItem(c, { itemId: item.id, ...change }), code);

    expect(await signoffsOf(project.id)).toEqual(before);
    expect(before.map((row) => row.state)).toEqual(["CURRENT"]);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("a change to a SECURITY item leaves the DBA sign-off CURRENT but makes the GO_LIVE sign-off stale; so does a GENERAL item", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA", "GO_LIVE"]);
    await makeItem(project, { area: "DBA", status: "DONE" });
    const security = await makeItem(project, { area: "SECURITY" });
    const general = await makeItem(project, { area: "GENERAL" });
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DBA");
    await sign(approver, project.id, "GO_LIVE");
    const dbaBefore = await signoffOf(project.id, "DBA", 1);
    const lead = await as("LEAD");
    const c = ctx(lead);

    await updateItem(c, { itemId: security.id, expectedVersion: 1, status: "IN_PROGRESS" });

    expect(await signoffOf(project.id, "DBA", 1)).toEqual(dbaBefore);
    expect(await signoffOf(project.id, "GO_LIVE", 1)).toMatchObject({ state: "STALE", staleCause: { action: auditActions.ITEM_UPDATED, itemId: security.id } });
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => [event.action, event.entityId])).toEqual([
      [auditActions.ITEM_UPDATED, security.id],
      [auditActions.SIGNOFF_STALE, (await signoffOf(project.id, "GO_LIVE", 1)).id],
    ]);

    await sign(approver, project.id, "GO_LIVE");
    await updateItem(ctx(lead), { itemId: general.id, expectedVersion: 1, status: "IN_PROGRESS" });

    expect(await signoffOf(project.id, "DBA", 1)).toEqual(dbaBefore);
    expect(await signoffOf(project.id, "GO_LIVE", 2)).toMatchObject({ state: "STALE", staleCause: { itemId: general.id } });
  });

  it("a comment changes nothing: the sign-off stays as it was and only comment.added is recorded", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    const item = await makeItem(project, { area: "DBA" });
    await sign(await as("APPROVER"), project.id, "DBA");
    const before = await signoffsOf(project.id);
    const c = ctx(await as("LEAD"));

    await addComment(c, { itemId: item.id, body: "Should we test restores monthly?" });

    expect(await signoffsOf(project.id)).toEqual(before);
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.COMMENT_ADDED]);
  });

  it("a details-only change leaves the sign-off CURRENT: the digest does not change", async () => {
    const { project, as } = await makeTeam(["DBA", "APPROVER"]);
    const item = await makeItem(project, { area: "DBA", details: "Nightly." });
    await sign(await as("APPROVER"), project.id, "DBA");
    const before = await signoffsOf(project.id);
    const c = ctx(await as("DBA"));

    expect(await updateItem(c, { itemId: item.id, expectedVersion: 1, details: "Nightly, at 02:00 UTC, kept for 30 days." })).toMatchObject({ version: 2, changed: true });

    expect(await signoffsOf(project.id)).toEqual(before);
    expect(scopeDigest(await loadScope(db, project.id, "DBA"))).toBe(before[0]?.digest);
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.ITEM_UPDATED]);
  });

  it("importing items into a covered area makes the sign-off stale, naming the import", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    await makeItem(project, { area: "DBA" });
    await sign(await as("APPROVER"), project.id, "DBA");
    const c = ctx(await as("LEAD"));

    await importChecklist(c, { projectId: project.id, markdown: "## Database\n\n- [ ] Connection limits set\n", source: "more.md" });

    expect(await signoffOf(project.id, "DBA", 1)).toMatchObject({ state: "STALE", staleCause: { action: auditActions.CHECKLIST_IMPORTED, itemId: null } });
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.CHECKLIST_IMPORTED, auditActions.SIGNOFF_STALE]);
  });

  it("a stale slot can be signed again as round 2; the history keeps round 1 STALE and round 2 CURRENT", async () => {
    const { project, users, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA"]);
    const item = await makeItem(project, { area: "DBA" });
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DBA");
    await updateItem(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 1, status: "NOT_APPLICABLE", statusReason: "No database in this service after all." });

    const second = await sign(approver, project.id, "DBA");

    expect(second).toMatchObject({ round: 2, digest: scopeDigest(await loadScope(db, project.id, "DBA")) });
    expect((await signoffsOf(project.id)).map((row) => [row.round, row.state, row.currentSlot])).toEqual([
      [1, "STALE", null],
      [2, "CURRENT", "DBA"],
    ]);
    const gate = await getGateForProject(project.id);
    expect(gate).toMatchObject({ open: true, reasons: [] });
    expect(gate.signoffs.map((signoff) => [signoff.slot, signoff.round, signoff.state])).toEqual([["DBA", 2, "CURRENT"]]);
    const page = await getSignoffPage(await actorFor(users.APPROVER), project.slug);
    expect(page.slots.find((slot) => slot.slot === "DBA")).toMatchObject({ latest: { round: 2, state: "CURRENT" }, changes: null });
  });
});

describe("getSignoffPage: what changed since the latest sign-off", () => {
  it("lists the items that changed since a stale round 1, with the field names", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA"]);
    const item = await makeItem(project, { area: "DBA" });
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DBA");
    await updateItem(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" });

    const slot = (await getSignoffPage(approver, project.slug)).slots.find((entry) => entry.slot === "DBA");

    expect(slot?.latest).toMatchObject({ round: 1, state: "STALE" });
    expect(slot?.digest).toBe(scopeDigest(await loadScope(db, project.id, "DBA")));
    expect(slot?.changes?.added).toEqual([]);
    expect(slot?.changes?.removed).toEqual([]);
    expect(slot?.changes?.changed.map((change) => [change.after.id, change.fields])).toEqual([[item.id, ["status"]]]);
  });

  it("after round 2 goes stale, lists the changes since round 2, not since round 1", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA"]);
    const first = await makeItem(project, { area: "DBA", title: "Backups run nightly" });
    const second = await makeItem(project, { area: "DBA", title: "Indexes reviewed" });
    const approver = await as("APPROVER");
    const lead = await as("LEAD");
    await sign(approver, project.id, "DBA");
    await updateItem(ctx(lead), { itemId: first.id, expectedVersion: 1, status: "IN_PROGRESS" });
    await sign(approver, project.id, "DBA");
    await updateItem(ctx(lead), { itemId: second.id, expectedVersion: 1, status: "IN_PROGRESS" });

    const slot = (await getSignoffPage(approver, project.slug)).slots.find((entry) => entry.slot === "DBA");

    expect(slot?.latest).toMatchObject({ round: 2, state: "STALE" });
    // Round 2 already covered the first item IN_PROGRESS: only the second item changed since.
    expect(slot?.changes?.changed.map((change) => [change.after.title, change.fields])).toEqual([["Indexes reviewed", ["status"]]]);
  });
});

describe("configureSlots", () => {
  it("lets a LEAD change the required slots and ownersMayApprove before the first sign-off, audited in the same transaction", async () => {
    const { project, users, as } = await makeTeam(["LEAD"]);
    const lead = await as("LEAD");
    expect((await getSignoffPage(lead, project.slug)).canConfigure).toBe(true);
    const c = ctx(lead);

    await configureSlots(c, { projectId: project.id, requiredSlots: ["GO_LIVE", "DBA", "DBA"], ownersMayApprove: "on" });

    expect(await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { requiredSlots: true, ownersMayApprove: true } })).toEqual({ requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: true });
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: auditActions.SIGNOFF_SLOTS_CHANGED,
      entityType: "project",
      entityId: project.id,
      projectId: project.id,
      actorId: users.LEAD.id,
      before: { requiredSlots: ALL_SLOTS, ownersMayApprove: false },
      after: { requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: true },
    });
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(await writerTransaction("projects", "id = $1::uuid", project.id));
    expect((await getSignoffPage(lead, project.slug)).slots.map((slot) => slot.slot)).toEqual(["DBA", "GO_LIVE"]);
  });

  // Was "refuses any change after the first sign-off": such a change is allowed now, and makes
  // the current sign-offs stale (tests/db/go-live-four-eyes.test.ts holds the whole rule).
  it("allows a change after the first sign-off, which makes that sign-off stale", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    await makeItem(project, { area: "DBA" });
    await sign(await as("APPROVER"), project.id, "DBA");
    const lead = await as("LEAD");
    expect((await getSignoffPage(lead, project.slug)).canConfigure).toBe(true);
    const c = ctx(lead);

    expect(await configureSlots(c, { projectId: project.id, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: false })).toEqual({ stale: ["DBA"] });

    expect(await db.project.findUniqueOrThrow({ where: { id: project.id }, select: { requiredSlots: true } })).toEqual({ requiredSlots: ["DBA", "GO_LIVE"] });
    expect(await signoffOf(project.id, "DBA", 1)).toMatchObject({ state: "STALE", staleCause: { action: auditActions.SIGNOFF_SLOTS_CHANGED } });
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.SIGNOFF_SLOTS_CHANGED, auditActions.SIGNOFF_STALE]);
  });

  it.each([
    ["a DBA owner", "DBA", "FORBIDDEN"],
    ["an APPROVER", "APPROVER", "FORBIDDEN"],
    ["a non-member", null, "NOT_FOUND"],
  ] as const)("refuses %s (%s) with %s, project unchanged", async (_who, role, code) => {
    const { project, as } = await makeTeam(["LEAD", "DBA", "APPROVER"]);
    const before = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    const c = ctx(role ? await as(role) : (await makeActor()).actor);

    await expectAppError(configureSlots(c, { projectId: project.id, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: true }), code);

    expect(await db.project.findUniqueOrThrow({ where: { id: project.id } })).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});

/** A project whose gate is open: every item DONE with evidence (or not applicable), every slot approved. */
async function readyProject(): Promise<TestTeam & { items: { id: string }[] }> {
  const team = await makeTeam(["LEAD", "APPROVER", "VIEWER", "DBA"]);
  const { project, users, as } = team;
  const lead = await as("LEAD");
  const items = [];
  for (const area of ["DEVOPS", "DBA", "SECURITY", "GENERAL"] as const) {
    const item = await makeItem(project, { area, title: `${area} item` });
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, status: "DONE", note: `${area} done, see the runbook.` });
    items.push(item);
  }
  items.push(await makeItem(project, { area: "DBA", required: false, title: "Optional tuning" }));
  const approver = await actorFor(users.APPROVER);
  for (const slot of ALL_SLOTS) await sign(approver, project.id, slot);
  return { ...team, items };
}

describe("markProjectLive", () => {
  it("refuses with CONFLICT listing the reasons while the gate is closed, and writes nothing", async () => {
    const { project, users, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA", "SECURITY"]);
    // The gate lists item reasons by title: these titles fix the order asserted below.
    const open = await makeItem(project, { area: "DBA", title: "A backup restore was rehearsed" });
    const expired = await makeItem(project, { area: "SECURITY", title: "B pen test findings are closed", status: "WAIVED", statusReason: "Accepted.", waiverRiskOwner: "Sam", waiverExpiresAt: new Date(Date.now() - 60_000) });
    const done = await makeItem(project, { area: "DBA", status: "DONE" });
    await makeEvidence(done, users.LEAD);
    await sign(await as("APPROVER"), project.id, "DBA");
    const c = ctx(await as("LEAD"));

    const error = await expectAppError(markProjectLive(c, { projectId: project.id }), "CONFLICT");

    const reasons = error.data?.reasons as GateReason[];
    expect(reasons.map((reason) => [reason.code, "itemId" in reason ? reason.itemId : reason.slot])).toEqual([
      ["ITEM_OPEN", open.id],
      ["WAIVER_EXPIRED", expired.id],
      ["SIGNOFF_MISSING", "SECURITY"],
    ]);
    expect(error.message).toMatch(/gate is closed/i);
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).liveAt).toBeNull();
    expect(await db.goLive.count({ where: { projectId: project.id } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("with the gate open: a GoLive row with a snapshot of the items and sign-offs, liveAt set, project.live audited, all in one transaction", async () => {
    const { project, users, as, items } = await readyProject();
    const signoffs = await db.signoff.findMany({ where: { projectId: project.id }, orderBy: { slot: "asc" } });
    expect((await getGateForProject(project.id)).open).toBe(true);
    const c = ctx(await as("LEAD"));

    const { goLiveId } = await markProjectLive(c, { projectId: project.id });

    const goLive = await db.goLive.findUniqueOrThrow({ where: { id: goLiveId } });
    expect(goLive).toMatchObject({ projectId: project.id, markedById: users.LEAD.id, markedByName: users.LEAD.name });
    const projectRow = await db.project.findUniqueOrThrow({ where: { id: project.id } });
    expect(projectRow.liveAt).toEqual(goLive.markedAt);
    const snapshot = goLive.snapshot as {
      takenAt: string;
      project: { id: string; requiredSlots: string[] };
      sections: unknown[];
      items: { id: string; status: string; evidence: { note: string }[] }[];
      signoffs: { slot: string; round: number; state: string; decision: string; digest: string; approverName: string }[];
    };
    expect(snapshot.takenAt).toBe(goLive.markedAt.toISOString());
    expect(snapshot.project).toMatchObject({ id: project.id, requiredSlots: ALL_SLOTS });
    expect(snapshot.sections).toHaveLength(items.length);
    expect(snapshot.items.map((item) => item.id).sort()).toEqual(items.map((item) => item.id).sort());
    for (const item of snapshot.items.filter((entry) => entry.status === "DONE")) expect(item.evidence, item.id).toEqual([expect.objectContaining({ note: expect.stringContaining("done") })]);
    expect(snapshot.signoffs.map((signoff) => [signoff.slot, signoff.round, signoff.state, signoff.decision, signoff.digest, signoff.approverName]).sort()).toEqual(
      signoffs.map((signoff) => [signoff.slot, 1, "CURRENT", "APPROVED", signoff.digest, users.APPROVER.name]).sort(),
    );

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: auditActions.PROJECT_LIVE, entityType: "go_live", entityId: goLiveId, projectId: project.id, actorId: users.LEAD.id });
    expect((events[0]?.after as { signoffs: unknown[] }).signoffs).toHaveLength(4);
    const writer = await checklistWriterTransaction("go_lives", "id = $1::uuid", goLiveId);
    expect(await writerTransaction("projects", "id = $1::uuid", project.id)).toBe(writer);
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(writer);
    expect((await getGateForProject(project.id)).liveAt).toBe(goLive.markedAt.toISOString());
  });

  it("keeps the snapshot as it was when items, evidence and people change afterwards", async () => {
    const { project, users, as, items } = await readyProject();
    const lead = await as("LEAD");
    const { goLiveId } = await markProjectLive(ctx(lead), { projectId: project.id });
    const first = await db.goLive.findUniqueOrThrow({ where: { id: goLiveId } });
    const [changedItem, otherItem] = items;
    if (!changedItem || !otherItem) throw new Error("readyProject made no items");

    await updateItem(ctx(lead), { itemId: changedItem.id, expectedVersion: 2, status: "IN_PROGRESS", title: "Reopened after go-live" });
    await addEvidence(ctx(lead), { itemId: otherItem.id, expectedVersion: 2, kind: "LINK", url: "https://ci.example.test/runs/99" });
    await db.user.update({ where: { id: users.APPROVER.id }, data: { name: "Renamed Approver" } });

    const reread = await db.goLive.findUniqueOrThrow({ where: { id: goLiveId } });
    expect(reread).toEqual(first);
    const snapshotItem = (reread.snapshot as { items: { id: string; status: string; title: string }[] }).items.find((item) => item.id === changedItem.id);
    expect(snapshotItem).toMatchObject({ status: "DONE", title: "DEVOPS item" });
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: changedItem.id } })).status).toBe("IN_PROGRESS");
  });

  it("refuses marking live twice, and signing after go-live, with CONFLICT", async () => {
    const { project, as } = await readyProject();
    const lead = await as("LEAD");
    await markProjectLive(ctx(lead), { projectId: project.id });
    const liveAt = (await db.project.findUniqueOrThrow({ where: { id: project.id } })).liveAt;
    const [again, signing] = [ctx(lead), ctx(await as("APPROVER"))];

    await expectAppError(markProjectLive(again, { projectId: project.id }), "CONFLICT");
    await expectAppError(signSlot(signing, { projectId: project.id, slot: "DBA", decision: "APPROVED", ...(await shownFor(project.id, "DBA")) }), "CONFLICT");

    expect(await db.goLive.count({ where: { projectId: project.id } })).toBe(1);
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).liveAt).toEqual(liveAt);
    expect(await eventsOfAll([again.requestId, signing.requestId])).toEqual([]);
  });

  it.each([
    ["a VIEWER", "VIEWER"],
    ["an APPROVER", "APPROVER"],
    ["a DBA owner", "DBA"],
  ] as const)("refuses %s with FORBIDDEN even with the gate open, and writes nothing", async (_who, role) => {
    const { project, as } = await readyProject();
    const c = ctx(await as(role));

    await expectAppError(markProjectLive(c, { projectId: project.id }), "FORBIDDEN");

    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).liveAt).toBeNull();
    expect(await db.goLive.count({ where: { projectId: project.id } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});

describe("getGateForProject", () => {
  it("closed: the reasons, and the latest round of each slot as the gate API returns them", async () => {
    const { project, users, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA", "SECURITY", "GO_LIVE"]);
    const open = await makeItem(project, { area: "DBA", required: true, title: "Backups run nightly" });
    await makeItem(project, { area: "SECURITY", status: "NOT_APPLICABLE", statusReason: "No external traffic." });
    const approver = await as("APPROVER");
    const dba = await sign(approver, project.id, "DBA");
    await sign(approver, project.id, "SECURITY", { decision: "REJECTED", reason: "Pen test pending." });
    const [dbaRow, securityRow] = [await signoffOf(project.id, "DBA", 1), await signoffOf(project.id, "SECURITY", 1)];

    const gate = await getGateForProject(project.id);

    expect(gate).toEqual({
      open: false,
      requiredSlots: ["DBA", "SECURITY", "GO_LIVE"],
      liveAt: null,
      reasons: [
        { code: "ITEM_OPEN", itemId: open.id, message: expect.stringContaining("Backups run nightly") },
        { code: "SIGNOFF_REJECTED", slot: "SECURITY", message: expect.stringContaining(users.APPROVER.name) },
        { code: "SIGNOFF_MISSING", slot: "GO_LIVE", message: expect.any(String) },
      ],
      signoffs: [
        {
          slot: "DBA",
          round: 1,
          state: "CURRENT",
          decision: "APPROVED",
          approver: { id: users.APPROVER.id, name: users.APPROVER.name, title: "", capacity: "APPROVER" },
          comment: "",
          reason: null,
          digest: dba.digest,
          // Approved with the required DBA item open (the test project allows it), and recorded so.
          openItems: 1,
          signedAt: dbaRow.signedAt.toISOString(),
          staleAt: null,
          meaning: dbaRow.meaning,
          // Signed right after signing in: the session's proof stood.
          reauth: { method: "recent-session", at: dbaRow.reauthAt?.toISOString(), basis: "test" },
        },
        {
          slot: "SECURITY",
          round: 1,
          state: "CURRENT",
          decision: "REJECTED",
          approver: { id: users.APPROVER.id, name: users.APPROVER.name, title: "", capacity: "APPROVER" },
          comment: "",
          reason: "Pen test pending.",
          digest: securityRow.digest,
          openItems: 0,
          signedAt: securityRow.signedAt.toISOString(),
          staleAt: null,
          meaning: expect.stringMatching(/reject the Security sign-off of .+ as approver/),
          reauth: { method: "recent-session", at: securityRow.reauthAt?.toISOString(), basis: "test" },
        },
      ],
    });
    // What the API sends is this object as JSON: nothing is lost on the way.
    expect(JSON.parse(JSON.stringify(gate))).toEqual(gate);
  });

  it("open: every required slot approved on the current state; only the latest round of a slot is listed, with a stale one's time", async () => {
    const { project, as } = await makeTeam(["LEAD", "APPROVER"]);
    await setRequiredSlots(project, ["DBA"]);
    const item = await makeItem(project, { area: "DBA" });
    const approver = await as("APPROVER");
    await sign(approver, project.id, "DBA");
    await updateItem(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 1, status: "NOT_APPLICABLE", statusReason: "Stateless service." });

    const stale = await getGateForProject(project.id);
    expect(stale.open).toBe(false);
    expect(stale.signoffs).toEqual([expect.objectContaining({ slot: "DBA", round: 1, state: "STALE", staleAt: (await signoffOf(project.id, "DBA", 1)).staleAt?.toISOString() })]);
    expect(stale.signoffs[0]?.staleAt).toEqual(expect.any(String));

    await sign(approver, project.id, "DBA");
    const open = await getGateForProject(project.id);

    expect(open).toMatchObject({ open: true, reasons: [], liveAt: null });
    expect(open.signoffs.map((signoff) => [signoff.slot, signoff.round, signoff.state])).toEqual([["DBA", 2, "CURRENT"]]);
  });

  it("judges waivers at the moment asked: open before the expiry, closed with WAIVER_EXPIRED from it on", async () => {
    const { project } = await makeTeam(["LEAD"]);
    await setRequiredSlots(project, []);
    const expiresAt = new Date(`${isoDay(10)}T23:59:59.999Z`);
    const waived = await makeItem(project, { area: "SECURITY", status: "WAIVED", statusReason: "Accepting plain HTTP internally.", waiverRiskOwner: "Sam", waiverExpiresAt: expiresAt });

    expect(await getGateForProject(project.id, new Date(expiresAt.getTime() - 1))).toMatchObject({ open: true, reasons: [] });
    expect(await getGateForProject(project.id, expiresAt)).toMatchObject({ open: false, reasons: [expect.objectContaining({ code: "WAIVER_EXPIRED", itemId: waived.id })] });
  });
});
