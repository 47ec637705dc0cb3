import { db, LONG_TRANSACTION, longDb, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { isUniqueViolation } from "@/lib/db-errors";
import { auditActions } from "@/lib/audit/events";
import { notify } from "@/lib/notifications/mutations";
import { recordAuditEvent, type AuditContext } from "@/lib/audit/mutations";
import { assertCan, separationOfDutiesRefusal, signingCapacity } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { parseInput } from "@/lib/validation";
import type { Area } from "@/lib/checklists/types";
import { levelName } from "@/lib/checklists/levels";
import { scopeDigest, slotCovers, type SignoffSlot } from "@/lib/signoffs/digest";
import { loadScope, loadScopeWork } from "@/lib/signoffs/data";
import { computeGate, markLiveCheck, openItemsRefusal, openRequiredItems, signatureMeaning, slotList, staleCauseWords } from "@/lib/signoffs/gate";
import { proofForRecord, requireRecentProof } from "@/lib/users/proof";
import { proofOf } from "@/lib/users/schema";
import { configureSlotsSchema, markLiveSchema, signSlotSchema, type ItemChangeCause, type SlotsChangeCause, type StaleCause } from "@/lib/signoffs/schema";
import type { Prisma } from "@/lib/db";
import { lockProject } from "@/lib/projects/lock";

/** The project under lock (see lockProject), with what sign-offs need of it; null when it does not exist. */
async function lockSignoffProject(tx: Tx, actorId: string, projectId: string) {
  const { exists, roles, selfGrantedRoles } = await lockProject(tx, actorId, projectId);
  const project = exists
    ? await tx.project.findUnique({ where: { id: projectId }, select: { id: true, name: true, requiredSlots: true, ownersMayApprove: true, approveWithOpenItems: true, separationOfDuties: true, liveAt: true, levels: true, targetLevel: true } })
    : null;
  return { project, roles, selfGrantedRoles };
}

/**
 * Signs (approves or rejects) one slot. The approver signs exactly the state they were shown
 * (its digest) on top of the round they saw; anything newer is a conflict. The unique
 * (project, slot, round) and (project, current slot) indexes make a double submit or two
 * racing approvers end with exactly one current sign-off.
 *
 * A signature is a ceremony (21 CFR Part 11 §11.50, §11.200): it needs a recent proof of
 * identity (the password again when the session's is older than the window:
 * requireRecentProof), and records the signer's printed name and title, the time, what it means
 * (decision, slot, capacity, in words) and how the signer proved who they were. With separation
 * of duties on, whoever completed or waived an item of the scope does not approve it.
 */
export async function signSlot(ctx: ServiceContext, input: unknown): Promise<{ round: number; digest: string }> {
  const data = parseInput(signSlotSchema, input);
  try {
    return await db.$transaction(async (tx) => {
      const { project, roles, selfGrantedRoles } = await lockSignoffProject(tx, ctx.actor.id, data.projectId);
      const resource = { kind: "slot" as const, projectId: data.projectId, roles, selfGrantedRoles, slot: data.slot, ownersMayApprove: project?.ownersMayApprove ?? false };
      assertCan(ctx.actor, "signoff.sign", resource);
      if (!project) throw new AppError("NOT_FOUND", "Project not found.");
      if (!project.requiredSlots.includes(data.slot)) throw new AppError("INVALID_INPUT", "This project does not require that sign-off.", { slot: ["Not a required slot."] });
      if (project.liveAt) throw new AppError("CONFLICT", "The project is already live.");

      const latest = await tx.signoff.findFirst({ where: { projectId: project.id, slot: data.slot }, orderBy: { round: "desc" }, select: { id: true, round: true, state: true } });
      if ((latest?.round ?? 0) !== data.expectedRound) {
        throw new AppError("CONFLICT", "Someone signed this slot meanwhile. Reload to see their sign-off before signing.");
      }
      const scope = await loadScope(tx, project.id, data.slot);
      const digest = scopeDigest(scope);
      if (digest !== data.expectedDigest) {
        throw new AppError("CONFLICT", "What this sign-off covers changed while you were reviewing it. Reload, check the changes, and sign again.", undefined, { digest });
      }
      // Approving a scope that is not ready is a deliberate act: allowed by the project, confirmed
      // by the approver, and recorded with the count.
      const openItems = openRequiredItems(scope, new Date()).length;
      if (data.decision === "APPROVED") {
        const refusal = openItemsRefusal({ open: openItems, allowed: project.approveWithOpenItems, confirmed: data.confirmOpenItems });
        if (refusal) throw new AppError("INVALID_INPUT", refusal.message, { [refusal.field]: [refusal.message] });
      }
      if (data.slot === "GO_LIVE" && data.decision === "APPROVED") {
        const areaSlots = project.requiredSlots.filter((slot) => slot !== "GO_LIVE");
        const current = await tx.signoff.findMany({ where: { projectId: project.id, state: "CURRENT", decision: "APPROVED", slot: { in: areaSlots } }, select: { slot: true } });
        const missing = areaSlots.filter((slot) => !current.some((signoff) => signoff.slot === slot));
        if (missing.length > 0) {
          throw new AppError("CONFLICT", `Go-live can be approved only when every area slot holds a current approval; missing: ${missing.join(", ")}.`);
        }
      }
      if (project.separationOfDuties && data.decision === "APPROVED") {
        const refusal = separationOfDutiesRefusal(ctx.actor, { enabled: true, decision: data.decision, work: await loadScopeWork(tx, project.id, scope) });
        if (refusal) throw new AppError("FORBIDDEN", refusal, undefined, { separationOfDuties: true });
      }
      const signer = await tx.user.findUniqueOrThrow({ where: { id: ctx.actor.id }, select: { name: true, title: true } });
      const capacity = signingCapacity(resource);
      const meaning = signatureMeaning({ decision: data.decision, slot: data.slot, projectName: project.name, signerName: signer.name, signerTitle: signer.title, capacity, items: scope.length, targetLevelName: levelName(project, project.targetLevel) });
      // Last of the checks: nobody is asked for their password only to be refused for another reason.
      const proof = await requireRecentProof(tx, ctx, proofOf(data), auditActions.SIGNOFF_GIVEN);
      // The new round supersedes the slot's CURRENT one; the signoff.given event of the new round
      // implies it (lib/audit/as-of.ts), there is no event of its own.
      if (latest?.state === "CURRENT") {
        await tx.signoff.updateMany({ where: { id: latest.id, state: "CURRENT" }, data: { state: "SUPERSEDED", currentSlot: null } });
      }
      const round = (latest?.round ?? 0) + 1;
      const created = await tx.signoff.create({
        data: {
          projectId: project.id,
          slot: data.slot,
          round,
          currentSlot: data.slot,
          decision: data.decision,
          approverId: ctx.actor.id,
          approverName: signer.name,
          approverTitle: signer.title,
          capacity,
          comment: data.comment,
          reason: data.reason ?? null,
          digest,
          // What an approval was given over; a rejection needs no count (it says why in its reason).
          openItems: data.decision === "APPROVED" ? openItems : 0,
          scope: scope as unknown as Prisma.InputJsonValue,
          meaning,
          reauthMethod: proof.method,
          reauthAt: proof.at,
          reauthBasis: proof.basis,
        },
        select: { id: true, slot: true, round: true, decision: true, approverName: true, approverTitle: true, capacity: true, comment: true, reason: true, digest: true, openItems: true, signedAt: true, meaning: true, reauthMethod: true, reauthAt: true, reauthBasis: true },
      });
      await recordAuditEvent(tx, {
        actor: ctx.actor,
        action: auditActions.SIGNOFF_GIVEN,
        entityType: "signoff",
        entityId: created.id,
        projectId: project.id,
        after: { ...created, signedAt: created.signedAt.toISOString(), reauthAt: created.reauthAt?.toISOString() ?? null, items: scope.length },
        requestId: ctx.requestId,
      });
      return { round, digest };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", "Someone signed this slot at the same moment. Reload to see their sign-off.");
    throw error;
  }
}

type CurrentSignoff = { id: string; slot: SignoffSlot; digest: string; approverId: string | null; approverName: string; round: number };

/** The project's current sign-offs, read so that no signature in flight can slip past the change. */
async function currentSignoffs(tx: Tx, projectId: string): Promise<CurrentSignoff[]> {
  // signSlot holds the project row FOR UPDATE: sharing it here makes a change wait for a
  // signature in flight and then check the round it created, so no sign-off can end CURRENT
  // on a state from before this change.
  await tx.$queryRaw`SELECT id FROM projects WHERE id = ${projectId}::uuid FOR SHARE`;
  return tx.signoff.findMany({ where: { projectId, state: "CURRENT" }, orderBy: { slot: "asc" }, select: { id: true, slot: true, digest: true, approverId: true, approverName: true, round: true } });
}

/** Each sign-off with the digest of what it covers now, read in the caller's transaction. */
async function withDigestsNow(tx: Tx, projectId: string, signoffs: readonly CurrentSignoff[]): Promise<(CurrentSignoff & { digestNow: string })[]> {
  const result = [];
  for (const signoff of signoffs) result.push({ ...signoff, digestNow: scopeDigest(await loadScope(tx, projectId, signoff.slot)) });
  return result;
}

/**
 * Makes these current sign-offs STALE, each with a signoff.stale event naming the cause (and
 * what it covers now) and a notification to its approver, in the caller's transaction. Returns
 * the slots that went stale (a round no longer CURRENT is left alone).
 */
async function makeStale(tx: Tx, ctx: AuditContext, projectId: string, signoffs: readonly (CurrentSignoff & { digestNow: string })[], cause: StaleCause): Promise<SignoffSlot[]> {
  const stale: SignoffSlot[] = [];
  let project: { slug: string; name: string } | null = null;
  for (const signoff of signoffs) {
    const staleAt = new Date();
    const changed = await tx.signoff.updateMany({
      where: { id: signoff.id, state: "CURRENT" },
      data: { state: "STALE", currentSlot: null, staleAt, staleCause: cause },
    });
    if (changed.count !== 1) continue;
    stale.push(signoff.slot);
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.SIGNOFF_STALE,
      entityType: "signoff",
      entityId: signoff.id,
      projectId,
      before: { slot: signoff.slot, round: signoff.round, state: "CURRENT", digest: signoff.digest, approverName: signoff.approverName },
      after: { slot: signoff.slot, round: signoff.round, state: "STALE", digest: signoff.digestNow, cause, staleAt: staleAt.toISOString() },
      requestId: ctx.requestId,
    });
    project ??= await tx.project.findUniqueOrThrow({ where: { id: projectId }, select: { slug: true, name: true } });
    await notify(tx, {
      kind: "SIGNOFF_STALE",
      recipients: [signoff.approverId],
      projectId,
      itemId: cause.itemId,
      title: `Your ${slotLabels[signoff.slot]} sign-off of ${project.name} is stale`,
      body: `${ctx.actor?.name ?? "Shipshape"} changed what ${"requiredSlots" in cause ? "go-live requires" : "it covered"} (${staleCauseWords(cause)}). Review the change and sign again.`,
      link: `/projects/${project.slug}/signoffs`,
      actor: ctx.actor,
    });
  }
  return stale;
}

/**
 * Called inside the transaction of every change to items: each current sign-off whose scope
 * covers one of the changed areas and whose digest no longer matches goes STALE, with an audit
 * event naming the change. Returns the slots that went stale.
 */
export async function markStaleSignoffs(tx: Tx, ctx: AuditContext, projectId: string, areas: readonly Area[], cause: ItemChangeCause): Promise<SignoffSlot[]> {
  const covering = (await currentSignoffs(tx, projectId)).filter((signoff) => areas.some((area) => slotCovers(signoff.slot, area)));
  const changed = (await withDigestsNow(tx, projectId, covering)).filter((signoff) => signoff.digestNow !== signoff.digest);
  return makeStale(tx, ctx, projectId, changed, cause);
}

/**
 * Called inside the transaction that changes the slots a project requires: every current
 * sign-off goes STALE, although no digest moved, because each was given for another set of
 * requirements (a Go-live approval vouches that the required areas were approved; an area
 * approver signed knowing which others would sign). Recorded and notified like any staleness.
 */
export async function markSignoffsStaleForSlotsChange(tx: Tx, ctx: AuditContext, projectId: string, cause: SlotsChangeCause): Promise<SignoffSlot[]> {
  return makeStale(tx, ctx, projectId, await withDigestsNow(tx, projectId, await currentSignoffs(tx, projectId)), cause);
}

const slotLabels: Record<SignoffSlot, string> = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "go-live" };

/**
 * Which slots a project requires (always GO_LIVE: the schema refuses a list without it), and
 * whether owners may sign their area; until the project is live. A change of the slots after
 * sign-offs were given makes every current one stale in the same transaction (see
 * markSignoffsStaleForSlotsChange), so no approval stands for requirements it was not given for.
 */
export async function configureSlots(ctx: ServiceContext, input: unknown): Promise<{ stale: SignoffSlot[] }> {
  const data = parseInput(configureSlotsSchema, input);
  // Long: making sign-offs stale reads the scope of each, the whole checklist for Go-live.
  return longDb.$transaction(async (tx) => {
    const { project, roles } = await lockSignoffProject(tx, ctx.actor.id, data.projectId);
    assertCan(ctx.actor, "signoff.configure", { kind: "project", projectId: data.projectId, roles });
    if (!project) throw new AppError("NOT_FOUND", "Project not found.");
    if (project.liveAt) throw new AppError("CONFLICT", "The project is live: its sign-off settings are part of its go-live record and no longer change.");
    await tx.project.update({ where: { id: project.id }, data: { requiredSlots: data.requiredSlots, ownersMayApprove: data.ownersMayApprove, approveWithOpenItems: data.approveWithOpenItems, separationOfDuties: data.separationOfDuties } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.SIGNOFF_SLOTS_CHANGED,
      entityType: "project",
      entityId: project.id,
      projectId: project.id,
      before: { requiredSlots: project.requiredSlots, ownersMayApprove: project.ownersMayApprove, approveWithOpenItems: project.approveWithOpenItems, separationOfDuties: project.separationOfDuties },
      after: { requiredSlots: data.requiredSlots, ownersMayApprove: data.ownersMayApprove, approveWithOpenItems: data.approveWithOpenItems, separationOfDuties: data.separationOfDuties },
      requestId: ctx.requestId,
    });
    if (project.requiredSlots.join() === data.requiredSlots.join()) return { stale: [] };
    const stale = await markSignoffsStaleForSlotsChange(tx, ctx, project.id, {
      action: auditActions.SIGNOFF_SLOTS_CHANGED,
      itemId: null,
      title: `from ${slotList(project.requiredSlots)} to ${slotList(data.requiredSlots)}`,
      requiredSlots: { before: project.requiredSlots, after: data.requiredSlots },
    });
    return { stale };
  }, LONG_TRANSACTION);
}

/**
 * Marks the project live, only with the gate open and on someone else's Go-live approval (four
 * eyes: lib/policy.ts), and freezes a snapshot of the checklist and the sign-offs exactly as
 * they were.
 */
export async function markProjectLive(ctx: ServiceContext, input: unknown): Promise<{ goLiveId: string }> {
  const data = parseInput(markLiveSchema, input);
  return db.$transaction(async (tx) => {
    const { project, roles } = await lockSignoffProject(tx, ctx.actor.id, data.projectId);
    assertCan(ctx.actor, "project.markLive", { kind: "project", projectId: data.projectId, roles });
    if (!project) throw new AppError("NOT_FOUND", "Project not found.");
    if (project.liveAt) throw new AppError("CONFLICT", "The project is already live.");
    const now = new Date();
    const [sections, items, signoffs] = await Promise.all([
      tx.checklistSection.findMany({ where: { projectId: project.id }, orderBy: { position: "asc" }, select: { id: true, title: true, position: true } }),
      tx.checklistItem.findMany({
        where: { projectId: project.id },
        orderBy: { position: "asc" },
        select: {
          id: true, sectionId: true, parentId: true, position: true, title: true, area: true, required: true, level: true, status: true, statusReason: true,
          waiverRiskOwner: true, waiverControls: true, waiverExpiresAt: true, waiverGrantedByName: true, waiverAcceptedByName: true, waiverAcceptedAt: true, version: true,
          assignee: { select: { name: true } }, evidence: { select: { id: true, kind: true, url: true, note: true, addedByName: true, createdAt: true } },
          results: { orderBy: [{ recordedAt: "desc" }, { id: "desc" }], take: 1, select: { id: true, outcome: true, counted: true, summary: true, url: true, actorName: true, recordedAt: true } },
        },
      }),
      tx.signoff.findMany({
        where: { projectId: project.id },
        orderBy: [{ slot: "asc" }, { round: "asc" }],
        select: { id: true, slot: true, round: true, state: true, decision: true, approverId: true, approverName: true, approverTitle: true, capacity: true, comment: true, reason: true, digest: true, openItems: true, signedAt: true, meaning: true, reauthMethod: true, reauthAt: true, reauthBasis: true },
      }),
    ]);
    const gate = computeGate({ items, requiredSlots: project.requiredSlots, signoffs, now, levels: project });
    if (!gate.open) throw new AppError("CONFLICT", `The gate is closed: ${gate.reasons.map((reason) => reason.message).join(" ")}`, undefined, { reasons: gate.reasons });
    const check = markLiveCheck({ gate, requiredSlots: project.requiredSlots, signoffs, actor: ctx.actor });
    if (!check.allowed) throw new AppError("CONFLICT", check.reasons.map((reason) => reason.message).join(" "), undefined, { reasons: check.reasons });
    // Going live is signed like a sign-off: a recent proof, or the password again.
    const proof = await requireRecentProof(tx, ctx, proofOf(data), auditActions.PROJECT_LIVE);
    const snapshot = {
      takenAt: now.toISOString(),
      project: { id: project.id, name: project.name, requiredSlots: project.requiredSlots, levels: project.levels, targetLevel: project.targetLevel },
      sections,
      // Each item with the latest result behind it, if any: what the facts said at go-live.
      items: items.map(({ results, ...item }) => ({ ...item, latestResult: results[0] ?? null })),
      signoffs: signoffs.map(({ approverId: _approverId, ...signoff }) => signoff),
    };
    const goLive = await tx.goLive.create({
      data: {
        projectId: project.id,
        markedById: ctx.actor.id,
        markedByName: ctx.actor.name,
        markedAt: now,
        snapshot: JSON.parse(JSON.stringify(snapshot)) as Prisma.InputJsonValue,
        reauthMethod: proof.method,
        reauthAt: proof.at,
        reauthBasis: proof.basis,
      },
      select: { id: true },
    });
    await tx.project.update({ where: { id: project.id }, data: { liveAt: now } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.PROJECT_LIVE,
      entityType: "go_live",
      entityId: goLive.id,
      projectId: project.id,
      after: { liveAt: now.toISOString(), reauth: proofForRecord(proof), items: items.length, signoffs: signoffs.filter((signoff) => signoff.state === "CURRENT").map((signoff) => ({ slot: signoff.slot, round: signoff.round, approverName: signoff.approverName, digest: signoff.digest })) },
      requestId: ctx.requestId,
    });
    return { goLiveId: goLive.id };
  });
}
