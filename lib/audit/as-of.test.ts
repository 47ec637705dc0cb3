import { describe, expect, it } from "vitest";
import { auditActions } from "@/lib/audit/events";
import { applyAuditEvent, emptyReplayState, finishReplay, rebuildChecklist, toChecklistAsOf, type RebuiltChecklist, type ReplayEvent } from "@/lib/audit/as-of";
import type { ProjectView } from "@/lib/projects/data";

// The rebuild against events shaped exactly as the services write them (see the writers named
// on each test); tests/db/as-of.test.ts holds it to the real services and tables.

const T0 = Date.parse("2026-11-02T09:00:00.000Z");
const minutes = (n: number) => new Date(T0 + n * 60_000);
const iso = (n: number) => minutes(n).toISOString();

let nextId = 1;
function event(action: string, fields: { entityId?: string; after?: unknown; before?: unknown; at?: number; actorName?: string; actorId?: string }): ReplayEvent {
  return {
    id: BigInt(nextId++),
    occurredAt: minutes(fields.at ?? nextId),
    action,
    entityId: fields.entityId ?? null,
    actorId: fields.actorId ?? "user-lena",
    actorName: fields.actorName ?? "Lena Lead",
    before: fields.before ?? null,
    after: fields.after ?? null,
  };
}

const S1 = "section-database";
const S2 = "section-security";
const item = (id: string, fields: Partial<{ sectionId: string; parentId: string | null; position: number; title: string; status: string; area: string; required: boolean; templateKey: string | null; details: string }> = {}) => ({
  id,
  sectionId: S1,
  parentId: null,
  position: 0,
  templateKey: null,
  title: id,
  details: "",
  area: "DBA",
  required: true,
  status: "TODO",
  ...fields,
});

/** checklist.imported as addChecklistRows writes it (one checked item with its evidence). */
function imported(at = 0): ReplayEvent {
  return event(auditActions.CHECKLIST_IMPORTED, {
    entityId: "project-1",
    at,
    after: {
      origin: { kind: "markdown", source: "payments.md", stats: { sections: 2, items: 5, checked: 1, maxDepth: 2 } },
      sections: [
        { id: S1, title: "Database", position: 0 },
        { id: S2, title: "Security", position: 1 },
      ],
      items: [
        item("backups", { position: 0, title: "Backups run nightly" }),
        item("restore", { parentId: "backups", position: 0, title: "Restore tested", status: "DONE" }),
        item("indexes", { position: 1, title: "Indexes reviewed" }),
        item("tls", { sectionId: S2, position: 0, title: "TLS everywhere", area: "SECURITY" }),
        item("vault", { sectionId: S2, position: 1, title: "Secrets in a vault", area: "SECURITY", details: "no secrets in env files" }),
      ],
      checkedEvidence: [{ id: "ev-import", itemId: "restore", note: "Imported as checked from payments.md.", addedByName: "Lena Lead", createdAt: iso(at) }],
    },
  });
}

const itemOf = (state: RebuiltChecklist, id: string) => {
  const found = state.items.find((entry) => entry.id === id);
  if (!found) throw new Error(`no item ${id} in the rebuild`);
  return found;
};

describe("rebuildChecklist", () => {
  it("is empty, with the default required slots, before any event", () => {
    expect(rebuildChecklist([])).toEqual({ sections: [], items: [], signoffs: [], requiredSlots: ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"], levels: [], targetLevel: 0, liveAt: null, events: 0, gaps: [] });
  });

  it("checklist.imported: sections by position, items in document order with every field, the checked item's evidence by its id", () => {
    const state = rebuildChecklist([imported()]);
    expect(state.sections).toEqual([
      { id: S1, title: "Database", position: 0 },
      { id: S2, title: "Security", position: 1 },
    ]);
    expect(state.items.map((entry) => entry.id)).toEqual(["backups", "restore", "indexes", "tls", "vault"]);
    expect(itemOf(state, "vault")).toEqual({
      id: "vault",
      sectionId: S2,
      parentId: null,
      position: 1,
      templateKey: null,
      title: "Secrets in a vault",
      details: "no secrets in env files",
      area: "SECURITY",
      required: true,
      level: 0,
      status: "TODO",
      statusReason: null,
      waiverRiskOwner: null,
      waiverControls: null,
      waiverExpiresAt: null,
      waiverGrantedById: null,
      waiverGrantedByName: null,
      waiverRiskOwnerId: null,
      waiverAcceptedById: null,
      waiverAcceptedByName: null,
      waiverAcceptedAt: null,
      assigneeId: null,
      assigneeName: null,
      dueAt: null,
      version: 1,
      updatedAt: iso(0),
      evidence: [],
      comments: [],
      results: [],
    });
    expect(itemOf(state, "restore")).toMatchObject({ status: "DONE", parentId: "backups", evidence: [{ id: "ev-import", kind: "NOTE", url: null, note: "Imported as checked from payments.md.", addedByName: "Lena Lead", createdAt: iso(0) }] });
    expect(state.gaps).toEqual([]);
  });

  it("a second import adds after the first; other events (members, tokens) change nothing", () => {
    const second = event(auditActions.CHECKLIST_IMPORTED, {
      entityId: "project-1",
      after: { origin: { kind: "template" }, sections: [{ id: "section-ops", title: "Operations", position: 2 }], items: [item("runbook", { sectionId: "section-ops", templateKey: "k-runbook" })], checkedEvidence: [] },
    });
    const state = rebuildChecklist([
      imported(),
      event(auditActions.MEMBER_ADDED, { entityId: "user-2", after: { roles: ["DBA"] } }),
      event(auditActions.TOKEN_CREATED, { after: { name: "ci" } }),
      second,
    ]);
    expect(state.sections.map((entry) => entry.title)).toEqual(["Database", "Security", "Operations"]);
    expect(itemOf(state, "runbook")).toMatchObject({ templateKey: "k-runbook", sectionId: "section-ops" });
    expect(state.events).toBe(2);
  });

  it("an import written before events named its evidence still counts each checked item's note, and reports the gap", () => {
    const legacy = imported();
    const { checkedEvidence: _dropped, ...after } = legacy.after as Record<string, unknown>;
    const state = rebuildChecklist([{ ...legacy, after }]);
    expect(itemOf(state, "restore").evidence).toEqual([
      { id: `unknown:${String(legacy.id)}:restore`, kind: "NOTE", url: null, note: "Imported as checked from payments.md.", addedByName: "Lena Lead", createdAt: iso(0) },
    ]);
    expect(state.gaps).toEqual([{ eventId: String(legacy.id), action: auditActions.CHECKLIST_IMPORTED, problem: "the evidence of 1 checked items has no ids" }]);
  });

  it("item.updated: applies exactly the changed fields the event names, the version, and a note as NOTE evidence with its id", () => {
    const state = rebuildChecklist([
      imported(),
      event(auditActions.ITEM_UPDATED, {
        entityId: "indexes",
        at: 5,
        actorName: "Priya DBA",
        before: { status: "TODO", version: 1, title: "Indexes reviewed" },
        after: { status: "DONE", version: 2, title: "Indexes reviewed", note: "Slow log clean.", evidenceId: "ev-note", evidenceCreatedAt: "2026-11-02T09:05:00.002Z" },
      }),
      event(auditActions.ITEM_UPDATED, {
        entityId: "indexes",
        at: 6,
        before: { title: "Indexes reviewed", details: "", area: "DBA", required: true, version: 2 },
        after: { title: "Indexes reviewed weekly", details: "Use pg_stat_statements.", area: "DEVOPS", required: false, version: 3 },
      }),
    ]);
    expect(itemOf(state, "indexes")).toMatchObject({
      status: "DONE",
      title: "Indexes reviewed weekly",
      details: "Use pg_stat_statements.",
      area: "DEVOPS",
      required: false,
      version: 3,
      updatedAt: iso(6),
      evidence: [{ id: "ev-note", kind: "NOTE", url: null, note: "Slow log clean.", addedByName: "Priya DBA", createdAt: "2026-11-02T09:05:00.002Z" }],
    });
  });

  it("item.updated: a waiver's fields and who granted it, then N/A with a reason clears them, then BLOCKED with its reason", () => {
    const waived = event(auditActions.ITEM_UPDATED, {
      entityId: "tls",
      at: 3,
      after: {
        status: "WAIVED",
        statusReason: "Internal network until the mesh lands.",
        waiverRiskOwner: "Sam Security",
        waiverControls: "Network policy denies egress.",
        waiverExpiresAt: "2026-11-30T23:59:59.999Z",
        waiverGrantedById: "user-lena",
        waiverGrantedByName: "Lena Lead",
        version: 2,
        title: "TLS everywhere",
      },
    });
    const waiverState = rebuildChecklist([imported(), waived]);
    expect(itemOf(waiverState, "tls")).toMatchObject({
      status: "WAIVED",
      statusReason: "Internal network until the mesh lands.",
      waiverRiskOwner: "Sam Security",
      waiverControls: "Network policy denies egress.",
      waiverExpiresAt: "2026-11-30T23:59:59.999Z",
      waiverGrantedByName: "Lena Lead",
    });
    const notApplicable = event(auditActions.ITEM_UPDATED, {
      entityId: "tls",
      at: 4,
      after: { status: "NOT_APPLICABLE", statusReason: "No external traffic.", waiverRiskOwner: null, waiverControls: null, waiverExpiresAt: null, waiverGrantedById: null, waiverGrantedByName: null, version: 3, title: "TLS everywhere" },
    });
    expect(itemOf(rebuildChecklist([imported(), waived, notApplicable]), "tls")).toMatchObject({
      status: "NOT_APPLICABLE",
      statusReason: "No external traffic.",
      waiverRiskOwner: null,
      waiverControls: null,
      waiverExpiresAt: null,
      waiverGrantedByName: null,
      version: 3,
    });
    const blocked = event(auditActions.ITEM_UPDATED, { entityId: "tls", at: 5, after: { status: "BLOCKED", statusReason: "Waiting for certificates.", version: 4, title: "TLS everywhere" } });
    expect(itemOf(rebuildChecklist([imported(), waived, notApplicable, blocked]), "tls")).toMatchObject({ status: "BLOCKED", statusReason: "Waiting for certificates.", version: 4 });
  });

  it("item.assigned: assignee, their name as recorded and the due time; unassigning clears them", () => {
    const assigned = event(auditActions.ITEM_ASSIGNED, {
      entityId: "backups",
      after: { title: "Backups run nightly", assigneeId: "user-priya", assigneeName: "Priya DBA", dueAt: "2026-11-20T22:59:59.999Z", version: 2 },
    });
    expect(itemOf(rebuildChecklist([imported(), assigned]), "backups")).toMatchObject({ assigneeId: "user-priya", assigneeName: "Priya DBA", dueAt: "2026-11-20T22:59:59.999Z", version: 2 });
    const cleared = event(auditActions.ITEM_ASSIGNED, { entityId: "backups", after: { title: "Backups run nightly", assigneeId: null, assigneeName: null, dueAt: null, version: 3 } });
    expect(itemOf(rebuildChecklist([imported(), assigned, cleared]), "backups")).toMatchObject({ assigneeId: null, assigneeName: null, dueAt: null, version: 3 });
  });

  it("evidence.added and evidence.removed: the removed one is gone, the others stay in order; comments are counted", () => {
    const link = event(auditActions.EVIDENCE_ADDED, {
      entityId: "restore",
      at: 2,
      after: { id: "ev-link", kind: "LINK", url: "https://ci.example.org/restore/42", note: "", addedByName: "Priya DBA", createdAt: iso(2), itemTitle: "Restore tested", version: 2 },
    });
    const note = event(auditActions.EVIDENCE_ADDED, {
      entityId: "restore",
      at: 3,
      after: { id: "ev-note", kind: "NOTE", url: null, note: "Drill done.", addedByName: "Priya DBA", createdAt: iso(3), itemTitle: "Restore tested", version: 3 },
    });
    const removed = event(auditActions.EVIDENCE_REMOVED, {
      entityId: "restore",
      at: 4,
      before: { id: "ev-link", kind: "LINK", url: "https://ci.example.org/restore/42", note: "", addedByName: "Priya DBA", itemTitle: "Restore tested" },
      after: { version: 4 },
    });
    const comments = ["First.", "Second."].map((body, index) => event(auditActions.COMMENT_ADDED, { entityId: "restore", at: 5 + index, after: { commentId: `c-${index}`, body, itemTitle: "Restore tested", createdAt: iso(5 + index) } }));
    const state = rebuildChecklist([imported(), link, note, removed, ...comments]);
    const restore = itemOf(state, "restore");
    expect(restore.evidence.map((entry) => entry.id)).toEqual(["ev-import", "ev-note"]);
    expect(restore.version).toBe(4);
    expect(restore.comments).toEqual([
      { id: "c-0", authorName: "Lena Lead", body: "First.", createdAt: iso(5) },
      { id: "c-1", authorName: "Lena Lead", body: "Second.", createdAt: iso(6) },
    ]);
    // A comment does not change the item's version or updatedAt.
    expect(restore.updatedAt).toBe(iso(4));
    expect(state.gaps).toEqual([]);
  });

  it("checklist.upgraded: removing an untouched parent removes its children too; updated guidance; new sections and items in place", () => {
    const upgraded = event(auditActions.CHECKLIST_UPGRADED, {
      entityId: "project-1",
      at: 9,
      before: { templateVersionId: "v1", version: 1 },
      after: {
        templateVersionId: "v2",
        version: 2,
        // The writer lists what it deleted; nested items go with their parent unlisted.
        removed: [{ id: "backups", title: "Backups run nightly" }],
        kept: [{ id: "tls", title: "TLS everywhere" }],
        updated: [{ id: "indexes", title: "Indexes reviewed", fields: ["details", "required"], details: "Daily.", area: "DBA", required: false, version: 2 }],
        addedSections: [{ id: "section-monitoring", title: "Monitoring", position: 2 }],
        added: [
          { id: "pool", title: "Connection pool sized", section: "Database", sectionId: S1, parentId: null, position: 2, templateKey: "k-pool", details: "", area: "DBA", required: true },
          { id: "alerts", title: "Alerts on error rate", section: "Monitoring", sectionId: "section-monitoring", parentId: null, position: 0, templateKey: "k-alerts", details: "Page on 5xx.", area: "DEVOPS", required: true },
          { id: "alert-runbook", title: "Alert runbook linked", section: "Monitoring", sectionId: "section-monitoring", parentId: "alerts", position: 0, templateKey: "k-runbook", details: "", area: "GENERAL", required: false },
        ],
      },
    });
    const state = rebuildChecklist([imported(), upgraded]);
    expect(state.items.map((entry) => entry.id)).toEqual(["indexes", "pool", "tls", "vault", "alerts", "alert-runbook"]);
    expect(itemOf(state, "indexes")).toMatchObject({ details: "Daily.", required: false, version: 2, updatedAt: iso(9) });
    expect(itemOf(state, "alert-runbook")).toMatchObject({ sectionId: "section-monitoring", parentId: "alerts", templateKey: "k-runbook", area: "GENERAL", required: false, status: "TODO", version: 1 });
    expect(state.sections.map((entry) => entry.title)).toEqual(["Database", "Security", "Monitoring"]);
    expect(state.gaps).toEqual([]);
  });

  it("signoff.given: round 1 CURRENT; round 2 supersedes it; a change makes round 2 STALE; round 3 leaves the STALE one as it is", () => {
    const given = (id: string, round: number, at: number, decision = "APPROVED") =>
      event(auditActions.SIGNOFF_GIVEN, {
        entityId: id,
        at,
        actorId: "user-alex",
        actorName: "Alex Approver",
        after: { id, slot: "DBA", round, decision, approverName: "Alex Approver", approverTitle: "Head of Engineering", capacity: "APPROVER", comment: "", reason: decision === "REJECTED" ? "Restore untested." : null, digest: `digest-${round}`, signedAt: iso(at), items: 3 },
      });
    const stale = event(auditActions.SIGNOFF_STALE, {
      entityId: "so-2",
      at: 12,
      before: { slot: "DBA", round: 2, state: "CURRENT", digest: "digest-2", approverName: "Alex Approver" },
      after: { slot: "DBA", round: 2, state: "STALE", digest: "digest-now", cause: { action: "item.updated", itemId: "indexes", title: "Indexes reviewed" }, staleAt: "2026-11-02T09:12:00.004Z" },
    });
    const state = rebuildChecklist([imported(), given("so-1", 1, 10, "REJECTED"), given("so-2", 2, 11), stale, given("so-3", 3, 13)]);
    expect(state.signoffs.map((entry) => [entry.id, entry.round, entry.state, entry.staleAt])).toEqual([
      ["so-1", 1, "SUPERSEDED", null],
      ["so-2", 2, "STALE", "2026-11-02T09:12:00.004Z"],
      ["so-3", 3, "CURRENT", null],
    ]);
    expect(state.signoffs[0]).toEqual({
      id: "so-1",
      slot: "DBA",
      round: 1,
      state: "SUPERSEDED",
      decision: "REJECTED",
      approverId: "user-alex",
      approverName: "Alex Approver",
      approverTitle: "Head of Engineering",
      capacity: "APPROVER",
      comment: "",
      reason: "Restore untested.",
      digest: "digest-1",
      // Events from before the count was recorded replay as none open.
      openItems: 0,
      signedAt: iso(10),
      staleAt: null,
      // ...and from before signatures recorded their meaning and proof, without them.
      meaning: null,
      reauthMethod: null,
      reauthAt: null,
      reauthBasis: null,
    });
  });

  it("sign-offs of different slots do not supersede each other; slots_changed and project.live are kept", () => {
    const given = (id: string, slot: string) =>
      event(auditActions.SIGNOFF_GIVEN, { entityId: id, after: { id, slot, round: 1, decision: "APPROVED", approverName: "A", approverTitle: "", capacity: "APPROVER", comment: "", reason: null, digest: "d", signedAt: iso(1) } });
    const state = rebuildChecklist([
      event(auditActions.SIGNOFF_SLOTS_CHANGED, { after: { requiredSlots: ["DBA", "GO_LIVE"], ownersMayApprove: false } }),
      given("dba", "DBA"),
      given("go", "GO_LIVE"),
      event(auditActions.PROJECT_LIVE, { after: { liveAt: "2026-11-03T10:00:00.000Z", items: 0, signoffs: [] } }),
    ]);
    expect(state.signoffs.map((entry) => [entry.slot, entry.state])).toEqual([
      ["DBA", "CURRENT"],
      ["GO_LIVE", "CURRENT"],
    ]);
    expect(state.requiredSlots).toEqual(["DBA", "GO_LIVE"]);
    expect(state.liveAt).toBe("2026-11-03T10:00:00.000Z");
  });

  it("reports, and skips, an event about an item no event created and a payload it cannot read", () => {
    const state = rebuildChecklist([
      imported(),
      event(auditActions.ITEM_UPDATED, { entityId: "made-outside", after: { status: "DONE", version: 2, title: "x" } }),
      event(auditActions.ITEM_ASSIGNED, { entityId: "tls", after: { assigneeId: 42 } }),
    ]);
    expect(state.gaps.map((gap) => gap.problem)).toEqual(["names an item that no earlier event created", expect.stringContaining("unreadable payload (assigneeId")]);
    expect(itemOf(state, "tls").assigneeId).toBeNull();
  });

  it("applying events one at a time gives the same as all at once", () => {
    const events = [imported(), event(auditActions.ITEM_UPDATED, { entityId: "tls", after: { status: "IN_PROGRESS", version: 2, title: "TLS everywhere" } })];
    const state = emptyReplayState();
    for (const entry of events) applyAuditEvent(state, entry);
    expect(finishReplay(state)).toEqual(rebuildChecklist(events));
  });
});

describe("toChecklistAsOf", () => {
  const project: ProjectView = { id: "project-1", slug: "payments", name: "Payments", description: "", targetGoLive: null, liveAt: null, members: [], myRoles: ["LEAD"], team: null };

  function waivedAndSigned() {
    return rebuildChecklist([
      imported(),
      event(auditActions.ITEM_UPDATED, {
        entityId: "tls",
        after: { status: "WAIVED", statusReason: "Mesh later.", waiverRiskOwner: "Sam", waiverRiskOwnerId: "user-sam", waiverControls: null, waiverExpiresAt: iso(60), waiverGrantedById: "user-lena", waiverGrantedByName: "Lena Lead", version: 2, title: "TLS everywhere" },
      }),
      event(auditActions.WAIVER_ACCEPTED, {
        entityId: "tls",
        actorId: "user-alex",
        after: { status: "WAIVED", waiverExpiresAt: iso(60), waiverAcceptedById: "user-alex", waiverAcceptedByName: "Alex", waiverAcceptedAt: iso(5), version: 3, title: "TLS everywhere" },
      }),
      event(auditActions.ITEM_ASSIGNED, { entityId: "vault", after: { assigneeId: "user-sam", assigneeName: "Sam", dueAt: iso(30), version: 2 } }),
      event(auditActions.COMMENT_ADDED, { entityId: "vault", after: { commentId: "c-1", body: "On it.", createdAt: iso(8) } }),
      event(auditActions.SIGNOFF_SLOTS_CHANGED, { after: { requiredSlots: ["SECURITY"] } }),
      event(auditActions.SIGNOFF_GIVEN, {
        entityId: "so-1",
        actorId: "user-alex",
        after: { id: "so-1", slot: "SECURITY", round: 1, decision: "APPROVED", approverName: "Alex", approverTitle: "CTO", capacity: "APPROVER", comment: "", reason: null, digest: "d1", signedAt: iso(9) },
      }),
    ]);
  }

  it("renders like getChecklist: the section trees, counts, nothing allowed; statuses and due states evaluated at the moment asked", () => {
    const state = waivedAndSigned();
    const before = toChecklistAsOf(project, state, minutes(20));
    expect(before.sections.map((section) => [section.title, section.items.map((entry) => [entry.title, entry.children.map((child) => child.title)])])).toEqual([
      ["Database", [["Backups run nightly", ["Restore tested"]], ["Indexes reviewed", []]]],
      ["Security", [["TLS everywhere", []], ["Secrets in a vault", []]]],
    ]);
    const tls = before.sections[1]?.items[0];
    const vault = before.sections[1]?.items[1];
    expect(tls).toMatchObject({ effectiveStatus: "WAIVED", waiverExpiresAt: iso(60).slice(0, 10), canWork: false, canWaive: false, canComment: false });
    expect(vault).toMatchObject({ assigneeName: "Sam", dueAt: iso(30), dueState: "soon", commentCount: 1, evidenceCount: 0 });
    expect(before).toMatchObject({ canEdit: false, filtered: false, asOf: minutes(20).toISOString() });
    expect(before.totals).toMatchObject({ items: 5, satisfied: 2, required: 5, requiredSatisfied: 2 });
    expect(before.details.restore?.evidence.map((entry) => entry.id)).toEqual(["ev-import"]);
    expect(before.details.vault?.comments).toEqual([{ id: "c-1", authorName: "Lena Lead", body: "On it.", createdAt: iso(8), createdLabel: "2 Nov 2026, 09:08" }]);

    // The same history read later: the waiver has expired and the item is overdue.
    const later = toChecklistAsOf(project, state, minutes(90));
    expect(later.sections[1]?.items[0]).toMatchObject({ status: "WAIVED", effectiveStatus: "WAIVER_EXPIRED" });
    expect(later.sections[1]?.items[1]).toMatchObject({ dueState: "overdue" });
    expect(later.gate.reasons).toContainEqual(expect.objectContaining({ code: "WAIVER_EXPIRED", itemId: "tls" }));
  });

  it("the gate at that moment, with the latest round of each slot shaped like getGateForProject's", () => {
    const view = toChecklistAsOf(project, waivedAndSigned(), minutes(20));
    expect(view.gate.requiredSlots).toEqual(["SECURITY"]);
    expect(view.gate.liveAt).toBeNull();
    expect(view.gate.signoffs).toEqual([
      { slot: "SECURITY", round: 1, state: "CURRENT", decision: "APPROVED", approver: { id: "user-alex", name: "Alex", title: "CTO", capacity: "APPROVER" }, comment: "", reason: null, digest: "d1", openItems: 0, signedAt: iso(9), staleAt: null, meaning: null, reauth: null },
    ]);
    expect(view.gate.open).toBe(false);
    expect(view.gate.reasons.map((reason) => reason.code)).toEqual(["ITEM_OPEN", "ITEM_OPEN", "ITEM_OPEN"]);
  });

  it("a waiver counts from its acceptance: a request before, accepted after; a declined one is to do again", () => {
    const requested = event(auditActions.ITEM_UPDATED, {
      entityId: "tls",
      after: { status: "WAIVED", statusReason: "Mesh later.", waiverRiskOwner: "Sam", waiverRiskOwnerId: "user-sam", waiverExpiresAt: iso(60), waiverGrantedById: "user-lena", waiverGrantedByName: "Lena Lead", version: 2, title: "TLS everywhere" },
    });
    const pending = toChecklistAsOf(project, rebuildChecklist([imported(), requested]), minutes(20));
    expect(pending.sections[1]?.items[0]).toMatchObject({ status: "WAIVED", effectiveStatus: "WAIVER_REQUESTED", waiverAcceptedByName: null });
    expect(pending.gate.reasons).toContainEqual(expect.objectContaining({ code: "WAIVER_PENDING", itemId: "tls" }));

    const accepted = toChecklistAsOf(project, waivedAndSigned(), minutes(20));
    expect(accepted.sections[1]?.items[0]).toMatchObject({ effectiveStatus: "WAIVED", waiverAcceptedByName: "Alex", waiverAcceptedAt: iso(5) });

    const declined = event(auditActions.WAIVER_DECLINED, {
      entityId: "tls",
      after: { status: "TODO", statusReason: null, waiverRiskOwner: null, waiverRiskOwnerId: null, waiverExpiresAt: null, waiverGrantedById: null, waiverGrantedByName: null, reason: "Not without the mesh.", version: 3, title: "TLS everywhere" },
    });
    const state = rebuildChecklist([imported(), requested, declined]);
    expect(state.gaps).toEqual([]);
    expect(itemOf(state, "tls")).toMatchObject({ status: "TODO", statusReason: null, waiverRiskOwner: null, waiverGrantedByName: null, version: 3 });
  });

  it("filters like getChecklist", () => {
    const view = toChecklistAsOf(project, waivedAndSigned(), minutes(20), { status: "OPEN", area: "SECURITY" });
    expect(view.filtered).toBe(true);
    expect(view.sections.flatMap((section) => section.items.map((entry) => entry.title))).toEqual(["Secrets in a vault"]);
  });
});

describe("levels in the rebuild", () => {
  const project: ProjectView = { id: "project-1", slug: "payments", name: "Payments", description: "", targetGoLive: null, liveAt: null, members: [], myRoles: ["LEAD"], team: null };
  const levelled = () => [
    event(auditActions.LEVELS_CHANGED, { entityId: "project-1", before: { levels: [], targetLevel: 0 }, after: { levels: ["Beta", "GA"], targetLevel: 0, from: "checklist" } }),
    event(auditActions.CHECKLIST_IMPORTED, {
      entityId: "project-1",
      after: { origin: { kind: "markdown", source: "levels.md" }, sections: [{ id: S1, title: "Database", position: 0 }], items: [item("backups", { title: "Backups" }), { ...item("replica", { position: 1, title: "Replica" }), level: 1 }], checkedEvidence: [] },
    }),
  ];

  it("replays the levels, the target and each item's level; an item above the target does not hold the gate closed", () => {
    const state = rebuildChecklist([...levelled(), event(auditActions.ITEM_UPDATED, { entityId: "backups", after: { status: "NOT_APPLICABLE", statusReason: "No data.", version: 2, title: "Backups" } })]);
    expect(state).toMatchObject({ levels: ["Beta", "GA"], targetLevel: 0 });
    expect(itemOf(state, "replica").level).toBe(1);
    const view = toChecklistAsOf(project, { ...state, requiredSlots: [] }, minutes(100));
    expect(view.gate.open).toBe(true);
    expect(view.levels).toEqual({ names: ["Beta", "GA"], target: 0, reached: 0, next: 1, missing: 1 });
    expect(view.totals).toMatchObject({ required: 1, requiredSatisfied: 1 });
  });

  it("moves items with a renaming or removal of levels as the writer does, one version each, and follows a raised target", () => {
    const state = rebuildChecklist([
      ...levelled(),
      event(auditActions.LEVELS_CHANGED, { entityId: "project-1", before: { levels: ["Beta", "GA"], targetLevel: 0 }, after: { levels: ["GA", "Beta"], targetLevel: 1, remap: [1, 0], movedItems: 2 } }),
    ]);
    expect(itemOf(state, "backups")).toMatchObject({ level: 1, version: 2 });
    expect(itemOf(state, "replica")).toMatchObject({ level: 0, version: 2 });
    expect(toChecklistAsOf(project, { ...state, requiredSlots: [] }, minutes(100)).gate.reasons.map((reason) => "itemId" in reason && reason.itemId)).toEqual(["backups", "replica"]);
    expect(state.gaps).toEqual([]);
  });
});
