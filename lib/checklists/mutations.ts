import { plural } from "@/lib/words";
import { z } from "zod";
import { db, DEFAULT_TRANSACTION, LONG_TRANSACTION, longDb, type Tx } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent, type AuditContext } from "@/lib/audit/mutations";
import { assertCan, type Actor } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { normalizeLineEndings, parseInput } from "@/lib/validation";
import { statusRequirements, waiverDecisionRefusal, waiverSubstance } from "@/lib/checklists/rules";
import { acceptWaiverSchema, addCommentSchema, addEvidenceSchema, declineWaiverSchema, removeEvidenceSchema, updateItemSchema } from "@/lib/checklists/schema";
import type { Area, ChecklistData, ItemStatus } from "@/lib/checklists/types";
import { importSnapshot, insertMaterialized, materialize, type ImportPeople, type KeyedChecklist, type Materialized } from "@/lib/checklists/materialize";
import { parseMarkdownOrThrow } from "@/lib/templates/content";
import { markStaleSignoffs } from "@/lib/signoffs/mutations";
import { levelsForAddedItems } from "@/lib/projects/configure-levels";
import { assertCanOnProject, lockProjectFor } from "@/lib/projects/lock";
import { holdingOnProject, noHolding, peopleOnProject } from "@/lib/projects/roles";
import { notify } from "@/lib/notifications/mutations";
import { proofForRecord, requireRecentProof } from "@/lib/users/proof";
import { proofOf } from "@/lib/users/schema";

const itemSelect = {
  id: true,
  projectId: true,
  title: true,
  details: true,
  area: true,
  required: true,
  level: true,
  renewEveryDays: true,
  status: true,
  statusReason: true,
  waiverRiskOwner: true,
  waiverControls: true,
  waiverExpiresAt: true,
  waiverGrantedById: true,
  waiverGrantedByName: true,
  waiverRiskOwnerId: true,
  waiverAcceptedById: true,
  waiverAcceptedByName: true,
  waiverAcceptedAt: true,
  version: true,
  updatedAt: true,
  assigneeId: true,
  project: { select: { slug: true, name: true, levels: true } },
} as const;

export type LockedItem = Awaited<ReturnType<typeof lockItem>>;

/**
 * Locks the item for the rest of the transaction (changes to one item are serialized), checks
 * the caller may see its project (NOT_FOUND otherwise) and that the change is based on the
 * item's current version (CONFLICT, with the current state, otherwise).
 */
export async function lockItem(tx: Tx, actor: Actor, itemId: string, expectedVersion: number | null) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM checklist_items WHERE id = ${itemId}::uuid FOR UPDATE`;
  const item = locked.length ? await tx.checklistItem.findUnique({ where: { id: itemId }, select: itemSelect }) : null;
  const { roles, selfGrantedRoles: selfGranted } = item ? await holdingOnProject(tx, actor.id, item.projectId) : noHolding;
  if (!item) throw new AppError("NOT_FOUND", "Item not found.");
  assertCan(actor, "project.view", { kind: "project", projectId: item.projectId, roles });
  if (expectedVersion !== null && item.version !== expectedVersion) {
    throw new AppError(
      "CONFLICT",
      `Someone else changed this item while you were editing it (now version ${item.version}, status ${item.status}). Your change was not saved; review the current state and try again.`,
      undefined,
      { current: publicItem(item) },
    );
  }
  return { item, roles, selfGranted };
}

function publicItem(item: {
  id: string;
  title: string;
  details: string;
  area: Area;
  required: boolean;
  status: string;
  statusReason: string | null;
  waiverRiskOwner: string | null;
  waiverRiskOwnerId: string | null;
  waiverControls: string | null;
  waiverExpiresAt: Date | null;
  waiverAcceptedByName: string | null;
  version: number;
  updatedAt: Date;
}) {
  return {
    id: item.id,
    title: item.title,
    details: item.details,
    area: item.area,
    required: item.required,
    status: item.status,
    statusReason: item.statusReason,
    waiverRiskOwner: item.waiverRiskOwner,
    waiverRiskOwnerId: item.waiverRiskOwnerId,
    waiverControls: item.waiverControls,
    waiverExpiresAt: item.waiverExpiresAt?.toISOString().slice(0, 10) ?? null,
    waiverAcceptedByName: item.waiverAcceptedByName,
    version: item.version,
    updatedAt: item.updatedAt.toISOString(),
  };
}

/** Where a notification about an item leads: its row on the project's checklist. */
export function itemLink(slug: string, itemId: string): string {
  return `/projects/${slug}#item-${itemId}`;
}

/** Tells the item's assignee (unless they made the change themselves). */
export async function notifyAssignee(tx: Tx, ctx: ServiceContext, locked: LockedItem, kind: "COMMENTED" | "EVIDENCE_CHANGED", title: string, body: string) {
  const { item } = locked;
  await notify(tx, { kind, recipients: [item.assigneeId], projectId: item.projectId, itemId: item.id, title, body, link: itemLink(item.project.slug, item.id), actor: ctx.actor });
}

export function itemResource(locked: LockedItem, area: Area = locked.item.area) {
  return { kind: "item" as const, projectId: locked.item.projectId, roles: locked.roles, area };
}

/** The item's waiver request as the policy judges who may decide it. */
function waiverResource(locked: LockedItem) {
  return { kind: "waiver" as const, projectId: locked.item.projectId, roles: locked.roles, selfGrantedRoles: locked.selfGranted, requestedById: locked.item.waiverGrantedById };
}

/** The member (on their own or through the team) named as a waiver's risk owner, with their name as it is now; INVALID_INPUT on the field otherwise. */
async function riskOwnerOrThrow(tx: Tx, projectId: string, userId: string): Promise<{ id: string; name: string }> {
  const [member] = await peopleOnProject(tx, projectId, { id: userId, disabledAt: null });
  if (!member) {
    throw new AppError("INVALID_INPUT", "The risk owner must be a member of this project.", { waiverRiskOwnerId: ["Choose the risk owner from the project's members."] });
  }
  return { id: member.id, name: member.name };
}

function isSameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return normalizeLineEndings(a).trim() === normalizeLineEndings(b).trim();
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return String(a) === String(b);
}

/** Bumps the version, guarded on the version read under the lock: exactly one row or a conflict. */
export async function bumpVersion(tx: Tx, item: { id: string; version: number }, data: Parameters<Tx["checklistItem"]["updateMany"]>[0]["data"] = {}) {
  const updated = await tx.checklistItem.updateMany({ where: { id: item.id, version: item.version }, data: { ...data, version: { increment: 1 } } });
  if (updated.count !== 1) throw new AppError("CONFLICT", "Someone else changed this item at the same moment. Reload it and try again.");
  return item.version + 1;
}

/** What a save did: the version now, whether anything changed, and the item as it stands (for saying so). */
export type ItemSaved = { version: number; changed: boolean; title: string; status: ItemStatus };

export async function updateItem(ctx: ServiceContext, input: unknown): Promise<ItemSaved> {
  const data = parseInput(updateItemSchema, input);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, data.expectedVersion);
    const { item } = locked;
    assertCan(ctx.actor, "item.work", itemResource(locked));
    if (data.area && data.area !== item.area) assertCan(ctx.actor, "item.work", itemResource(locked, data.area));
    const renewEveryDays = data.renewEveryDays === undefined ? item.renewEveryDays : data.renewEveryDays;
    // Whoever works the item sets its level, as they set its area; the level is an index into the project's levels.
    if (data.level !== undefined && data.level !== item.level && data.level >= item.project.levels.length) {
      const message = item.project.levels.length === 0 ? "This project has no levels: a lead defines them in the project's settings." : `Choose one of the project's levels: ${item.project.levels.join(", ")}.`;
      throw new AppError("INVALID_INPUT", message, { level: [message] });
    }
    if ((data.title !== undefined && data.title !== item.title) || (data.required !== undefined && data.required !== item.required) || renewEveryDays !== item.renewEveryDays) {
      assertCan(ctx.actor, "checklist.edit", { kind: "project", projectId: item.projectId, roles: locked.roles });
    }

    const status = data.status ?? item.status;
    const keepsReason = status === "NOT_APPLICABLE" || status === "BLOCKED" || status === "WAIVED";
    const waiver = {
      statusReason: keepsReason ? (data.statusReason ?? (status === item.status ? item.statusReason : null)) : null,
      waiverRiskOwnerId: status === "WAIVED" ? (data.waiverRiskOwnerId ?? item.waiverRiskOwnerId) : null,
      waiverRiskOwner: status === "WAIVED" ? item.waiverRiskOwner : null,
      waiverControls: status === "WAIVED" ? (data.waiverControls ?? item.waiverControls) : null,
      waiverExpiresAt: status === "WAIVED" ? (data.waiverExpiresAt ? new Date(`${data.waiverExpiresAt}T23:59:59.999Z`) : item.waiverExpiresAt) : null,
    };
    // A waiver is asked for when an item becomes WAIVED or when what was accepted changes (its
    // reason, risk owner, controls or expiry): either way it is a new request, by whoever made
    // it, and counts only once someone else accepts it.
    const isRequesting = status === "WAIVED" && (item.status !== "WAIVED" || waiverSubstance.some((key) => !isSameValue(waiver[key], item[key])));
    if (isRequesting) assertCan(ctx.actor, "item.waive", itemResource(locked, data.area ?? item.area));
    // A newly named risk owner must be a member; their name is copied as it is now.
    if (status === "WAIVED" && waiver.waiverRiskOwnerId && waiver.waiverRiskOwnerId !== item.waiverRiskOwnerId) {
      waiver.waiverRiskOwner = (await riskOwnerOrThrow(tx, item.projectId, waiver.waiverRiskOwnerId)).name;
    }
    const keepsRequest = status === "WAIVED" && !isRequesting;

    const next = {
      title: data.title ?? item.title,
      details: data.details ?? item.details,
      area: data.area ?? item.area,
      required: data.required ?? item.required,
      level: data.level ?? item.level,
      renewEveryDays,
      status,
      ...waiver,
      waiverGrantedById: isRequesting ? ctx.actor.id : keepsRequest ? item.waiverGrantedById : null,
      waiverGrantedByName: isRequesting ? ctx.actor.name : keepsRequest ? item.waiverGrantedByName : null,
      waiverAcceptedById: keepsRequest ? item.waiverAcceptedById : null,
      waiverAcceptedByName: keepsRequest ? item.waiverAcceptedByName : null,
      waiverAcceptedAt: keepsRequest ? item.waiverAcceptedAt : null,
    };
    const addsEvidence = Boolean(data.note || data.link);
    const evidenceCount = (await tx.evidence.count({ where: { itemId: item.id } })) + (addsEvidence ? 1 : 0);
    const problems = statusRequirements(next, evidenceCount, now);
    // A new request names a member (a waiver from before keeps its text name only until it changes).
    if (isRequesting && !next.waiverRiskOwnerId && !problems.waiverRiskOwnerId) problems.waiverRiskOwnerId = ["A waiver needs a risk owner: choose a member of the project."];
    if (Object.keys(problems).length > 0) {
      throw new AppError("INVALID_INPUT", Object.values(problems).flat().join(" "), problems);
    }

    // Only what the person changed is written and recorded: a form sends every field, and text
    // that differs from the stored text only in its line endings or surrounding blanks is the same text.
    const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => !isSameValue(next[key], item[key]));
    if (changed.length === 0 && !addsEvidence) return { version: item.version, changed: false, title: item.title, status: item.status };
    // Becoming done, or new evidence for a done item, renews its evidence (re-attestation).
    const attests = next.status === "DONE" && (item.status !== "DONE" || addsEvidence);
    const version = await bumpVersion(tx, item, { ...Object.fromEntries(changed.map((key) => [key, next[key]])), ...(attests ? { attestedAt: now } : {}) });
    const title = changed.includes("title") ? next.title : item.title;
    const noteEvidence = addsEvidence
      ? await tx.evidence.create({
          data: { itemId: item.id, kind: data.link ? "LINK" : "NOTE", url: data.link ?? null, note: data.note ?? "", addedById: ctx.actor.id, addedByName: ctx.actor.name },
          select: { id: true, createdAt: true },
        })
      : null;
    const pick = (source: Record<string, unknown>) => Object.fromEntries(changed.map((key) => [key, source[key] instanceof Date ? (source[key] as Date).toISOString() : source[key]]));
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.ITEM_UPDATED,
      entityType: "item",
      entityId: item.id,
      projectId: item.projectId,
      before: { ...pick(item), version: item.version, title: item.title },
      after: {
        ...pick(next),
        version,
        title,
        ...(noteEvidence ? { ...(data.link ? { link: data.link } : {}), note: data.note ?? "", evidenceId: noteEvidence.id, evidenceCreatedAt: noteEvidence.createdAt.toISOString() } : {}),
      },
      requestId: ctx.requestId,
    });
    await markStaleSignoffs(tx, ctx, item.projectId, [item.area, next.area], { action: auditActions.ITEM_UPDATED, itemId: item.id, title });
    if (isRequesting) {
      await notify(tx, {
        kind: "WAIVER_REQUESTED",
        recipients: [next.waiverRiskOwnerId],
        projectId: item.projectId,
        itemId: item.id,
        title: `${ctx.actor.name} named you the risk owner of a waiver of “${title}”`,
        body: `Reason: ${next.statusReason ?? ""}\nExpires: ${next.waiverExpiresAt?.toISOString().slice(0, 10) ?? ""}\nThe waiver counts once an approver or lead other than ${ctx.actor.name} accepts it.`,
        link: itemLink(item.project.slug, item.id),
        actor: ctx.actor,
      });
    }
    return { version, changed: true, title, status: next.status };
  }, DEFAULT_TRANSACTION);
}

/** The waiver's fields as the audit events of its decision record them (dates as ISO instants). */
function waiverFields(item: LockedItem["item"]) {
  return {
    status: item.status,
    statusReason: item.statusReason,
    waiverRiskOwnerId: item.waiverRiskOwnerId,
    waiverRiskOwner: item.waiverRiskOwner,
    waiverControls: item.waiverControls,
    waiverExpiresAt: item.waiverExpiresAt?.toISOString() ?? null,
    waiverGrantedById: item.waiverGrantedById,
    waiverGrantedByName: item.waiverGrantedByName,
    waiverAcceptedById: item.waiverAcceptedById,
    waiverAcceptedByName: item.waiverAcceptedByName,
    waiverAcceptedAt: item.waiverAcceptedAt?.toISOString() ?? null,
  };
}

/**
 * Accepts an item's waiver request: an approver or lead of the project who did not request it
 * (lib/policy.ts, "waiver.decide"), on the version they saw, while the request is unexpired and
 * names a member as its risk owner. From then on the waiver counts until it expires. Audited in
 * the same transaction; sign-offs covering the item go stale (the digest covers acceptance); the
 * requester and the risk owner are told. The one place a waiver is accepted.
 *
 * Accepting a risk is a signature (21 CFR Part 11 §11.200), given like a sign-off: it needs a
 * recent proof of identity (the password or a code again when the session's is older than the
 * signing window: requireRecentProof), and its audit event records how the signer proved it.
 */
export async function acceptWaiver(ctx: ServiceContext, input: unknown): Promise<ItemSaved> {
  const data = parseInput(acceptWaiverSchema, input);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, data.expectedVersion);
    const { item } = locked;
    assertCan(ctx.actor, "waiver.decide", waiverResource(locked));
    const refusal = waiverDecisionRefusal(item, "accept", now);
    if (refusal) throw new AppError("CONFLICT", refusal);
    // The risk owner must still be a member when the risk is accepted.
    await riskOwnerOrThrow(tx, item.projectId, item.waiverRiskOwnerId!);
    // Last of the checks: nobody is asked for their password only to be refused for another reason.
    const proof = await requireRecentProof(tx, ctx, proofOf(data), auditActions.WAIVER_ACCEPTED, now);
    const acceptance = { waiverAcceptedById: ctx.actor.id, waiverAcceptedByName: ctx.actor.name, waiverAcceptedAt: now };
    const version = await bumpVersion(tx, item, acceptance);
    const before = waiverFields(item);
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.WAIVER_ACCEPTED,
      entityType: "item",
      entityId: item.id,
      projectId: item.projectId,
      before: { ...before, version: item.version, title: item.title },
      after: { ...before, ...acceptance, waiverAcceptedAt: now.toISOString(), version, title: item.title, reauth: proofForRecord(proof) },
      requestId: ctx.requestId,
    });
    await markStaleSignoffs(tx, ctx, item.projectId, [item.area], { action: auditActions.WAIVER_ACCEPTED, itemId: item.id, title: item.title });
    await notify(tx, {
      kind: "WAIVER_ACCEPTED",
      recipients: [item.waiverGrantedById, item.waiverRiskOwnerId],
      projectId: item.projectId,
      itemId: item.id,
      title: `${ctx.actor.name} accepted the waiver of “${item.title}”`,
      body: `Requested by ${item.waiverGrantedByName ?? "someone"}; risk owner ${item.waiverRiskOwner ?? ""}; it counts until ${item.waiverExpiresAt?.toISOString().slice(0, 10) ?? ""}.`,
      link: itemLink(item.project.slug, item.id),
      actor: ctx.actor,
    });
    return { version, changed: true, title: item.title, status: item.status };
  }, DEFAULT_TRANSACTION);
}

/**
 * Declines an item's waiver request (the same people may as accept it), with a reason. The item
 * goes back to to do with its waiver fields cleared: it is plainly open work again, and the
 * request, the decision and its reason stay in the item's history. Audited in the same
 * transaction; covering sign-offs go stale; the requester is told why.
 */
export async function declineWaiver(ctx: ServiceContext, input: unknown): Promise<ItemSaved> {
  const data = parseInput(declineWaiverSchema, input);
  const now = new Date();
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, data.expectedVersion);
    const { item } = locked;
    assertCan(ctx.actor, "waiver.decide", waiverResource(locked));
    const refusal = waiverDecisionRefusal(item, "decline", now);
    if (refusal) throw new AppError("CONFLICT", refusal);
    const cleared = {
      status: "TODO" as const,
      statusReason: null,
      waiverRiskOwnerId: null,
      waiverRiskOwner: null,
      waiverControls: null,
      waiverExpiresAt: null,
      waiverGrantedById: null,
      waiverGrantedByName: null,
      waiverAcceptedById: null,
      waiverAcceptedByName: null,
      waiverAcceptedAt: null,
    };
    const version = await bumpVersion(tx, item, cleared);
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.WAIVER_DECLINED,
      entityType: "item",
      entityId: item.id,
      projectId: item.projectId,
      before: { ...waiverFields(item), version: item.version, title: item.title },
      after: { ...cleared, reason: data.reason, version, title: item.title },
      requestId: ctx.requestId,
    });
    await markStaleSignoffs(tx, ctx, item.projectId, [item.area], { action: auditActions.WAIVER_DECLINED, itemId: item.id, title: item.title });
    await notify(tx, {
      kind: "WAIVER_DECLINED",
      recipients: [item.waiverGrantedById],
      projectId: item.projectId,
      itemId: item.id,
      title: `${ctx.actor.name} declined the waiver of “${item.title}”`,
      body: `Reason: ${data.reason}\nThe item is to do again.`,
      link: itemLink(item.project.slug, item.id),
      actor: ctx.actor,
    });
    return { version, changed: true, title: item.title, status: "TODO" };
  }, DEFAULT_TRANSACTION);
}

export async function addEvidence(ctx: ServiceContext, input: unknown): Promise<{ version: number; evidenceId: string }> {
  const data = parseInput(addEvidenceSchema, input);
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, data.expectedVersion);
    assertCan(ctx.actor, "item.work", itemResource(locked));
    const version = await bumpVersion(tx, locked.item, locked.item.status === "DONE" ? { attestedAt: new Date() } : {});
    const evidence = await tx.evidence.create({
      data: { itemId: locked.item.id, kind: data.kind, url: data.kind === "LINK" ? data.url : null, note: data.note ?? "", addedById: ctx.actor.id, addedByName: ctx.actor.name },
      select: { id: true, kind: true, url: true, note: true, addedByName: true, createdAt: true },
    });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.EVIDENCE_ADDED,
      entityType: "item",
      entityId: locked.item.id,
      projectId: locked.item.projectId,
      after: { ...evidence, createdAt: evidence.createdAt.toISOString(), itemTitle: locked.item.title, version },
      requestId: ctx.requestId,
    });
    await markStaleSignoffs(tx, ctx, locked.item.projectId, [locked.item.area], { action: auditActions.EVIDENCE_ADDED, itemId: locked.item.id, title: locked.item.title });
    await notifyAssignee(tx, ctx, locked, "EVIDENCE_CHANGED", `${ctx.actor.name} added evidence to “${locked.item.title}”`, evidence.kind === "LINK" ? `Link: ${evidence.url}` : evidence.note);
    return { version, evidenceId: evidence.id };
  });
}

export async function removeEvidence(ctx: ServiceContext, input: unknown): Promise<{ version: number }> {
  const data = parseInput(removeEvidenceSchema, input);
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, data.expectedVersion);
    assertCan(ctx.actor, "item.work", itemResource(locked));
    const evidence = await tx.evidence.findFirst({ where: { id: data.evidenceId, itemId: locked.item.id }, select: { id: true, kind: true, url: true, note: true, addedByName: true } });
    if (!evidence) throw new AppError("NOT_FOUND", "That evidence is not on this item.");
    const remaining = await tx.evidence.count({ where: { itemId: locked.item.id } });
    if (locked.item.status === "DONE" && locked.item.required && remaining <= 1) {
      throw new AppError("CONFLICT", "This is the only evidence of a done, required item: change its status first, or add other evidence.");
    }
    await tx.evidence.delete({ where: { id: evidence.id } });
    const version = await bumpVersion(tx, locked.item);
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.EVIDENCE_REMOVED,
      entityType: "item",
      entityId: locked.item.id,
      projectId: locked.item.projectId,
      before: { ...evidence, itemTitle: locked.item.title },
      after: { version },
      requestId: ctx.requestId,
    });
    await markStaleSignoffs(tx, ctx, locked.item.projectId, [locked.item.area], { action: auditActions.EVIDENCE_REMOVED, itemId: locked.item.id, title: locked.item.title });
    await notifyAssignee(tx, ctx, locked, "EVIDENCE_CHANGED", `${ctx.actor.name} removed evidence from “${locked.item.title}”`, evidence.kind === "LINK" ? `Link: ${evidence.url}` : evidence.note);
    return { version };
  });
}

/** Comments do not change the item's state, so they need no version. */
export async function addComment(ctx: ServiceContext, input: unknown): Promise<{ commentId: string }> {
  const data = parseInput(addCommentSchema, input);
  return db.$transaction(async (tx) => {
    const locked = await lockItem(tx, ctx.actor, data.itemId, null);
    assertCan(ctx.actor, "item.comment", itemResource(locked));
    const comment = await tx.comment.create({ data: { itemId: locked.item.id, authorId: ctx.actor.id, authorName: ctx.actor.name, body: data.body }, select: { id: true, body: true, createdAt: true } });
    await recordAuditEvent(tx, {
      actor: ctx.actor,
      action: auditActions.COMMENT_ADDED,
      entityType: "item",
      entityId: locked.item.id,
      projectId: locked.item.projectId,
      after: { commentId: comment.id, body: comment.body, itemTitle: locked.item.title, createdAt: comment.createdAt.toISOString() },
      requestId: ctx.requestId,
    });
    await notifyAssignee(tx, ctx, locked, "COMMENTED", `${ctx.actor.name} commented on “${locked.item.title}”`, comment.body);
    return { commentId: comment.id };
  });
}

export type ImportSummary = { sections: number; items: number; checked: number; maxDepth: number };

/**
 * The file's counts and, for a Shipshape export (its items carry work), how many emails in it
 * named no one here who may hold the role: those assignees and risk owners were dropped.
 */
export type ImportOutcome = ImportSummary & { droppedAssignees?: number; droppedRiskOwners?: number };

/**
 * Adds the sections and items of a Markdown checklist to a project (after its existing ones),
 * all or nothing, with one audit event that lists every item added.
 */
export async function importChecklist(ctx: ServiceContext, input: { projectId: string; markdown: string | Uint8Array; source: string }): Promise<ImportOutcome> {
  const { projectId } = parseInput(z.object({ projectId: z.uuid("Choose a project.") }), { projectId: input.projectId });
  // Refused before the parse, which costs seconds of a worker for a large file.
  await assertCanOnProject(db, ctx.actor, projectId, "checklist.edit");
  const { checklist, stats } = await parseMarkdownOrThrow(input.markdown, "file", ctx.actor.id);
  return longDb.$transaction(async (tx) => {
    await lockProjectFor(tx, ctx.actor, projectId, "checklist.edit");
    const dropped = await addChecklistRows(tx, ctx, projectId, checklist, { kind: "markdown", source: input.source, stats });
    // A foreign file names no one: its summary is the counts alone, as it always was.
    return carriesWork(checklist) ? { ...stats, droppedAssignees: dropped.assignees, droppedRiskOwners: dropped.riskOwners } : stats;
  }, LONG_TRANSACTION);
}

/**
 * Materializes checklist data into a project inside the caller's transaction, audited. Work a
 * Shipshape export carries (statuses, assignees, due dates, waivers) is written too; people are
 * found by email among the project's active members, and a waiver becomes a request by the
 * importer. Returns how many emails named no one here.
 */
export async function addChecklistRows(
  tx: Tx,
  ctx: AuditContext,
  projectId: string,
  checklist: KeyedChecklist | ChecklistData,
  origin:
    | { kind: "markdown"; source: string; stats: ImportSummary }
    | { kind: "template"; templateVersionId: string; template: string; version: number }
    | { kind: "campaign"; campaignId: string; campaign: string },
): Promise<Materialized["dropped"]> {
  const last = await tx.checklistSection.aggregate({ where: { projectId }, _max: { position: true } });
  const people = origin.kind === "markdown" ? await importPeople(tx, projectId, checklist, ctx.actor) : null;
  const levelOf = await levelsForAddedItems(tx, ctx, projectId, checklist.levels);
  const rows = materialize(checklist, (last._max.position ?? -1) + 1, people, levelOf);
  const checkedNote = origin.kind === "markdown" ? `Imported as checked from ${origin.source}.` : "Checked in the template.";
  const checkedEvidence = await insertMaterialized(tx, projectId, rows, checkedNote, ctx.actor);
  await recordAuditEvent(tx, {
    actor: ctx.actor,
    action: auditActions.CHECKLIST_IMPORTED,
    entityType: "project",
    entityId: projectId,
    projectId,
    after: { origin, ...importSnapshot(rows, checkedEvidence) },
    requestId: ctx.requestId,
  });
  const added = [...new Set(rows.items.map((item) => item.area))];
  await markStaleSignoffs(tx, ctx, projectId, added, { action: auditActions.CHECKLIST_IMPORTED, itemId: null, title: `${plural(rows.items.length, "item")} added` });
  return rows.dropped;
}

function carriesWork(checklist: ChecklistData): boolean {
  const visit = (items: ChecklistData["sections"][number]["items"]): boolean => items.some((item) => item.work !== undefined || visit(item.children));
  return checklist.sections.some((section) => visit(section.items));
}

/** The active members of the project that the checklist names by email. */
async function importPeople(tx: Tx, projectId: string, checklist: KeyedChecklist | ChecklistData, actor: AuditContext["actor"]): Promise<ImportPeople> {
  const emails = new Set<string>();
  const visit = (items: (KeyedChecklist | ChecklistData)["sections"][number]["items"]) => {
    for (const item of items) {
      const work = "work" in item ? item.work : undefined;
      for (const email of [work?.assigneeEmail, work?.waiver?.riskOwnerEmail]) if (email) emails.add(email.toLowerCase());
      visit(item.children);
    }
  };
  for (const section of checklist.sections) visit(section.items);
  if (emails.size === 0) return { members: new Map(), requester: actor };
  const members = await peopleOnProject(tx, projectId, { disabledAt: null, email: { in: [...emails], mode: "insensitive" } });
  return { members: new Map(members.map((member) => [member.email.toLowerCase(), { id: member.id, name: member.name, roles: member.roles }])), requester: actor };
}
