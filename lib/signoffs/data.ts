import { isUuid } from "@/lib/validation";
import { db, type Tx } from "@/lib/db";
import type { Signoff } from "@/lib/generated/prisma/client";
import type { Area, ItemStatus } from "@/lib/checklists/types";
import { AppError } from "@/lib/errors";
import { isSatisfied } from "@/lib/checklists/rules";
import { levelName } from "@/lib/checklists/levels";
import { can, selfGrantRefusal, separationOfDutiesRefusal, signingCapacity, type Actor, type ScopeWork } from "@/lib/policy";
import { needsProofToSign } from "@/lib/users/proof";
import { auditActions } from "@/lib/audit/events";
import { getProjectForActor, type ProjectView } from "@/lib/projects/data";
import { holdingsByProject } from "@/lib/projects/roles";
import { computeGate, markLiveCheck, scopeItemState, signatureMeaning, staleCauseWords, type Gate, type MarkLiveReason } from "@/lib/signoffs/gate";
import { staleCauseSchema } from "@/lib/signoffs/schema";
import { diffScopes, scopeDigest, slotCovers, type ScopeDiff, type ScopeItem, type SignoffSlot } from "@/lib/signoffs/digest";

type Client = Tx | typeof db;

/**
 * The canonical state of every item a slot covers, read inside the caller's transaction: on a
 * checklist with levels, only the items at or below the target level (lib/checklists/levels.ts).
 */
export async function loadScope(client: Client, projectId: string, slot: SignoffSlot): Promise<ScopeItem[]> {
  const areas: Area[] = slot === "GO_LIVE" ? ["DEVOPS", "DBA", "SECURITY", "GENERAL"] : [slot];
  const project = await client.project.findUniqueOrThrow({ where: { id: projectId }, select: { levels: true, targetLevel: true } });
  const items = await client.checklistItem.findMany({
    where: { projectId, area: { in: areas }, ...(project.levels.length > 0 ? { level: { lte: project.targetLevel } } : {}) },
    select: {
      id: true,
      title: true,
      status: true,
      area: true,
      required: true,
      statusReason: true,
      waiverRiskOwner: true,
      waiverRiskOwnerId: true,
      waiverControls: true,
      waiverExpiresAt: true,
      waiverAcceptedById: true,
      waiverAcceptedByName: true,
      waiverAcceptedAt: true,
      evidence: { select: { id: true } },
    },
  });
  const outcomes = await latestOutcomes(client, projectId);
  return items
    .filter((item) => slotCovers(slot, item.area))
    .map((item) => ({
      id: item.id,
      title: item.title,
      status: item.status,
      area: item.area,
      required: item.required,
      evidenceIds: item.evidence.map((entry) => entry.id),
      waiver:
        item.status === "WAIVED"
          ? {
              reason: item.statusReason,
              riskOwner: item.waiverRiskOwner,
              riskOwnerId: item.waiverRiskOwnerId,
              controls: item.waiverControls,
              expiresAt: item.waiverExpiresAt?.toISOString() ?? null,
              acceptedById: item.waiverAcceptedById,
              acceptedByName: item.waiverAcceptedByName,
              acceptedAt: item.waiverAcceptedAt?.toISOString() ?? null,
            }
          : null,
      ...(outcomes.has(item.id) ? { result: outcomes.get(item.id) } : {}),
    }));
}

/** The outcome of each item's latest counted result (a failure awaiting confirmation is not yet one), for the items that have one. */
async function latestOutcomes(client: Client, projectId: string): Promise<Map<string, "PASS" | "FAIL">> {
  const rows = await client.$queryRaw<{ itemId: string; outcome: "PASS" | "FAIL" }[]>`
    SELECT DISTINCT ON (item_id) item_id::text AS "itemId", outcome::text AS outcome
    FROM item_results WHERE project_id = ${projectId}::uuid AND counted
    ORDER BY item_id, recorded_at DESC, id DESC`;
  return new Map(rows.map((row) => [row.itemId, row.outcome]));
}

/**
 * Who brought each done or waived item of a scope to its present state, for separation of duties.
 * Waived: the person who granted the waiver (checklist_items.waiver_granted_by_id). Done: the
 * actor of the latest audit event that set it done (an item.updated to DONE, or an import that
 * brought it in checked), read from the trail rather than a column so that it covers work done
 * before the setting existed and needs nothing of every writer of a status.
 */
export async function loadScopeWork(client: Client, projectId: string, scope: readonly ScopeItem[]): Promise<ScopeWork[]> {
  const done = scope.filter((item) => item.status === "DONE");
  const waived = scope.filter((item) => item.status === "WAIVED");
  const work: ScopeWork[] = [];
  if (waived.length > 0) {
    const rows = await client.checklistItem.findMany({ where: { projectId, id: { in: waived.map((item) => item.id) } }, select: { id: true, title: true, waiverGrantedById: true } });
    for (const row of rows) work.push({ itemId: row.id, title: row.title, how: "WAIVED", byId: row.waiverGrantedById });
  }
  if (done.length > 0) {
    const ids = done.map((item) => item.id);
    const rows = await client.$queryRaw<{ itemId: string; actorId: string | null }[]>`
      SELECT DISTINCT ON (done.item_id) done.item_id AS "itemId", done.actor_id::text AS "actorId"
      FROM (
        SELECT e.entity_id AS item_id, e.actor_id, e.seq FROM audit_events e
        WHERE e.project_id = ${projectId}::uuid AND e.action = ${auditActions.ITEM_UPDATED} AND e.entity_id = ANY(${ids}::text[]) AND e.after->>'status' = 'DONE'
        UNION ALL
        SELECT entry->>'id', e.actor_id, e.seq FROM audit_events e CROSS JOIN LATERAL jsonb_array_elements(e.after->'items') AS entry
        WHERE e.project_id = ${projectId}::uuid AND e.action = ${auditActions.CHECKLIST_IMPORTED} AND entry->>'status' = 'DONE' AND entry->>'id' = ANY(${ids}::text[])
      ) done
      ORDER BY done.item_id, done.seq DESC`;
    const by = new Map(rows.map((row) => [row.itemId, row.actorId]));
    for (const item of done) work.push({ itemId: item.id, title: item.title, how: "DONE", byId: by.get(item.id) ?? null });
  }
  return work;
}

export type PublicSignoff = {
  slot: SignoffSlot;
  round: number;
  state: "CURRENT" | "STALE" | "SUPERSEDED";
  decision: "APPROVED" | "REJECTED";
  approver: { id: string | null; name: string; title: string; capacity: string };
  comment: string;
  reason: string | null;
  digest: string;
  /** Required items of the scope not ready when it was signed: above zero only for a confirmed approval with open items. */
  openItems: number;
  signedAt: string;
  staleAt: string | null;
  /** What the signature means, in the words the signer was shown (null: signed before it was recorded). */
  meaning: string | null;
  /** How the signer proved who they were: "password", "totp" or "recent-session", when, and the session's own proof (null: not recorded). */
  reauth: { method: string; at: string | null; basis: string | null } | null;
};

type SignoffFields = "slot" | "round" | "state" | "decision" | "approverId" | "approverName" | "approverTitle" | "capacity" | "comment" | "reason" | "digest" | "openItems" | "meaning" | "reauthMethod" | "reauthBasis";
/** A sign-off as stored, or as rebuilt from the audit trail (instants as ISO strings there). */
export type SignoffRecord = Omit<Pick<Signoff, SignoffFields>, "capacity"> & { capacity: string; signedAt: Date | string; staleAt: Date | string | null; reauthAt: Date | string | null };

const isoOf = (value: Date | string) => (value instanceof Date ? value.toISOString() : value);

/** A sign-off as the gate, the sign-off page, the as-of view and the API show it. */
export function toPublicSignoff(signoff: SignoffRecord): PublicSignoff {
  return {
    slot: signoff.slot,
    round: signoff.round,
    state: signoff.state,
    decision: signoff.decision,
    approver: { id: signoff.approverId, name: signoff.approverName, title: signoff.approverTitle, capacity: signoff.capacity },
    comment: signoff.comment,
    reason: signoff.reason,
    digest: signoff.digest,
    openItems: signoff.openItems,
    signedAt: isoOf(signoff.signedAt),
    staleAt: signoff.staleAt === null ? null : isoOf(signoff.staleAt),
    meaning: signoff.meaning,
    reauth: signoff.reauthMethod ? { method: signoff.reauthMethod, at: signoff.reauthAt === null ? null : isoOf(signoff.reauthAt), basis: signoff.reauthBasis } : null,
  };
}

export type ProjectGate = Gate & { signoffs: PublicSignoff[]; requiredSlots: SignoffSlot[]; liveAt: string | null };

/**
 * The gate of a project as people and pipelines see it, with the latest sign-off round of each
 * slot. Callers decide who may ask (the project page, the API with a token).
 */
export async function getGateForProject(projectId: string, now = new Date()): Promise<ProjectGate> {
  const [project, items, signoffs] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: projectId }, select: { requiredSlots: true, liveAt: true, levels: true, targetLevel: true } }),
    db.checklistItem.findMany({ where: { projectId }, select: { id: true, title: true, area: true, required: true, level: true, status: true, waiverExpiresAt: true, waiverAcceptedAt: true, waiverGrantedByName: true } }),
    db.signoff.findMany({ where: { projectId, state: { not: "SUPERSEDED" } }, orderBy: [{ slot: "asc" }, { round: "desc" }] }),
  ]);
  const gate = computeGate({ items, requiredSlots: project.requiredSlots, signoffs, now, levels: project });
  const latest = new Map<SignoffSlot, (typeof signoffs)[number]>();
  for (const signoff of signoffs) if (!latest.has(signoff.slot)) latest.set(signoff.slot, signoff);
  return {
    ...gate,
    requiredSlots: project.requiredSlots,
    liveAt: project.liveAt?.toISOString() ?? null,
    signoffs: [...latest.values()].map(toPublicSignoff),
  };
}

export type SlotView = {
  slot: SignoffSlot;
  latest: PublicSignoff | null;
  canSign: boolean;
  /** Why the viewer cannot sign although their roles would let them (they granted themselves the role), else null. */
  signRefusal: string | null;
  /** What made the latest round stale, in words (null unless it is stale). */
  staleCause: string | null;
  /** The digest of the slot's scope right now: what a signature would cover. */
  digest: string;
  readiness: { items: number; done: number; notApplicable: number; waived: number; open: number };
  /** `acceptedByName` null: a request nobody has accepted yet (it does not count). */
  waivers: { id: string; title: string; expiresAt: string | null; riskOwner: string | null; acceptedByName: string | null }[];
  openRequired: { id: string; title: string; status: string }[];
  /** What changed since the latest sign-off of this slot (null when none, or nothing changed). */
  changes: ScopeDiff | null;
  /** Why the viewer may reject but not approve (separation of duties: work of theirs in the scope), else null. */
  approveRefusal: string | null;
  /** What the viewer's signature would mean, per decision, in the words it records (null when they cannot sign). */
  meaning: { APPROVED: string; REJECTED: string } | null;
};

export type SignoffPage = {
  project: ProjectView;
  gate: ProjectGate;
  slots: SlotView[];
  ownersMayApprove: boolean;
  /** Whether an approver may approve a scope with required items not ready (confirming, with the count recorded). */
  approveWithOpenItems: boolean;
  /** Separation of duties: whoever completed or waived an item of a scope does not approve it. */
  separationOfDuties: boolean;
  /** Whether signing now would ask the viewer for their password (their session's last proof is older than the window). */
  proofNeeded: boolean;
  /** Whether the viewer has a password to give (people who only use single sign-on sign in again instead). */
  /** How the viewer can prove who they are to sign here: their password, an authenticator code (none: single sign-on only, sign in again). */
  proofMethods: ("password" | "totp")[];
  canConfigure: boolean;
  /** Whether the viewer is one who marks projects live here (a lead or an admin). */
  canMarkLive: boolean;
  /** Whether the viewer may mark it live now, and every reason not: the gate's, and four eyes on Go-live. */
  markLive: { allowed: boolean; reasons: MarkLiveReason[] };
  goLives: { id: string; markedAt: string; markedByName: string }[];
};

/** Everything the sign-off tab shows, for a project the actor may see. */
export async function getSignoffPage(actor: Actor, slug: string, now = new Date()): Promise<SignoffPage> {
  const project = await getProjectForActor(actor, slug);
  const [settings, gate, goLives, signer, proofNeeded] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: project.id }, select: { name: true, ownersMayApprove: true, approveWithOpenItems: true, separationOfDuties: true, requiredSlots: true, levels: true, targetLevel: true } }),
    getGateForProject(project.id, now),
    db.goLive.findMany({ where: { projectId: project.id }, orderBy: { markedAt: "desc" }, select: { id: true, markedAt: true, markedByName: true } }),
    db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true, title: true, passwordHash: true, totpEnabledAt: true } }),
    needsProofToSign(db, actor, now),
  ]);
  const rounds = await db.signoff.findMany({
    where: { projectId: project.id, state: { not: "SUPERSEDED" } },
    orderBy: { round: "asc" },
    select: { slot: true, state: true, decision: true, approverId: true, approverName: true, signedAt: true, scope: true, staleCause: true },
  });
  // Ascending, so the latest round of each slot is the one the Map keeps.
  const latestRounds = new Map(rounds.map((signoff) => [signoff.slot, { scope: signoff.scope as unknown as ScopeItem[], staleCause: staleCauseSchema.safeParse(signoff.staleCause).data ?? null }] as const));
  const mySelfGrantedRoles = project.members.find((member) => member.userId === actor.id)?.selfGrantedRoles ?? [];
  const slots = await Promise.all(
    settings.requiredSlots.map(async (slot): Promise<SlotView> => {
      const scope = await loadScope(db, project.id, slot);
      const latest = gate.signoffs.find((signoff) => signoff.slot === slot) ?? null;
      const round = latest ? latestRounds.get(slot) : undefined;
      const signedScope = round?.scope;
      const digest = scopeDigest(scope);
      const changes = signedScope && latest && latest.digest !== digest ? diffScopes(signedScope, scope) : null;
      const satisfied = (item: ScopeItem) => isSatisfied(scopeItemState(item), now);
      const resource = { kind: "slot" as const, projectId: project.id, roles: project.myRoles, selfGrantedRoles: mySelfGrantedRoles, slot, ownersMayApprove: settings.ownersMayApprove };
      const canSign = !gate.liveAt && can(actor, "signoff.sign", resource);
      const approveRefusal = canSign && settings.separationOfDuties ? separationOfDutiesRefusal(actor, { enabled: true, decision: "APPROVED", work: await loadScopeWork(db, project.id, scope) }) : null;
      const meaningOf = (decision: "APPROVED" | "REJECTED") =>
        signatureMeaning({ decision, slot, projectName: settings.name, signerName: signer.name, signerTitle: signer.title, capacity: signingCapacity(resource), items: scope.length, targetLevelName: levelName(settings, settings.targetLevel) });
      return {
        slot,
        latest,
        digest,
        canSign,
        approveRefusal,
        meaning: canSign ? { APPROVED: meaningOf("APPROVED"), REJECTED: meaningOf("REJECTED") } : null,
        signRefusal: gate.liveAt ? null : selfGrantRefusal(actor, "signoff.sign", resource),
        staleCause: latest?.state === "STALE" && round?.staleCause ? staleCauseWords(round.staleCause) : null,
        readiness: {
          items: scope.length,
          done: scope.filter((item) => item.status === "DONE").length,
          notApplicable: scope.filter((item) => item.status === "NOT_APPLICABLE").length,
          waived: scope.filter((item) => item.status === "WAIVED" && satisfied(item)).length,
          open: scope.filter((item) => !satisfied(item)).length,
        },
        waivers: scope.filter((item) => item.status === "WAIVED").map((item) => ({ id: item.id, title: item.title, expiresAt: item.waiver?.expiresAt ?? null, riskOwner: item.waiver?.riskOwner ?? null, acceptedByName: item.waiver?.acceptedByName ?? null })),
        openRequired: scope.filter((item) => item.required && !satisfied(item)).map((item) => ({ id: item.id, title: item.title, status: item.status })),
        changes,
      };
    }),
  );
  const resource = { kind: "project" as const, projectId: project.id, roles: project.myRoles };
  return {
    project,
    gate,
    slots,
    ownersMayApprove: settings.ownersMayApprove,
    approveWithOpenItems: settings.approveWithOpenItems,
    separationOfDuties: settings.separationOfDuties,
    proofNeeded,
    proofMethods: [...(signer.totpEnabledAt ? (["totp"] as const) : []), ...(signer.passwordHash ? (["password"] as const) : [])],
    canConfigure: !gate.liveAt && can(actor, "signoff.configure", resource),
    canMarkLive: !gate.liveAt && can(actor, "project.markLive", resource),
    markLive: markLiveCheck({ gate, requiredSlots: settings.requiredSlots, signoffs: rounds, actor }),
    goLives: goLives.map((goLive) => ({ id: goLive.id, markedAt: goLive.markedAt.toISOString(), markedByName: goLive.markedByName })),
  };
}

/** Projects with a slot the actor may sign, for "Awaiting my sign-off". */
export async function listSignoffsAwaiting(actor: Actor, now = new Date()) {
  const holdings = await holdingsByProject(db, actor.id);
  const projects = await db.project.findMany({
    where: { id: { in: [...holdings.keys()] }, liveAt: null },
    select: { slug: true, name: true, targetGoLive: true, ownersMayApprove: true, requiredSlots: true, id: true },
    orderBy: { name: "asc" },
  });
  const result = [];
  for (const project of projects) {
    const { roles, selfGrantedRoles } = holdings.get(project.id)!;
    const resource = { kind: "slot" as const, projectId: project.id, roles, selfGrantedRoles, ownersMayApprove: project.ownersMayApprove };
    const mine = project.requiredSlots.filter((slot) => can(actor, "signoff.sign", { ...resource, slot }));
    if (mine.length === 0) continue;
    const gate = await getGateForProject(project.id, now);
    result.push({
      slug: project.slug,
      name: project.name,
      targetGoLive: project.targetGoLive?.toISOString().slice(0, 10) ?? null,
      gateOpen: gate.open,
      slots: mine.map((slot) => {
        const latest = gate.signoffs.find((signoff) => signoff.slot === slot);
        return { slot, state: latest ? (latest.state === "STALE" ? "STALE" : latest.decision) : "AWAITING" };
      }),
    });
  }
  return result;
}

/** A go-live record of a project the actor may see, exactly as it was frozen. */
export async function getGoLive(actor: Actor, slug: string, goLiveId: string) {
  const project = await getProjectForActor(actor, slug);
  const goLive = isUuid(goLiveId)
    ? await db.goLive.findFirst({ where: { id: goLiveId, projectId: project.id }, select: { id: true, markedAt: true, markedByName: true, snapshot: true, reauthMethod: true, reauthAt: true, reauthBasis: true } })
    : null;
  if (!goLive) throw new AppError("NOT_FOUND", "Go-live record not found.");
  return {
    project,
    goLive: { ...goLive, markedAt: goLive.markedAt.toISOString(), reauthAt: goLive.reauthAt?.toISOString() ?? null, snapshot: goLive.snapshot as unknown as GoLiveSnapshot },
  };
}

export type GoLiveSnapshot = {
  takenAt: string;
  /** The project as it went live, with the slots go-live required then. */
  project?: { id: string; name: string; requiredSlots: SignoffSlot[]; levels?: string[]; targetLevel?: number };
  sections: { id: string; title: string; position: number }[];
  items: { id: string; sectionId: string; parentId: string | null; title: string; area: Area; required: boolean; level?: number; status: ItemStatus; statusReason: string | null; waiverRiskOwner: string | null; waiverExpiresAt: string | null; waiverGrantedByName?: string | null; waiverAcceptedByName?: string | null; waiverAcceptedAt?: string | null; evidence: { id: string }[]; latestResult?: { id: string; outcome: "PASS" | "FAIL"; counted?: boolean; summary: string; url: string | null; actorName: string; recordedAt: string } | null }[];
  signoffs: {
    id: string;
    slot: SignoffSlot;
    round: number;
    state: string;
    decision: string;
    approverName: string;
    approverTitle: string;
    capacity: string;
    comment: string;
    reason: string | null;
    digest: string;
    signedAt: string;
    openItems?: number;
    /** Absent or null in records from before signatures recorded their meaning and proof. */
    meaning?: string | null;
    reauthMethod?: string | null;
    reauthAt?: string | null;
    reauthBasis?: string | null;
  }[];
};
