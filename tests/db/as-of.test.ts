import { randomUUID } from "node:crypto";
import { recordItemResult } from "@/lib/checklists/results";
import { describe, expect, it } from "vitest";
import type { SignoffSlot } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { mayBeAssigned, type Actor } from "@/lib/policy";
import { getChecklistAsOf, rebuildChecklist, replayedActions, type ChecklistAsOf } from "@/lib/audit/as-of";
import { getChecklist, getItemDetail, type ChecklistView } from "@/lib/checklists/data";
import { acceptWaiver, addComment, addEvidence, declineWaiver, importChecklist, removeEvidence, updateItem } from "@/lib/checklists/mutations";
import { assignItems } from "@/lib/checklists/assignments";
import type { Area } from "@/lib/checklists/types";
import { addMember, createProject } from "@/lib/projects/mutations";
import { getGateForProject, loadScope, type GoLiveSnapshot } from "@/lib/signoffs/data";
import { scopeDigest } from "@/lib/signoffs/digest";
import { configureSlots, markProjectLive, signSlot } from "@/lib/signoffs/mutations";
import { createTemplate, createTemplateVersion, upgradeProjectTemplate } from "@/lib/templates/mutations";
import { countQueries } from "../support/query-count";
import { liveProjection, rebuiltProjection, type ChecklistProjection } from "./checklist-projection";
import { actorFor, ctx, expectAppError, isoDay, makeActor, makeUser, type TestUser } from "./factories";

// The checklist as of any moment, rebuilt from the audit events, against the real services and
// tables: a long seeded random review (statuses, waivers, evidence, comments, assignments, edits,
// imports, a template upgrade, sign-offs going stale and given again, go-live) must rebuild to
// exactly what the tables held at every moment we looked, and to the go-live snapshot.

const SEED = Number(process.env.AS_OF_SEED ?? 20261123);

/** mulberry32: a small seeded PRNG, so a failing sequence can be replayed with AS_OF_SEED. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => {
    if (list.length === 0) throw new Error("pick from an empty list");
    return list[int(0, list.length - 1)] as T;
  };
  return { next, int, pick, chance: (p: number) => next() < p };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const V1 = `# Service readiness

## Platform

- [ ] Deploy pipeline green on main
  - [ ] Rollback deploy rehearsed
- [ ] Docker images pinned by digest
- [ ] Kubernetes probes configured

## Data

- [ ] Database backups run nightly
  - [ ] Restore drill done
  - [ ] Backup alerts wired
- [ ] Database indexes reviewed
- [ ] Migrations reversible

## Security

- [ ] TLS certificates valid
- [ ] Secrets rotated
- [ ] Password policy enforced
  - [ ] Password hashing uses argon2

## Legacy

- [ ] Legacy cron host retired
  - [ ] Cron jobs listed
  - [ ] Cron host decommission plan

## Operations

- [ ] **Runbook written** - One page per service.
- [ ] On-call rota agreed
`;

// Removes the Legacy subtree (untouched: deleted with its nested items) and "On-call rota agreed"
// (deleted or kept, depending on the random work); changes the runbook's guidance (untouched:
// updated); adds items in existing sections, under an existing parent, and a new section.
const V2 = `# Service readiness

## Platform

- [ ] Deploy pipeline green on main
  - [ ] Rollback deploy rehearsed
- [ ] Docker images pinned by digest
- [ ] Kubernetes probes configured

## Data

- [ ] Database backups run nightly
  - [ ] Restore drill done
  - [ ] Backup alerts wired
  - [ ] Point-in-time recovery enabled
- [ ] Database indexes reviewed
- [ ] Migrations reversible
- [ ] Database connection pool sized

## Security

- [ ] TLS certificates valid
- [ ] Secrets rotated
- [ ] Password policy enforced
  - [ ] Password hashing uses argon2

## Operations

- [ ] **Runbook written** - One page per service, linked from every alert.

## Monitoring

- [ ] Alerts on error rate
  - [ ] Alert runbook linked
`;

/** Kept untouched until the upgrade, so that it removes and updates them. */
const UNTOUCHED_UNTIL_UPGRADE = new Set(["Legacy cron host retired", "Cron jobs listed", "Cron host decommission plan", "Runbook written"]);

const IMPORT_1 = `# Extra checks

## Observability

- [x] Logs shipped to the central store
- [ ] Tracing enabled for the API
  - [x] Trace sampling configured

## Database hygiene

- [ ] Database vacuum settings reviewed
`;

const IMPORT_2 = `# Late additions

## Security review

- [x] Security headers checked
- [ ] Dependency audit clean
  - [ ] Secret scanning enabled in CI
`;

type Role = "lead" | "devops" | "dba" | "security" | "approver" | "viewer";
type Review = {
  projectId: string;
  slug: string;
  users: Record<Role, TestUser>;
  actors: Record<Role, Actor>;
  v1: string;
  v2: string;
};

const ownerOf: Record<Exclude<Area, "GENERAL">, Role> = { DEVOPS: "devops", DBA: "dba", SECURITY: "security" };
const memberRoles = { lead: ["LEAD"], devops: ["DEVOPS"], dba: ["DBA"], security: ["SECURITY"], approver: ["APPROVER"], viewer: ["VIEWER"] } as const;

/** A project made through the services: created on template v1 by an admin, members added, slots configured. */
async function startReview(): Promise<Review> {
  const { actor: admin } = await makeActor(["ADMIN"]);
  const roles = Object.keys(memberRoles) as Role[];
  const users = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await makeUser({ name: `${role[0]?.toUpperCase()}${role.slice(1)} ${randomUUID().slice(0, 4)}` })]))) as Record<Role, TestUser>;
  const template = await createTemplate(ctx(admin), { name: `As-of ${randomUUID().slice(0, 8)}`, markdown: V1 });
  const v1 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 1 }, select: { id: true } });
  const project = await createProject(ctx(admin), { name: "As of review", slug: `as-of-${randomUUID()}`, templateVersionId: v1.id, leadUserId: users.lead.id });
  for (const role of roles.filter((role) => role !== "lead")) await addMember(ctx(admin), { projectId: project.id, userId: users[role].id, roles: [...memberRoles[role]] });
  const actors = Object.fromEntries(await Promise.all(roles.map(async (role) => [role, await actorFor(users[role])]))) as Record<Role, Actor>;
  await configureSlots(ctx(actors.lead), { projectId: project.id, requiredSlots: ["DBA", "SECURITY", "GO_LIVE"], ownersMayApprove: true, approveWithOpenItems: true });
  await createTemplateVersion(ctx(admin), { templateId: template.id, expectedVersion: 1, markdown: V2 });
  const v2 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 2 }, select: { id: true } });
  return { projectId: project.id, slug: project.slug, users, actors, v1: v1.id, v2: v2.id };
}

async function itemsNow(projectId: string) {
  return db.checklistItem.findMany({
    where: { projectId },
    orderBy: { id: "asc" },
    select: { id: true, title: true, area: true, required: true, status: true, version: true, waiverExpiresAt: true, waiverAcceptedAt: true, evidence: { select: { id: true }, orderBy: { id: "asc" } } },
  });
}
type LiveItem = Awaited<ReturnType<typeof itemsNow>>[number];

const isReady = (item: LiveItem) => item.status === "DONE" || item.status === "NOT_APPLICABLE" || (item.status === "WAIVED" && item.waiverAcceptedAt !== null && (item.waiverExpiresAt?.getTime() ?? 0) > Date.now());

/** Signs a slot on what it covers right now, as the sign-off page would. */
async function sign(actor: Actor, projectId: string, slot: SignoffSlot, decision: "APPROVED" | "REJECTED") {
  const latest = await db.signoff.findFirst({ where: { projectId, slot }, orderBy: { round: "desc" }, select: { round: true } });
  const expectedDigest = scopeDigest(await loadScope(db, projectId, slot));
  await signSlot(ctx(actor), { projectId, slot, decision, confirmOpenItems: true, expectedRound: latest?.round ?? 0, expectedDigest, comment: `Round by ${actor.name}.`, ...(decision === "REJECTED" ? { reason: "Evidence is thin." } : {}) });
}

/** The events' own clock at the last event so far; waits until the clock has moved past it. */
async function momentNow(projectId: string): Promise<{ at: Date; events: number }> {
  const last = await db.auditEvent.findFirstOrThrow({ where: { projectId }, orderBy: { id: "desc" }, select: { occurredAt: true } });
  const events = await db.auditEvent.count({ where: { projectId } });
  await sleep(3);
  return { at: last.occurredAt, events };
}

/** A random review: returns how many changes succeeded, by kind, and the checkpoints taken. */
async function runReview(review: Review, rng: ReturnType<typeof prng>, changes: number) {
  const { projectId, actors } = review;
  const done: Record<string, number> = {};
  const refused: Record<string, number> = {};
  const checkpoints: { label: string; at: Date; events: number; live: ChecklistProjection }[] = [];
  let upgraded = false;
  let n = 0;

  const worker = (area: Area): Actor => {
    if (area === "GENERAL") return actors[rng.pick(["lead", "devops", "dba", "security"] as const)];
    return rng.chance(0.5) ? actors.lead : actors[ownerOf[area]];
  };
  const waiver = (area: Area): Actor => (area === "GENERAL" || rng.chance(0.5) ? actors.lead : actors[ownerOf[area]]);
  const attempt = async (kind: string, change: () => Promise<unknown>) => {
    try {
      await change();
      done[kind] = (done[kind] ?? 0) + 1;
      n++;
    } catch (error) {
      // A refused change writes nothing; only the expected refusals are tolerated.
      if (!(error instanceof AppError) || !["CONFLICT", "INVALID_INPUT"].includes(error.code)) throw error;
      refused[`${kind}: ${error.code}`] = (refused[`${kind}: ${error.code}`] ?? 0) + 1;
    }
  };

  const milestones = new Map<number, () => Promise<void>>([
    [40, async () => void checkpoints.push({ label: "after 40 changes", ...(await momentNow(projectId)), live: await liveProjection(projectId) })],
    [90, () => attempt("import", () => importChecklist(ctx(actors.lead), { projectId, markdown: IMPORT_2, source: "late-additions.md" }))],
    [120, async () => void checkpoints.push({ label: "after the second import", ...(await momentNow(projectId)), live: await liveProjection(projectId) })],
    [
      160,
      async () => {
        await attempt("upgrade", () => upgradeProjectTemplate(ctx(actors.lead), { projectId, fromVersionId: review.v1, toVersionId: review.v2 }));
        upgraded = true;
        checkpoints.push({ label: "right after the upgrade", ...(await momentNow(projectId)), live: await liveProjection(projectId) });
      },
    ],
    [
      200,
      async () => {
        // A change of the required slots while a sign-off is current: every current one goes stale.
        await attempt("sign DBA APPROVED", () => sign(actors.approver, projectId, "DBA", "APPROVED"));
        await attempt("slots", () => configureSlots(ctx(actors.lead), { projectId, requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: true, approveWithOpenItems: true }));
        checkpoints.push({ label: "right after the required slots changed", ...(await momentNow(projectId)), live: await liveProjection(projectId) });
      },
    ],
    [230, () => attempt("slots", () => configureSlots(ctx(actors.lead), { projectId, requiredSlots: ["DBA", "SECURITY", "GO_LIVE"], ownersMayApprove: true, approveWithOpenItems: true }))],
    [250, async () => void checkpoints.push({ label: "after 250 changes", ...(await momentNow(projectId)), live: await liveProjection(projectId) })],
  ]);

  await attempt("import", () => importChecklist(ctx(actors.lead), { projectId, markdown: IMPORT_1, source: "extra-checks.md" }));
  while (n < changes) {
    // A milestone runs once n reaches it: a waiver requested and accepted in one step counts two, so n may pass it.
    for (const [at, milestone] of milestones) {
      if (n < at) break;
      milestones.delete(at);
      await milestone();
    }
    const all = await itemsNow(projectId);
    const items = upgraded ? all : all.filter((item) => !UNTOUCHED_UNTIL_UPGRADE.has(item.title));
    const item = rng.pick(items);
    const area = item.area as Area;
    const roll = rng.next();

    if (roll < 0.3) {
      const status = rng.pick(["TODO", "IN_PROGRESS", "BLOCKED", "DONE", "NOT_APPLICABLE", "WAIVED"] as const);
      const input: Record<string, unknown> = { itemId: item.id, expectedVersion: item.version, status };
      if (status === "BLOCKED") input.statusReason = `Waiting on ${rng.pick(["the vendor", "credentials", "a change window"])}.`;
      if (status === "NOT_APPLICABLE") input.statusReason = `Not in scope: ${rng.pick(["no public endpoint", "managed by the provider", "batch only"])}.`;
      if (status === "DONE" && ((item.required && item.evidence.length === 0) || rng.chance(0.3))) {
        input.note = `Checked on run ${rng.int(1, 9_999)}.`;
        // Evidence and status in one step: a link given with the change.
        if (rng.chance(0.4)) input.link = `https://ci.example.org/builds/${rng.int(1, 99_999)}`;
      }
      if (status === "WAIVED") {
        Object.assign(input, {
          statusReason: `Accepting the risk until ${rng.pick(["the next release", "the migration", "Q1"])}.`,
          waiverRiskOwnerId: rng.pick([actors.lead.id, actors.security.id, actors.approver.id]),
          waiverExpiresAt: isoDay(rng.int(1, 40)),
          ...(rng.chance(0.5) ? { waiverControls: "Extra monitoring and a weekly review." } : {}),
        });
      }
      const requester = status === "WAIVED" ? waiver(area) : worker(area);
      await attempt(`status ${status}`, () => updateItem(ctx(requester), input));
      if (status === "WAIVED") {
        // Someone other than the requester decides the request, most often accepting it.
        const decision = rng.next();
        const fresh = await db.checklistItem.findUniqueOrThrow({ where: { id: item.id }, select: { version: true, status: true, waiverAcceptedAt: true } });
        const decider = requester.id === actors.approver.id ? actors.lead : actors.approver;
        if (fresh.status === "WAIVED" && !fresh.waiverAcceptedAt && decision < 0.8) {
          if (decision < 0.6) await attempt("waiver accepted", () => acceptWaiver(ctx(decider), { itemId: item.id, expectedVersion: fresh.version }));
          else await attempt("waiver declined", () => declineWaiver(ctx(decider), { itemId: item.id, expectedVersion: fresh.version, reason: "Do the work instead." }));
        }
      }
    } else if (roll < 0.38) {
      // A lead edits the item itself: title, details, area, required.
      const input: Record<string, unknown> = { itemId: item.id, expectedVersion: item.version };
      const edit = rng.pick(["title", "details", "area", "required"] as const);
      if (edit === "title") input.title = `${item.title.replace(/ \(rev \d+\)$/, "")} (rev ${rng.int(1, 99)})`;
      if (edit === "details") input.details = `Guidance revised: ${rng.pick(["see the wiki", "ask the DBA", "use the runbook"])}.`;
      if (edit === "area") input.area = rng.pick(["DEVOPS", "DBA", "SECURITY", "GENERAL"] as const);
      if (edit === "required") {
        input.required = !item.required;
        if (!item.required && item.status === "DONE" && item.evidence.length === 0) input.note = "Evidence for the now required item.";
      }
      await attempt(`edit ${edit}`, () => updateItem(ctx(actors.lead), input));
    } else if (roll < 0.53) {
      const link = rng.chance(0.5);
      const input = link
        ? { itemId: item.id, expectedVersion: item.version, kind: "LINK", url: `https://ci.example.org/runs/${rng.int(1, 99_999)}`, ...(rng.chance(0.5) ? { note: "CI run" } : {}) }
        : { itemId: item.id, expectedVersion: item.version, kind: "NOTE", note: `Observed on ${isoDay(-rng.int(0, 5))}.` };
      await attempt("evidence added", () => addEvidence(ctx(worker(area)), input));
    } else if (roll < 0.6) {
      const removable = items.filter((entry) => entry.evidence.length > (entry.status === "DONE" && entry.required ? 1 : 0));
      if (removable.length === 0) continue;
      const target = rng.pick(removable);
      await attempt("evidence removed", () => removeEvidence(ctx(worker(target.area as Area)), { itemId: target.id, expectedVersion: target.version, evidenceId: rng.pick(target.evidence).id }));
    } else if (roll < 0.67) {
      // A pipeline's result: kept; a failure reopens a done item, a pass may close an open one.
      const pass = rng.chance(0.6);
      const input = { itemId: item.id, status: pass ? "pass" : "fail", summary: `Run ${rng.int(1, 9_999)} ${pass ? "passed" : "failed"}.`, ...(rng.chance(0.5) ? { url: `https://ci.example.org/checks/${rng.int(1, 99_999)}` } : {}), facts: { latencyMs: rng.int(5, 900) }, markDone: pass && rng.chance(0.5) };
      await attempt(`result ${pass ? "pass" : "fail"}`, () => recordItemResult(ctx(worker(area)), input));
    } else if (roll < 0.73) {
      const author = actors[rng.pick(["lead", "devops", "dba", "security", "approver"] as const)];
      await attempt("comment", () => addComment(ctx(author), { itemId: item.id, body: `Note ${rng.int(1, 999)} from ${author.name}.` }));
    } else if (roll < 0.86) {
      const sameArea = items.filter((entry) => entry.area === area);
      const chosen = [...new Set([item, ...Array.from({ length: rng.int(0, 2) }, () => rng.pick(sameArea))])];
      const candidates = (["lead", "devops", "dba", "security"] as const).filter((role) => mayBeAssigned(area, [...memberRoles[role]]));
      const assigneeId = rng.chance(0.15) ? "none" : rng.chance(0.1) ? "keep" : review.users[rng.pick(candidates)].id;
      const dueDate = assigneeId === "keep" || rng.chance(0.7) ? isoDay(rng.int(-3, 21)) : rng.pick(["none", "keep"] as const);
      await attempt("assign", () =>
        assignItems(ctx(actors.lead), {
          projectId,
          items: chosen.map((entry) => `${entry.id}:${entry.version}`),
          assigneeId,
          dueDate,
          timeZone: rng.pick(["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo"]),
        }),
      );
    } else {
      const slot = rng.pick(["DBA", "SECURITY", "GO_LIVE"] as const);
      const current = await db.signoff.findMany({ where: { projectId, state: "CURRENT", decision: "APPROVED" }, select: { slot: true } });
      const goLiveReady = ["DBA", "SECURITY"].every((needed) => current.some((signoff) => signoff.slot === needed));
      const decision = rng.chance(0.2) || (slot === "GO_LIVE" && !goLiveReady) ? "REJECTED" : "APPROVED";
      const signer = slot !== "GO_LIVE" && rng.chance(0.3) ? actors[ownerOf[slot]] : actors.approver;
      await attempt(`sign ${slot} ${decision}`, () => sign(signer, projectId, slot, decision));
    }
  }
  return { done, refused, checkpoints };
}

/** Makes every required item ready and signs every required slot, then marks the project live. */
async function goLive(review: Review) {
  const { projectId, actors } = review;
  for (const item of await itemsNow(projectId)) {
    if (!item.required || isReady(item)) continue;
    await updateItem(ctx(actors.lead), { itemId: item.id, expectedVersion: item.version, status: "DONE", note: "Closed out before go-live." });
  }
  for (const slot of ["DBA", "SECURITY", "GO_LIVE"] as const) await sign(actors.approver, projectId, slot, "APPROVED");
  const { goLiveId } = await markProjectLive(ctx(actors.lead), { projectId });
  return db.goLive.findUniqueOrThrow({ where: { id: goLiveId } });
}

/** What a view shows that does not depend on who looks or on when the row was last written. */
function viewContent(view: ChecklistView) {
  const strip = (items: ChecklistView["sections"][number]["items"]): unknown[] =>
    items.map(({ canWork: _w, canWaive: _v, canComment: _c, updatedAt: _u, children, ...item }) => ({ ...item, children: strip(children) }));
  return { project: view.project, totals: view.totals, filtered: view.filtered, allSections: view.allSections, sections: view.sections.map((section) => ({ ...section, items: strip(section.items) })) };
}

function everyItem(view: ChecklistAsOf) {
  const flatten = (items: ChecklistView["sections"][number]["items"]): ChecklistView["sections"][number]["items"] => items.flatMap((item) => [item, ...flatten(item.children)]);
  return view.sections.flatMap((section) => flatten(section.items));
}

describe("getChecklistAsOf", () => {
  it(`rebuilds a long random review exactly: now, at every checkpoint, at go-live, and evaluated later (seed ${SEED})`, { timeout: 240_000 }, async () => {
    const review = await startReview();
    const { projectId, slug, actors } = review;
    const created = await db.auditEvent.findFirstOrThrow({ where: { projectId }, orderBy: { id: "asc" }, select: { occurredAt: true } });
    const rng = prng(SEED);

    const { done, refused, checkpoints } = await runReview(review, rng, 320);
    const goLiveRow = await goLive(review);
    // Work goes on after go-live: the snapshot must not move, the rebuild as of then neither.
    const [first] = await itemsNow(projectId);
    if (!first) throw new Error("no items");
    await addComment(ctx(actors.lead), { itemId: first.id, body: "Post-launch follow-up." });
    await addEvidence(ctx(actors.lead), { itemId: first.id, expectedVersion: first.version, kind: "LINK", url: "https://status.example.org/launch" });

    console.log(`[as-of] seed ${SEED}: ${Object.values(done).reduce((a, b) => a + b, 0)} changes`, done, "refused", refused);
    console.log(`[as-of] ${await db.auditEvent.count({ where: { projectId } })} events, ${(await itemsNow(projectId)).length} items`);
    // The sequence covers what the rebuild must handle.
    for (const kind of ["status WAIVED", "waiver accepted", "waiver declined", "status NOT_APPLICABLE", "status BLOCKED", "status DONE", "evidence added", "evidence removed", "comment", "assign", "edit title", "edit area", "edit required", "upgrade", "import", "slots", "result pass", "result fail"]) {
      expect(done[kind], kind).toBeGreaterThan(0);
    }
    expect(Object.values(refused).reduce((a, b) => a + b, 0)).toBeLessThan(20);
    const actions = await db.auditEvent.groupBy({ by: ["action"], where: { projectId }, _count: true });
    const count = (action: string) => actions.find((entry) => entry.action === action)?._count ?? 0;
    expect(count("signoff.stale")).toBeGreaterThan(3);
    expect(await db.auditEvent.count({ where: { projectId, action: "signoff.stale", after: { path: ["cause", "action"], equals: "signoff.slots_changed" } } })).toBeGreaterThan(0);
    expect(count("signoff.given")).toBeGreaterThan(5);
    const superseded = await db.signoff.count({ where: { projectId, state: "SUPERSEDED" } });
    expect(superseded).toBeGreaterThan(0);
    const upgrade = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: "checklist.upgraded" }, select: { after: true } });
    const upgradeAfter = upgrade.after as { removed: { title: string }[]; updated: { title: string }[]; addedSections: unknown[] };
    expect(upgradeAfter.removed.map((entry) => entry.title)).toEqual(expect.arrayContaining(["Legacy cron host retired", "Cron jobs listed", "Cron host decommission plan"]));
    expect(upgradeAfter.updated.map((entry) => entry.title)).toContain("Runbook written");
    expect(upgradeAfter.addedSections).toHaveLength(1);

    // Now: the rebuild is the tables, field by field, and renders as getChecklist does.
    const now = new Date();
    const rebuilt = await getChecklistAsOf(actors.viewer, slug, now);
    expect(rebuilt.state.gaps).toEqual([]);
    expect(rebuiltProjection(rebuilt.state)).toEqual(await liveProjection(projectId));
    expect(viewContent(rebuilt)).toEqual(viewContent(await getChecklist(actors.viewer, slug, {}, now)));
    expect(rebuilt.gate).toEqual(await getGateForProject(projectId, now));
    expect(rebuilt.canEdit).toBe(false);
    expect(everyItem(rebuilt).some((item) => item.canWork || item.canWaive || item.canComment)).toBe(false);
    for (const item of everyItem(rebuilt)) expect(rebuilt.details[item.id], item.title).toEqual(await getItemDetail(actors.viewer, item.id));

    // Evaluated at a later moment: waivers expire and due dates pass the same way in both.
    const later = new Date(now.getTime() + 10 * 86_400_000);
    const rebuiltLater = await getChecklistAsOf(actors.lead, slug, later);
    expect(viewContent(rebuiltLater)).toEqual(viewContent(await getChecklist(actors.lead, slug, {}, later)));
    expect(rebuiltLater.gate).toEqual(await getGateForProject(projectId, later));

    // Every checkpoint: the rebuild as of the last event then is what the tables held then.
    expect(checkpoints.map((checkpoint) => checkpoint.label)).toEqual(["after 40 changes", "after the second import", "right after the upgrade", "right after the required slots changed", "after 250 changes"]);
    for (const checkpoint of checkpoints) {
      expect(await db.auditEvent.count({ where: { projectId, occurredAt: { lte: checkpoint.at } } }), checkpoint.label).toBe(checkpoint.events);
      const then = await getChecklistAsOf(actors.lead, slug, checkpoint.at);
      expect(then.state.gaps, checkpoint.label).toEqual([]);
      expect(rebuiltProjection(then.state), checkpoint.label).toEqual(checkpoint.live);
      // The checkpoints differ from each other and from the end, so each check means something.
      expect(checkpoint.live, checkpoint.label).not.toEqual(await liveProjection(projectId));
    }

    // Go-live: the rebuild as of the moment it was marked is the frozen snapshot.
    const snapshot = goLiveRow.snapshot as unknown as GoLiveSnapshot & {
      items: (GoLiveSnapshot["items"][number] & { position: number; version: number; waiverControls: string | null; waiverGrantedByName: string | null; assignee: { name: string } | null; evidence: { id: string; kind: string; url: string | null; note: string; addedByName: string; createdAt: string }[] })[];
    };
    const atLive = await getChecklistAsOf(actors.lead, slug, goLiveRow.markedAt);
    const liveEvent = await db.auditEvent.findFirstOrThrow({ where: { projectId, action: "project.live" }, select: { occurredAt: true } });
    expect((await getChecklistAsOf(actors.lead, slug, liveEvent.occurredAt)).state.liveAt).toBe(goLiveRow.markedAt.toISOString());
    expect(atLive.state.sections).toEqual(snapshot.sections);
    const byId = <T extends { id: string }>(list: T[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    expect(
      byId(
        atLive.state.items.map((item) => ({
          id: item.id,
          sectionId: item.sectionId,
          parentId: item.parentId,
          position: item.position,
          title: item.title,
          area: item.area,
          required: item.required,
          level: item.level,
          status: item.status,
          statusReason: item.statusReason,
          waiverRiskOwner: item.waiverRiskOwner,
          waiverControls: item.waiverControls,
          waiverExpiresAt: item.waiverExpiresAt,
          waiverGrantedByName: item.waiverGrantedByName,
          waiverAcceptedByName: item.waiverAcceptedByName,
          waiverAcceptedAt: item.waiverAcceptedAt,
          version: item.version,
          assignee: item.assigneeName === null ? null : { name: item.assigneeName },
          evidence: byId(item.evidence),
          latestResult: item.results.length ? (({ facts: _facts, ...result }) => result)(item.results.at(-1)!) : null,
        })),
      ),
    ).toEqual(byId(snapshot.items.map((item) => ({ ...item, evidence: byId(item.evidence) }))));
    expect(byId(atLive.state.signoffs.map(({ approverId: _a, staleAt: _s, ...signoff }) => signoff))).toEqual(byId(snapshot.signoffs));
    expect(atLive.gate.open).toBe(true);
    expect(rebuilt.state.items).not.toEqual(atLive.state.items);

    // Before the project existed: nothing.
    const before = await getChecklistAsOf(actors.lead, slug, new Date(created.occurredAt.getTime() - 1));
    expect(before.sections).toEqual([]);
    expect(before.totals.items).toBe(0);
    expect(before.state).toMatchObject({ sections: [], items: [], signoffs: [], liveAt: null, events: 0 });
  });

  it("refuses a user who cannot see the project with NOT_FOUND, as for a project that does not exist; an auditor may look", async () => {
    const review = await startReview();
    const outsider = await actorFor(await makeUser());
    await expectAppError(getChecklistAsOf(outsider, review.slug, new Date()), "NOT_FOUND");
    await expectAppError(getChecklistAsOf(outsider, `missing-${randomUUID()}`, new Date()), "NOT_FOUND");
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    const seen = await getChecklistAsOf(auditor, review.slug, new Date());
    expect(seen.totals.items).toBe(18);
    expect(seen.state.requiredSlots).toEqual(["DBA", "SECURITY", "GO_LIVE"]);
  });

  it("reads only the project's checklist events, in replay order, in one query for a usual history", async () => {
    const review = await startReview();
    const other = await startReview();
    await addComment(ctx(other.actors.lead), { itemId: (await itemsNow(other.projectId))[0]?.id ?? "", body: "Elsewhere." });
    const events = await db.auditEvent.findMany({ where: { projectId: review.projectId, action: { in: [...replayedActions] } }, orderBy: { id: "asc" } });
    const { result: view, statements } = await countQueries(() => getChecklistAsOf(review.actors.lead, review.slug, new Date()));
    expect(statements.filter((statement) => statement.includes("audit_events"))).toHaveLength(1);
    expect(view.state).toEqual(rebuildChecklist(events));
    expect(view.state.events).toBe(events.length);
    expect(view.state.items.every((item) => item.comments.length === 0)).toBe(true);
  });
});

describe("getChecklistAsOf at scale", () => {
  it("a 150-item project with about 2,000 events: correct, and timed", { timeout: 600_000 }, async () => {
    const lines = ["# Scale", ""];
    const words = { DEVOPS: "deploy", DBA: "database", SECURITY: "secrets", GENERAL: "handbook" } as const;
    for (let section = 0; section < 10; section++) {
      lines.push(`## Part ${section + 1}`, "");
      for (let index = 0; index < 15; index++) {
        const area = (["DEVOPS", "DBA", "SECURITY", "GENERAL"] as const)[(section + index) % 4] ?? "GENERAL";
        lines.push(`${index % 5 === 4 ? "  " : ""}- [${index % 7 === 0 ? "x" : " "}] Check ${section + 1}.${index + 1} of the ${words[area]}`);
      }
      lines.push("");
    }
    const { actor: admin } = await makeActor(["ADMIN"]);
    const leadUser = await makeUser();
    const approverUser = await makeUser();
    const project = await createProject(ctx(admin), { name: "Scale", slug: `as-of-scale-${randomUUID()}`, leadUserId: leadUser.id });
    await addMember(ctx(admin), { projectId: project.id, userId: approverUser.id, roles: ["APPROVER"] });
    const lead = await actorFor(leadUser);
    const approver = await actorFor(approverUser);
    await importChecklist(ctx(lead), { projectId: project.id, markdown: lines.join("\n"), source: "scale.md" });
    expect(await db.checklistItem.count({ where: { projectId: project.id } })).toBe(150);

    const rng = prng(SEED + 1);
    const started = Date.now();
    let events = await db.auditEvent.count({ where: { projectId: project.id } });
    while (events < 2_000) {
      const items = await itemsNow(project.id);
      const item = rng.pick(items);
      const roll = rng.next();
      try {
        if (roll < 0.35) await addComment(ctx(rng.chance(0.5) ? lead : approver), { itemId: item.id, body: `Looked at it (${rng.int(1, 999)}).` });
        else if (roll < 0.6) await updateItem(ctx(lead), { itemId: item.id, expectedVersion: item.version, status: rng.pick(["IN_PROGRESS", "DONE", "TODO"] as const), note: `Run ${rng.int(1, 999)}.` });
        else if (roll < 0.8) await addEvidence(ctx(lead), { itemId: item.id, expectedVersion: item.version, kind: "LINK", url: `https://ci.example.org/${rng.int(1, 99_999)}` });
        else if (roll < 0.95) await assignItems(ctx(lead), { projectId: project.id, items: [`${item.id}:${item.version}`], assigneeId: leadUser.id, dueDate: isoDay(rng.int(1, 30)), timeZone: "UTC" });
        else await sign(approver, project.id, rng.pick(["DEVOPS", "DBA", "SECURITY"] as const), "APPROVED");
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
      }
      events = await db.auditEvent.count({ where: { projectId: project.id } });
    }
    const generated = Date.now() - started;

    const now = new Date();
    const rebuilt = await getChecklistAsOf(lead, project.slug, now);
    expect(rebuilt.state.gaps).toEqual([]);
    expect(rebuiltProjection(rebuilt.state)).toEqual(await liveProjection(project.id));

    const time = async (run: () => Promise<unknown>) => {
      const runs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const start = performance.now();
        await run();
        runs.push(performance.now() - start);
      }
      runs.sort((a, b) => a - b);
      return { median: runs[3] ?? 0, max: runs[6] ?? 0 };
    };
    const asOf = await time(() => getChecklistAsOf(lead, project.slug, now));
    const live = await time(() => getChecklist(lead, project.slug, {}, now));
    const rows = await db.auditEvent.findMany({ where: { projectId: project.id, action: { in: [...replayedActions] } }, orderBy: { id: "asc" } });
    const replay = await time(async () => rebuildChecklist(rows));
    const bytes = (await db.$queryRaw<{ bytes: bigint }[]>`SELECT sum(pg_column_size(after) + coalesce(pg_column_size(before), 0))::bigint AS bytes FROM audit_events WHERE project_id = ${project.id}::uuid`)[0]?.bytes ?? 0n;
    const f = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(
      `[as-of timing] 150 items, ${events} events (${(Number(bytes) / 1024).toFixed(0)} KiB of payloads; generated in ${(generated / 1000).toFixed(1)} s):` +
        ` getChecklistAsOf median ${f(asOf.median)} (max ${f(asOf.max)}), of which the pure rebuild ${f(replay.median)};` +
        ` getChecklist (live tables) median ${f(live.median)} (max ${f(live.max)})`,
    );
  });
});
