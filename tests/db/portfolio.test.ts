import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { isSatisfied } from "@/lib/checklists/rules";
import type { ItemStatus } from "@/lib/checklists/types";
import { acceptWaiver, importChecklist, updateItem } from "@/lib/checklists/mutations";
import type { Actor } from "@/lib/policy";
import { getPortfolio, readinessAt, type PortfolioRow } from "@/lib/portfolio/data";
import { createProject } from "@/lib/projects/mutations";
import { getGateForProject, loadScope } from "@/lib/signoffs/data";
import { scopeDigest, type SignoffSlot } from "@/lib/signoffs/digest";
import { signSlot } from "@/lib/signoffs/mutations";
import { createTemplate, createTemplateVersion, upgradeProjectTemplate } from "@/lib/templates/mutations";
import { seedPortfolioDataset } from "../../scripts/bench-dataset";
import { countQueries } from "../support/query-count";
import { actorFor, ctx, isoDay, makeActor, makeItem, makeProject, makeTeam, makeUser } from "./factories";

// The portfolio against a real database: its figures agree with the project pages' own rules,
// each person sees exactly the projects they may see, the readiness history matches a known
// sequence of changes made through the real services (and a plain replay of the audit trail),
// and the number of queries does not grow with the number of projects.

const DAY = 86_400_000;
const pause = () => new Promise((resolve) => setTimeout(resolve, 15));

async function rowOf(actor: Actor, projectId: string): Promise<PortfolioRow> {
  const row = (await getPortfolio(actor)).rows.find((candidate) => candidate.id === projectId);
  if (!row) throw new Error(`project ${projectId} is not in the portfolio`);
  return row;
}

async function sign(actor: Actor, projectId: string, slot: SignoffSlot, decision: { decision: "APPROVED" } | { decision: "REJECTED"; reason: string } = { decision: "APPROVED" }) {
  const latest = await db.signoff.findFirst({ where: { projectId, slot }, orderBy: { round: "desc" }, select: { round: true } });
  await signSlot(ctx(actor), { projectId, slot, ...decision, confirmOpenItems: true, expectedRound: latest?.round ?? 0, expectedDigest: scopeDigest(await loadScope(db, projectId, slot)) });
}

describe("getPortfolio: figures", () => {
  it("counts ready items per area and summarises the gate as the project's own gate has it", async () => {
    const team = await makeTeam(["LEAD", "APPROVER", "SECURITY"]);
    const { project } = team;
    const soon = new Date(Date.now() + 5 * DAY);
    await makeItem(project, { area: "DEVOPS", status: "DONE" });
    await makeItem(project, { area: "DEVOPS", status: "BLOCKED", statusReason: "Waiting on the network team" });
    await makeItem(project, { area: "DEVOPS", status: "TODO", required: false });
    await makeItem(project, { area: "DBA", status: "NOT_APPLICABLE", statusReason: "No database" });
    await makeItem(project, { area: "DBA", status: "WAIVED", statusReason: "Accepted", waiverRiskOwner: "CTO", waiverExpiresAt: soon });
    await makeItem(project, { area: "DBA", status: "WAIVED", statusReason: "Accepted", waiverRiskOwner: "CTO", waiverExpiresAt: new Date(Date.now() - DAY) });
    await makeItem(project, { area: "DBA", status: "WAIVED", statusReason: "Asked for", waiverRiskOwner: "CTO", waiverExpiresAt: soon, waiverRequestOnly: true });
    const tls = await makeItem(project, { area: "SECURITY", status: "IN_PROGRESS" });
    await makeItem(project, { area: "SECURITY", status: "DONE" });

    const approver = await team.as("APPROVER");
    await sign(approver, project.id, "DEVOPS");
    await sign(approver, project.id, "DBA", { decision: "REJECTED", reason: "The expired waiver." });
    await sign(approver, project.id, "SECURITY");
    // A change to an item the Security sign-off covers makes it stale.
    await updateItem(ctx(await team.as("SECURITY")), { itemId: tls.id, expectedVersion: 1, status: "BLOCKED", statusReason: "Certificate not issued" });

    const lead = await team.as("LEAD");
    const row = await rowOf(lead, project.id);
    expect(row.areas).toEqual([
      { area: "DEVOPS", total: 3, ready: 1, blocked: 1 },
      { area: "DBA", total: 4, ready: 2, blocked: 0 },
      { area: "SECURITY", total: 2, ready: 1, blocked: 1 },
      { area: "GENERAL", total: 0, ready: 0, blocked: 0 },
    ]);
    expect({ total: row.total, ready: row.ready, percent: row.percent }).toEqual({ total: 9, ready: 4, percent: 44 });
    expect(row.gate.parts).toEqual(["2 required items open", "1 waiver awaiting acceptance", "1 waiver expired", "Go-live sign-off missing", "Security sign-off stale", "DBA sign-off rejected"]);
    expect(row.myRoles).toEqual(["LEAD"]);

    const gate = await getGateForProject(project.id);
    expect(row.gate.open).toBe(gate.open);
    expect(row.gate.blockers).toBe(gate.reasons.length);
    expect(row.blockers).toBe(gate.reasons.length);
  });

  it("shows an empty project as having no items, a past target date as past, and a live project whose gate closed again as blocked (a relapse)", async () => {
    const lead = await makeUser();
    const empty = await makeProject([{ user: lead, roles: ["LEAD"] }]);
    await db.project.update({ where: { id: empty.id }, data: { targetGoLive: new Date(`${isoDay(-3)}T00:00:00Z`) } });
    const live = await makeProject([{ user: lead, roles: ["LEAD"] }]);
    await db.project.update({ where: { id: live.id }, data: { targetGoLive: new Date(`${isoDay(-3)}T00:00:00Z`), liveAt: new Date(Date.now() - DAY) } });

    const rows = (await getPortfolio(await actorFor(lead))).rows;
    const emptyRow = rows.find((row) => row.id === empty.id);
    const liveRow = rows.find((row) => row.id === live.id);
    expect(emptyRow).toMatchObject({ total: 0, ready: 0, percent: null, isPastTarget: true, liveAt: null, targetGoLive: isoDay(-3) });
    expect(emptyRow?.history.every((value) => value === null)).toBe(true);
    // Live, but no current sign-off stands any more: "live" must not hide the closed gate.
    const liveGate = await getGateForProject(live.id);
    expect(liveGate.open).toBe(false);
    expect(liveRow).toMatchObject({ isPastTarget: false, blockers: liveGate.reasons.length, gate: { open: false } });
    expect(liveRow?.blockers).toBeGreaterThan(0);
    expect(liveRow?.liveAt).not.toBeNull();
  });
});

describe("getPortfolio: who sees what", () => {
  it("a member sees only their projects, with their roles; an auditor and an admin see all; an outsider none", async () => {
    const member = await makeUser();
    const other = await makeUser();
    const mine = await makeProject([
      { user: member, roles: ["DBA", "APPROVER"] },
      { user: other, roles: ["LEAD"] },
    ]);
    const theirs = await makeProject([{ user: other, roles: ["LEAD"] }]);

    const memberRows = (await getPortfolio(await actorFor(member))).rows;
    expect(memberRows.map((row) => row.id)).toEqual([mine.id]);
    expect(memberRows[0]?.myRoles).toEqual(["DBA", "APPROVER"]);

    for (const globalRole of ["AUDITOR", "ADMIN"] as const) {
      const { actor } = await makeActor([globalRole]);
      const rows = (await getPortfolio(actor)).rows;
      const ids = rows.map((row) => row.id);
      expect(ids).toEqual(expect.arrayContaining([mine.id, theirs.id]));
      expect(rows.find((row) => row.id === mine.id)?.myRoles).toEqual([]);
    }

    const { actor: outsider } = await makeActor();
    expect((await getPortfolio(outsider)).rows).toEqual([]);
  });

  it("loads everything in the same number of queries for one project or many", async () => {
    const user = await makeUser();
    await makeProject([{ user, roles: ["LEAD"] }]);
    const actor = await actorFor(user);
    const one = await countQueries(() => getPortfolio(actor));
    for (let index = 0; index < 4; index++) {
      const project = await makeProject([{ user, roles: ["VIEWER"] }]);
      await makeItem(project, { status: "DONE" });
    }
    const five = await countQueries(() => getPortfolio(actor));
    expect((await getPortfolio(actor)).rows).toHaveLength(5);
    expect(five.queries).toBe(one.queries);
    // The projects, their teams, the viewer's roles, item counts, sign-offs and the readiness history (and levels reached, when any project has levels).
    expect(five.queries).toBeLessThanOrEqual(6);
  });
});

const V1 = `# Service

## Checks

- [ ] Alpha
- [ ] Bravo
- [ ] Charlie
- [ ] Delta
- [ ] Foxtrot
`;

// Foxtrot removed (never worked on), Golf added.
const V2 = `# Service

## Checks

- [ ] Alpha
- [ ] Bravo
- [ ] Charlie
- [ ] Delta
- [ ] Golf
`;

describe("readinessAt: history from the audit trail", () => {
  it("follows a known sequence of changes made through the real services", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const leadUser = await makeUser();
    const template = await createTemplate(ctx(admin), { name: `History ${randomUUID().slice(0, 8)}`, markdown: V1 });
    const v1 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 1 } });
    const t0 = new Date();
    await pause();

    // 1. The project starts from the template (five items, to do: templates carry no progress)
    // and its lead imports one more, already checked.
    const project = await createProject(ctx(admin), { name: "History", slug: `history-${randomUUID()}`, templateVersionId: v1.id, leadUserId: leadUser.id });
    const lead = await actorFor(leadUser);
    await importChecklist(ctx(lead), { projectId: project.id, markdown: "## Extra\n\n- [x] Echo\n", source: "extra.md" });
    const work = async (title: string, change: Record<string, unknown>) => {
      const item = await db.checklistItem.findFirstOrThrow({ where: { projectId: project.id, title }, select: { id: true, version: true } });
      await updateItem(ctx(lead), { itemId: item.id, expectedVersion: item.version, ...change });
    };
    // An approver (granted by the lead) accepts the lead's waiver requests; the CTO owns the risk.
    const approverUser = await makeUser();
    const cto = await makeUser({ name: "Casey CTO" });
    await db.projectMember.createMany({
      data: [
        { projectId: project.id, userId: approverUser.id, roles: ["APPROVER"], approverGrantedById: leadUser.id },
        { projectId: project.id, userId: cto.id, roles: ["VIEWER"] },
      ],
    });
    const approver = await actorFor(approverUser);
    const accept = async (title: string) => {
      const item = await db.checklistItem.findFirstOrThrow({ where: { projectId: project.id, title }, select: { id: true, version: true } });
      await acceptWaiver(ctx(approver), { itemId: item.id, expectedVersion: item.version });
    };
    await pause();
    const t1 = new Date();
    await pause();

    // 2. Alpha done, Bravo not applicable.
    await work("Alpha", { status: "DONE", note: "Checked." });
    await work("Bravo", { status: "NOT_APPLICABLE", statusReason: "No such component." });
    await pause();
    const t2 = new Date();
    await pause();

    // 3. Alpha reopened, a waiver of Charlie for two days requested (it does not count yet), then
    // accepted; Delta blocked.
    await work("Alpha", { status: "IN_PROGRESS" });
    await work("Charlie", { status: "WAIVED", statusReason: "Accepted for launch.", waiverRiskOwnerId: cto.id, waiverExpiresAt: isoDay(2) });
    await pause();
    const requested = new Date();
    await pause();
    await accept("Charlie");
    await work("Delta", { status: "BLOCKED", statusReason: "Vendor." });
    await pause();
    const t3 = new Date();
    await pause();

    // 4. The template moves on: Foxtrot (untouched) goes, Golf comes.
    await createTemplateVersion(ctx(admin), { templateId: template.id, expectedVersion: 1, markdown: V2 });
    const v2 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 2 } });
    await upgradeProjectTemplate(ctx(lead), { projectId: project.id, fromVersionId: v1.id, toVersionId: v2.id });
    await pause();
    const t4 = new Date();
    await pause();

    // 5. Charlie's waiver is extended (only its expiry changes): a new request, not counting
    // until it is accepted again; Golf done.
    await work("Charlie", { waiverExpiresAt: isoDay(5) });
    await pause();
    const extended = new Date();
    await pause();
    await accept("Charlie");
    await work("Golf", { status: "DONE", note: "Checked." });
    await pause();
    const t5 = new Date();

    // Later: after the first expiry (no longer relevant) and after the extended one.
    const in3Days = new Date(Date.now() + 3 * DAY);
    const in7Days = new Date(Date.now() + 7 * DAY);
    const series = (await readinessAt([project.id], [t0, t1, t2, requested, t3, t4, extended, t5, in3Days, in7Days])).get(project.id);
    expect(series).toEqual({
      total: [0, 6, 6, 6, 6, 6, 6, 6, 6, 6],
      ready: [0, 1, 3, 2, 3, 3, 2, 4, 4, 3],
    });

    // The last instant before the future ones agrees with the dashboard's figures now.
    const row = await rowOf(lead, project.id);
    expect({ total: row.total, ready: row.ready }).toEqual({ total: 6, ready: 4 });
    expect(row.history.at(-1)).toBe(row.percent);
    expect(row.history).toHaveLength(30);
    expect(row.history.slice(0, -1).every((value) => value === null)).toBe(true);
  });

  it("agrees with a plain replay of the audit trail on a month of generated history", async () => {
    const now = new Date();
    const dataset = await seedPortfolioDataset(db, { projects: 12, itemsPerProject: 40, users: 12, now, historyDays: 30 });
    const ids = dataset.projectIds;
    // Instants: every day of the past five weeks at a ragged hour, and two in the future.
    const instants = Array.from({ length: 37 }, (_, index) => new Date(now.getTime() - (35 - index) * DAY + (index % 5) * 3_600_000 - 7 * 3_600_000));
    const rebuilt = await readinessAt(ids, instants);

    const events = await db.auditEvent.findMany({
      where: { projectId: { in: ids }, action: { in: ["checklist.imported", "checklist.upgraded", "item.updated"] } },
      orderBy: { id: "asc" },
      select: { projectId: true, occurredAt: true, action: true, entityId: true, before: true, after: true },
    });
    // The generated month has the hard cases: waivers that expired while in force, and waivers
    // that expired before the work replacing them was done.
    const waiverEnds = events.filter((event) => (event.before as { status?: string } | null)?.status === "WAIVED");
    expect(waiverEnds.some((event) => new Date((event.before as { waiverExpiresAt: string }).waiverExpiresAt) < event.occurredAt)).toBe(true);
    expect(await db.checklistItem.count({ where: { projectId: { in: ids }, status: "WAIVED", waiverExpiresAt: { lt: now } } })).toBeGreaterThan(0);
    // And waivers still awaiting acceptance, which never counted.
    expect(await db.checklistItem.count({ where: { projectId: { in: ids }, status: "WAIVED", waiverAcceptedAt: null } })).toBeGreaterThan(0);
    for (const projectId of ids) {
      const expected = { total: [] as number[], ready: [] as number[] };
      for (const instant of instants) {
        const state = new Map<string, { status: ItemStatus; waiverExpiresAt: Date | null; waiverAcceptedAt: Date | null }>();
        for (const event of events) {
          if (event.projectId !== projectId || event.occurredAt >= instant) continue;
          const after = event.after as Record<string, unknown>;
          if (event.action === "checklist.imported") for (const item of after.items as { id: string; status: ItemStatus }[]) state.set(item.id, { status: item.status, waiverExpiresAt: null, waiverAcceptedAt: null });
          if (event.action === "checklist.upgraded") {
            for (const item of after.added as { id: string }[]) state.set(item.id, { status: "TODO", waiverExpiresAt: null, waiverAcceptedAt: null });
            for (const item of after.removed as { id: string }[]) state.delete(item.id);
          }
          if ((event.action === "item.updated" || event.action === "item.waiver_accepted" || event.action === "item.waiver_declined") && event.entityId) {
            const current = state.get(event.entityId);
            if (!current) continue;
            if ("status" in after) current.status = after.status as ItemStatus;
            if ("waiverExpiresAt" in after) current.waiverExpiresAt = after.waiverExpiresAt ? new Date(after.waiverExpiresAt as string) : null;
            if ("waiverAcceptedAt" in after) current.waiverAcceptedAt = after.waiverAcceptedAt ? new Date(after.waiverAcceptedAt as string) : null;
          }
        }
        expected.total.push(state.size);
        expected.ready.push([...state.values()].filter((item) => isSatisfied(item, instant)).length);
      }
      expect(rebuilt.get(projectId), `project ${projectId}`).toEqual(expected);
    }
  });
});
