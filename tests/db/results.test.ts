import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { getChecklistAsOf } from "@/lib/audit/as-of";
import { getItemDetail } from "@/lib/checklists/data";
import { recordItemResult } from "@/lib/checklists/results";
import { importChecklist, updateItem } from "@/lib/checklists/mutations";
import { automationActor } from "@/lib/tokens/actor";
import { authenticateToken } from "@/lib/tokens/data";
import { createApiToken } from "@/lib/tokens/mutations";
import { getGateForProject } from "@/lib/signoffs/data";
import { ctx, eventsOf, expectAppError, itemState, makeItem, makeTeam, sign, signoffOf } from "./factories";

// Results pushed by pipelines: every one kept with its facts, recorded as the token that sent it;
// a failure reopens a done item and makes the sign-offs that covered it stale; a pass can close
// an open item with the result as its evidence; a result that repeats the last changes nothing.

async function pipeline(permissions: string[] = ["results:write"]) {
  const team = await makeTeam(["LEAD", "DBA", "APPROVER", "VIEWER"]);
  const lead = await team.as("LEAD");
  const created = await createApiToken(ctx(lead), { name: "Restore drill", projectId: team.project.id, permissions });
  const caller = await authenticateToken(`Bearer ${created.token}`);
  if (!caller?.projectId) throw new Error("the new token did not authenticate");
  return { team, lead, created, actor: automationActor({ ...caller, projectId: caller.projectId }) };
}

const facts = { restoredRows: 1_204_332, durationSeconds: 418, snapshot: "2026-12-01T02:00:00Z" };

describe("results pushed for items", () => {
  it("a pass with markDone closes an open item as the token, with the result as evidence; kept, shown and rebuilt as of now", async () => {
    const { team, lead, actor, created } = await pipeline();
    // Made through the services, so that the as-of rebuild knows the item from its events.
    await importChecklist(ctx(lead), { projectId: team.project.id, markdown: "## Data\n\n- [ ] Restore drill passes\n", source: "drills.md" });
    const imported = await db.checklistItem.findFirstOrThrow({ where: { projectId: team.project.id, title: "Restore drill passes" } });
    await updateItem(ctx(lead), { itemId: imported.id, expectedVersion: imported.version, area: "DBA" });
    const item = await db.checklistItem.findUniqueOrThrow({ where: { id: imported.id } });
    const c = ctx(actor);
    const recorded = await recordItemResult(c, { itemId: item.id, status: "pass", summary: "Restored last night's snapshot in 7 min.", url: "https://ci.example.com/runs/88", facts, markDone: true });
    expect(recorded).toMatchObject({ outcome: "PASS", item: { id: item.id, status: "DONE", version: item.version + 1, statusChanged: true } });

    const tokenName = `Restore drill (token ${created.prefix}…)`;
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => [event.action, event.actorId, event.actorName])).toEqual([
      [auditActions.RESULT_RECORDED, created.id, tokenName],
      [auditActions.ITEM_UPDATED, created.id, tokenName],
    ]);
    expect(events[0]?.after).toMatchObject({ outcome: "PASS", summary: "Restored last night's snapshot in 7 min.", url: "https://ci.example.com/runs/88", facts });
    expect(events[1]?.before).toMatchObject({ status: "TODO" });
    expect(events[1]?.after).toMatchObject({ status: "DONE", link: "https://ci.example.com/runs/88" });
    const evidence = await db.evidence.findFirstOrThrow({ where: { itemId: item.id } });
    expect(evidence).toMatchObject({ kind: "LINK", url: "https://ci.example.com/runs/88", note: "Result: Restored last night's snapshot in 7 min.", addedByName: tokenName });

    const viewer = await team.as("VIEWER");
    const detail = await getItemDetail(viewer, item.id);
    expect(detail.results).toEqual([expect.objectContaining({ id: recorded.resultId, outcome: "PASS", facts, actorName: tokenName, url: "https://ci.example.com/runs/88" })]);
    const asOf = await getChecklistAsOf(viewer, team.project.slug, new Date());
    expect(asOf.state.gaps).toEqual([]);
    expect(asOf.details[item.id]).toEqual(detail);
  });

  it("keeps every result; a failure after an approval reopens the done item and makes the sign-off stale, naming the result; repeats change nothing", async () => {
    const { team, actor } = await pipeline();
    const item = await makeItem(team.project, { area: "DBA", title: "Backups restore" });
    const c = () => ctx(actor);
    await recordItemResult(c(), { itemId: item.id, status: "pass", summary: "Restore ok.", markDone: true });
    const approver = await team.as("APPROVER");
    await sign(approver, team.project.id, "DBA");

    // The same outcome again: kept, but the item and the approval stand.
    await recordItemResult(c(), { itemId: item.id, status: "pass", summary: "Restore ok again." });
    expect((await signoffOf(team.project.id, "DBA", 1)).state).toBe("CURRENT");
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).version).toBe(2);

    const failed = await recordItemResult(c(), { itemId: item.id, status: "fail", summary: "Restore stopped: checksum mismatch on table orders.", facts: { exitCode: 3 } });
    expect(failed).toMatchObject({ outcome: "FAIL", item: { status: "BLOCKED", version: 3, statusChanged: true }, stale: ["DBA"] });
    const now = await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } });
    expect(now).toMatchObject({ status: "BLOCKED", statusReason: "A result failed: Restore stopped: checksum mismatch on table orders." });
    const signoff = await signoffOf(team.project.id, "DBA", 1);
    expect(signoff.state).toBe("STALE");
    expect(signoff.staleCause).toMatchObject({ action: auditActions.RESULT_RECORDED, itemId: item.id, title: "Backups restore" });
    const gate = await getGateForProject(team.project.id);
    expect(gate.open).toBe(false);

    // A second failure: one more result, nothing else moves.
    const before = await itemState(item.id);
    await recordItemResult(c(), { itemId: item.id, status: "fail", summary: "Still failing." });
    expect(await itemState(item.id)).toEqual(before);
    expect(await db.itemResult.count({ where: { itemId: item.id } })).toBe(4);
    expect((await getItemDetail(await team.as("LEAD"), item.id)).results.map((result) => result.summary)).toEqual(["Still failing.", "Restore stopped: checksum mismatch on table orders.", "Restore ok again.", "Restore ok."]);
  });

  it("a failure that reopens a done item notifies its assignee and the approver whose sign-off went stale, and nobody else; a repeat notifies no one", async () => {
    const { team, actor, created } = await pipeline();
    const item = await makeItem(team.project, { area: "DBA", title: "Nightly restore drill" });
    await db.checklistItem.update({ where: { id: item.id }, data: { assigneeId: team.users.DBA.id } });
    await recordItemResult(ctx(actor), { itemId: item.id, status: "pass", summary: "Restore ok.", markDone: true });
    await sign(await team.as("APPROVER"), team.project.id, "DBA");
    const earlier = new Set((await db.notification.findMany({ where: { projectId: team.project.id }, select: { id: true } })).map((row) => row.id));
    const since = async () => (await db.notification.findMany({ where: { projectId: team.project.id }, orderBy: { createdAt: "asc" } })).filter((row) => !earlier.has(row.id));

    const failed = await recordItemResult(ctx(actor), { itemId: item.id, status: "fail", summary: "Restore stopped: checksum mismatch.", url: "https://ci.example.com/runs/91" });
    expect(failed).toMatchObject({ item: { status: "BLOCKED", statusChanged: true }, stale: ["DBA"] });
    const told = await since();
    const tokenName = `Restore drill (token ${created.prefix}…)`;
    expect(told.map((row) => ({ userId: row.userId, kind: row.kind })).sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { userId: team.users.DBA.id, kind: "EVIDENCE_CHANGED" },
      { userId: team.users.APPROVER.id, kind: "SIGNOFF_STALE" },
    ]);
    const assignee = told.find((row) => row.kind === "EVIDENCE_CHANGED")!;
    expect(assignee).toMatchObject({ itemId: item.id, actorName: tokenName, title: `${tokenName} recorded a failing result for “Nightly restore drill”, and reopened it`, body: "Restore stopped: checksum mismatch." });
    expect(assignee.link).toContain(item.id);
    const approver = told.find((row) => row.kind === "SIGNOFF_STALE")!;
    expect(approver).toMatchObject({ itemId: item.id, actorName: tokenName, title: `Your DBA sign-off of ${team.project.name} is stale`, link: `/projects/${team.project.slug}/signoffs` });
    expect(approver.body).toMatch(/^Restore drill \(token .*\) changed what it covered/);

    // Failing again reopens nothing and stales nothing: no one is told twice.
    await recordItemResult(ctx(actor), { itemId: item.id, status: "fail", summary: "Still failing." });
    expect(await since()).toHaveLength(2);
  });

  it("a first result, passing, makes a sign-off that covered the item stale (the approver had not seen it), even with no status change", async () => {
    const { team, actor } = await pipeline();
    const item = await makeItem(team.project, { area: "DBA", status: "IN_PROGRESS" });
    await sign(await team.as("APPROVER"), team.project.id, "DBA");
    const recorded = await recordItemResult(ctx(actor), { itemId: item.id, status: "pass", summary: "Smoke tests green." });
    expect(recorded).toMatchObject({ item: { status: "IN_PROGRESS", version: 1, statusChanged: false }, stale: ["DBA"] });
  });

  it("leaves a person's decisions alone: a failure on a not-applicable or waived item is recorded, the status stays", async () => {
    const { team, actor } = await pipeline();
    const na = await makeItem(team.project, { area: "DBA", status: "NOT_APPLICABLE", statusReason: "No database." });
    const waived = await makeItem(team.project, { area: "DBA", status: "WAIVED", statusReason: "Next quarter.", waiverRiskOwner: "Dana", waiverExpiresAt: new Date(Date.now() + 30 * 86_400_000) });
    for (const target of [na, waived]) {
      const before = await db.checklistItem.findUniqueOrThrow({ where: { id: target.id } });
      const recorded = await recordItemResult(ctx(actor), { itemId: target.id, status: "fail", summary: "Scan found 2 highs." });
      expect(recorded.item).toMatchObject({ status: before.status, version: before.version, statusChanged: false });
      expect(await db.checklistItem.findUniqueOrThrow({ where: { id: target.id } })).toEqual(before);
    }
  });

  it("is refused to tokens without results:write, to other projects and to viewers; bad input names the field; nothing is written", async () => {
    const { team, actor: writer } = await pipeline(["items:write"]);
    const item = await makeItem(team.project, { area: "DBA" });
    await expectAppError(recordItemResult(ctx(writer), { itemId: item.id, status: "pass", summary: "ok" }), "FORBIDDEN");
    const other = await pipeline();
    await expectAppError(recordItemResult(ctx(other.actor), { itemId: item.id, status: "pass", summary: "ok" }), "NOT_FOUND");
    await expectAppError(recordItemResult(ctx(await team.as("VIEWER")), { itemId: item.id, status: "pass", summary: "ok" }), "FORBIDDEN");

    const owner = ctx(await team.as("DBA"));
    for (const [input, field] of [
      [{ status: "passed", summary: "ok" }, "status"],
      [{ status: "pass", summary: "  " }, "summary"],
      [{ status: "pass", summary: "ok", url: "ftp://example.com/run" }, "url"],
      [{ status: "pass", summary: "ok", facts: { log: "x".repeat(20_000) } }, "facts"],
      [{ status: "pass", summary: "ok", facts: ["not", "an", "object"] }, "facts"],
    ] as const) {
      const error = await expectAppError(recordItemResult(owner, { itemId: item.id, ...input }), "INVALID_INPUT");
      expect(error.fieldErrors, JSON.stringify(input)).toHaveProperty(field);
    }
    expect(await db.itemResult.count({ where: { itemId: item.id } })).toBe(0);
    expect(await db.auditEvent.count({ where: { entityId: item.id } })).toBe(0);

    // The area's owner may record one as themselves.
    await recordItemResult(owner, { itemId: item.id, status: "fail", summary: "Manual drill failed." });
    expect(await db.itemResult.findFirstOrThrow({ where: { itemId: item.id } })).toMatchObject({ actorId: team.users.DBA.id, actorName: team.users.DBA.name, outcome: "FAIL" });
  });
});
