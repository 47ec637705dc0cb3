import { formatDateTime } from "@/lib/time";
import { z } from "zod";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/policy";
import { auditActions } from "@/lib/audit/events";
import { getProjectForActor, type ProjectView } from "@/lib/projects/data";
import { buildChecklistView, ITEM_DETAIL_RESULTS, type ChecklistView, type ItemDetail } from "@/lib/checklists/data";
import type { ChecklistFilter } from "@/lib/checklists/schema";
import { areas, itemStatuses, type Area, type ItemStatus } from "@/lib/checklists/types";
import { signoffSlots, type SignoffSlot } from "@/lib/signoffs/digest";
import { computeGate } from "@/lib/signoffs/gate";
import { toPublicSignoff, type ProjectGate, type PublicSignoff } from "@/lib/signoffs/data";

// A project's checklist as it stood at any moment, rebuilt from its audit events alone: every
// change to sections, items, evidence, comments and sign-offs writes an event with what it
// changed (lib/audit/events.ts), in the change's own transaction. The reducer is pure; the
// loader checks the reader may see the project and reads the events in replay order.

/**
 * The order events are replayed in: the order they were written. The key must be unique and
 * increase in commit order. `id` today; switch to `seq` when the hash chain lands.
 */
export const REPLAY_ORDER_KEY = "seq" as const;

/** Events are read in batches of this many, so a long history is never held twice in memory. */
const REPLAY_BATCH = 5_000;

/** Sign-off slots a project requires until a lead changes them (the column's default). */
export const DEFAULT_REQUIRED_SLOTS: readonly SignoffSlot[] = signoffSlots;

/** An audit event as the rebuild reads it. */
export type ReplayEvent = {
  id: bigint | number | string;
  occurredAt: Date;
  action: string;
  entityId: string | null;
  actorId: string | null;
  actorName: string | null;
  before: unknown;
  after: unknown;
};

export type RebuiltSection = { id: string; title: string; position: number };
export type RebuiltEvidence = { id: string; kind: "LINK" | "NOTE"; url: string | null; note: string; addedByName: string; createdAt: string };
export type RebuiltComment = { id: string; authorName: string; body: string; createdAt: string };
export type RebuiltResult = { id: string; outcome: "PASS" | "FAIL"; counted: boolean; summary: string; url: string | null; facts: Record<string, unknown>; actorName: string; recordedAt: string };

/** An item as it stood; instants are ISO strings. */
export type RebuiltItem = {
  id: string;
  sectionId: string;
  parentId: string | null;
  position: number;
  templateKey: string | null;
  title: string;
  details: string;
  area: Area;
  required: boolean;
  /** The item's maturity level (an index into the checklist's levels). */
  level: number;
  status: ItemStatus;
  statusReason: string | null;
  waiverRiskOwner: string | null;
  waiverControls: string | null;
  waiverExpiresAt: string | null;
  /** Who requested the waiver. */
  waiverGrantedById: string | null;
  waiverGrantedByName: string | null;
  waiverRiskOwnerId: string | null;
  waiverAcceptedById: string | null;
  waiverAcceptedByName: string | null;
  /** Null while the waiver is a request (and for waivers recorded before acceptance existed). */
  waiverAcceptedAt: string | null;
  assigneeId: string | null;
  /** The assignee's name as recorded when they were assigned. */
  assigneeName: string | null;
  dueAt: string | null;
  version: number;
  /** When the last event that changed the item occurred. */
  updatedAt: string;
  /** Oldest first. */
  evidence: RebuiltEvidence[];
  /** Oldest first. */
  comments: RebuiltComment[];
  /** Oldest first. */
  results: RebuiltResult[];
};

export type RebuiltSignoff = {
  id: string;
  slot: SignoffSlot;
  round: number;
  state: "CURRENT" | "STALE" | "SUPERSEDED";
  decision: "APPROVED" | "REJECTED";
  approverId: string | null;
  approverName: string;
  approverTitle: string;
  capacity: string;
  comment: string;
  reason: string | null;
  digest: string;
  openItems: number;
  signedAt: string;
  staleAt: string | null;
  /** What the signature means, in words, and how its signer proved who they were (null: signed before these were recorded). */
  meaning: string | null;
  reauthMethod: string | null;
  reauthAt: string | null;
  reauthBasis: string | null;
};

/** An event the rebuild could not apply exactly (a payload older than the fields it needs, or a row made outside the services). */
export type ReplayGap = { eventId: string | null; action: string | null; problem: string };

export type RebuiltChecklist = {
  /** By position. */
  sections: RebuiltSection[];
  /** In document order: by section, then depth first by position. */
  items: RebuiltItem[];
  /** By slot (DEVOPS, DBA, SECURITY, GO_LIVE), then round. */
  signoffs: RebuiltSignoff[];
  requiredSlots: SignoffSlot[];
  /** The maturity levels (lowest first; empty: none) and the target level. */
  levels: string[];
  targetLevel: number;
  liveAt: string | null;
  /** How many events were applied. */
  events: number;
  /** Empty when the rebuild is exact. */
  gaps: ReplayGap[];
};

/** The rebuild in progress; apply events to it in replay order with applyAuditEvent. */
export type ReplayState = {
  sections: Map<string, RebuiltSection>;
  items: Map<string, RebuiltItem>;
  signoffs: Map<string, RebuiltSignoff>;
  requiredSlots: SignoffSlot[];
  levels: string[];
  targetLevel: number;
  liveAt: string | null;
  events: number;
  gaps: ReplayGap[];
};

export function emptyReplayState(): ReplayState {
  return { sections: new Map(), items: new Map(), signoffs: new Map(), requiredSlots: [...DEFAULT_REQUIRED_SLOTS], levels: [], targetLevel: 0, liveAt: null, events: 0, gaps: [] };
}

// What the rebuild reads of each payload. Fields added to the writers later are optional here,
// so that events written before them still replay (their absence is reported as a gap).

const text = z.string();
const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not an instant");
const area = z.enum(areas);
const section = z.object({ id: text, title: text, position: z.number().int() });

const importedSchema = z.object({
  origin: z.object({ kind: text, source: text.optional() }).optional(),
  sections: z.array(section),
  items: z.array(
    z.object({
      id: text,
      sectionId: text,
      parentId: text.nullable(),
      position: z.number().int(),
      templateKey: text.nullable(),
      title: text,
      details: text,
      area,
      required: z.boolean(),
      // Written since checklists have levels: absent before (the lowest).
      level: z.number().int().min(0).optional(),
      status: z.enum(itemStatuses),
      // Written since imports carry work (a Shipshape export): absent before, and on templates' imports none.
      statusReason: text.nullable().optional(),
      waiverRiskOwner: text.nullable().optional(),
      waiverRiskOwnerId: text.nullable().optional(),
      waiverControls: text.nullable().optional(),
      waiverExpiresAt: instant.nullable().optional(),
      waiverGrantedById: text.nullable().optional(),
      waiverGrantedByName: text.nullable().optional(),
      assigneeId: text.nullable().optional(),
      assigneeName: text.nullable().optional(),
      dueAt: instant.nullable().optional(),
    }),
  ),
  checkedEvidence: z.array(z.object({ id: text, itemId: text, note: text, addedByName: text, createdAt: instant })).optional(),
});

const upgradedSchema = z.object({
  removed: z.array(z.object({ id: text })),
  updated: z.array(z.object({ id: text, details: text.optional(), area: area.optional(), required: z.boolean().optional(), version: z.number().int().optional() })),
  addedSections: z.array(section).optional(),
  added: z.array(
    z.object({
      id: text,
      title: text,
      section: text,
      sectionId: text.optional(),
      parentId: text.nullable().optional(),
      position: z.number().int().optional(),
      templateKey: text.nullable().optional(),
      details: text.optional(),
      area: area.optional(),
      required: z.boolean().optional(),
      level: z.number().int().min(0).optional(),
    }),
  ),
});

const nullableText = text.nullable().optional();
const itemUpdatedSchema = z.object({
  title: text.optional(),
  details: text.optional(),
  area: area.optional(),
  required: z.boolean().optional(),
  level: z.number().int().min(0).optional(),
  status: z.enum(itemStatuses).optional(),
  statusReason: nullableText,
  waiverRiskOwner: nullableText,
  waiverControls: nullableText,
  waiverExpiresAt: instant.nullable().optional(),
  waiverGrantedById: nullableText,
  waiverGrantedByName: nullableText,
  waiverRiskOwnerId: nullableText,
  waiverAcceptedById: nullableText,
  waiverAcceptedByName: nullableText,
  waiverAcceptedAt: instant.nullable().optional(),
  version: z.number().int().optional(),
  note: z.string().optional(),
  /** Evidence given as a link with the change (the note, possibly empty, goes with it). */
  link: text.optional(),
  evidenceId: text.optional(),
  evidenceCreatedAt: instant.optional(),
});

const itemAssignedSchema = z.object({ assigneeId: text.nullable(), assigneeName: text.nullable(), dueAt: instant.nullable(), version: z.number().int().optional() });

const evidenceAddedSchema = z.object({
  id: text,
  kind: z.enum(["LINK", "NOTE"]),
  url: text.nullable(),
  note: text,
  addedByName: text.optional(),
  createdAt: instant.optional(),
  version: z.number().int().optional(),
});
const evidenceRemovedSchema = z.object({ before: z.object({ id: text }), after: z.object({ version: z.number().int().optional() }).nullable() });
const commentAddedSchema = z.object({ commentId: text, body: text, createdAt: instant.optional() });
const resultRecordedSchema = z.object({ resultId: text, outcome: z.enum(["PASS", "FAIL"]), counted: z.boolean().default(true), summary: text, url: text.nullable(), facts: z.record(z.string(), z.unknown()), recordedAt: instant });

const signoffGivenSchema = z.object({
  slot: z.enum(signoffSlots),
  round: z.number().int(),
  decision: z.enum(["APPROVED", "REJECTED"]),
  approverName: text,
  approverTitle: text.default(""),
  capacity: text.default(""),
  comment: text.default(""),
  reason: text.nullable().default(null),
  digest: text,
  // Absent before approvals with open items existed: none were open.
  openItems: z.number().int().min(0).default(0),
  signedAt: instant.optional(),
  // Absent before signatures recorded their meaning and proof.
  meaning: text.nullable().default(null),
  reauthMethod: text.nullable().default(null),
  reauthAt: instant.nullable().default(null),
  reauthBasis: text.nullable().default(null),
});
const signoffStaleSchema = z.object({ staleAt: instant.optional() });
const slotsChangedSchema = z.object({ requiredSlots: z.array(z.enum(signoffSlots)) });
const levelsChangedSchema = z.object({ levels: z.array(text), targetLevel: z.number().int().min(0), remap: z.array(z.number().int().min(0)).optional() });
const projectLiveSchema = z.object({ liveAt: instant.optional() });

type Handler = (state: ReplayState, event: ReplayEvent, context: { eventId: string; at: string; gap: (problem: string) => void }) => void;

function parsed<T>(schema: z.ZodType<T>, value: unknown, gap: (problem: string) => void): T | null {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  gap(`unreadable payload (${result.error.issues[0]?.path.join(".") || "root"}: ${result.error.issues[0]?.message ?? "invalid"})`);
  return null;
}

function itemOf(state: ReplayState, event: ReplayEvent, gap: (problem: string) => void): RebuiltItem | null {
  const item = event.entityId ? state.items.get(event.entityId) : undefined;
  if (!item) gap("names an item that no earlier event created");
  return item ?? null;
}

type WaiverFields = "waiverRiskOwner" | "waiverControls" | "waiverExpiresAt" | "waiverGrantedById" | "waiverGrantedByName" | "waiverRiskOwnerId" | "waiverAcceptedById" | "waiverAcceptedByName" | "waiverAcceptedAt";

type ItemWorkFields = "level" | "status" | "statusReason" | WaiverFields | "assigneeId" | "assigneeName" | "dueAt";

function newItem(fields: Omit<RebuiltItem, ItemWorkFields | "version" | "evidence" | "comments" | "results"> & Partial<Pick<RebuiltItem, ItemWorkFields>>): RebuiltItem {
  return {
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
    evidence: [],
    comments: [],
    results: [],
    ...fields,
  };
}

/** Removes items and everything under them, as the foreign key's ON DELETE CASCADE does. */
function removeWithDescendants(state: ReplayState, ids: readonly string[]): void {
  const children = new Map<string, string[]>();
  for (const item of state.items.values()) if (item.parentId) children.set(item.parentId, [...(children.get(item.parentId) ?? []), item.id]);
  const stack = [...ids];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (!state.items.delete(id)) continue;
    stack.push(...(children.get(id) ?? []));
  }
}

const handlers: Record<string, Handler> = {
  [auditActions.CHECKLIST_IMPORTED]: (state, event, { eventId, at, gap }) => {
    const after = parsed(importedSchema, event.after, gap);
    if (!after) return;
    for (const entry of after.sections) state.sections.set(entry.id, { ...entry });
    for (const entry of after.items) {
      state.items.set(
        entry.id,
        newItem({
          id: entry.id,
          sectionId: entry.sectionId,
          parentId: entry.parentId,
          position: entry.position,
          templateKey: entry.templateKey,
          title: entry.title,
          details: entry.details,
          area: entry.area,
          required: entry.required,
          level: entry.level ?? 0,
          status: entry.status,
          statusReason: entry.statusReason ?? null,
          waiverRiskOwner: entry.waiverRiskOwner ?? null,
          waiverRiskOwnerId: entry.waiverRiskOwnerId ?? null,
          waiverControls: entry.waiverControls ?? null,
          waiverExpiresAt: entry.waiverExpiresAt ?? null,
          waiverGrantedById: entry.waiverGrantedById ?? null,
          waiverGrantedByName: entry.waiverGrantedByName ?? null,
          assigneeId: entry.assigneeId ?? null,
          assigneeName: entry.assigneeName ?? null,
          dueAt: entry.dueAt ?? null,
          updatedAt: at,
        }),
      );
    }
    if (after.checkedEvidence) {
      for (const evidence of after.checkedEvidence) {
        state.items.get(evidence.itemId)?.evidence.push({ id: evidence.id, kind: "NOTE", url: null, note: evidence.note, addedByName: evidence.addedByName, createdAt: evidence.createdAt });
      }
      return;
    }
    // Written before imports named their evidence: one note per checked item, id unknown.
    const checked = after.items.filter((entry) => entry.status === "DONE");
    if (checked.length === 0) return;
    gap(`the evidence of ${checked.length} checked items has no ids`);
    const note = after.origin?.kind === "markdown" ? `Imported as checked from ${after.origin.source ?? "the file"}.` : "Checked in the template.";
    for (const entry of checked) {
      state.items.get(entry.id)?.evidence.push({ id: `unknown:${eventId}:${entry.id}`, kind: "NOTE", url: null, note, addedByName: event.actorName ?? "Shipshape", createdAt: at });
    }
  },

  // The writer removes, then updates, then adds (applyTemplateDiff): replayed in that order.
  [auditActions.CHECKLIST_UPGRADED]: (state, event, { at, gap }) => {
    const after = parsed(upgradedSchema, event.after, gap);
    if (!after) return;
    removeWithDescendants(
      state,
      after.removed.map((entry) => entry.id),
    );
    for (const entry of after.updated) {
      const item = state.items.get(entry.id);
      if (!item) continue;
      if (entry.details === undefined || entry.area === undefined || entry.required === undefined) gap(`the new guidance of "${item.title}" is not recorded`);
      item.details = entry.details ?? item.details;
      item.area = entry.area ?? item.area;
      item.required = entry.required ?? item.required;
      item.version = entry.version ?? item.version + 1;
      item.updatedAt = at;
    }
    for (const entry of after.addedSections ?? []) state.sections.set(entry.id, { ...entry });
    for (const entry of after.added) {
      const sectionId = entry.sectionId ?? [...state.sections.values()].find((candidate) => candidate.title === entry.section)?.id;
      if (entry.sectionId === undefined || entry.position === undefined || entry.area === undefined) gap(`where and what "${entry.title}" was added is not fully recorded`);
      if (!sectionId) continue;
      state.items.set(
        entry.id,
        newItem({
          id: entry.id,
          sectionId,
          parentId: entry.parentId ?? null,
          position: entry.position ?? Number.MAX_SAFE_INTEGER,
          templateKey: entry.templateKey ?? null,
          title: entry.title,
          details: entry.details ?? "",
          area: entry.area ?? "GENERAL",
          required: entry.required ?? true,
          level: entry.level ?? 0,
          updatedAt: at,
        }),
      );
    }
  },

  // A waiver's acceptance or decline records the item's fields after it as an update does.
  [auditActions.WAIVER_ACCEPTED]: (state, event, context) => handlers[auditActions.ITEM_UPDATED]!(state, event, context),
  [auditActions.WAIVER_DECLINED]: (state, event, context) => handlers[auditActions.ITEM_UPDATED]!(state, event, context),

  [auditActions.ITEM_UPDATED]: (state, event, { eventId, at, gap }) => {
    const item = itemOf(state, event, gap);
    const after = item && parsed(itemUpdatedSchema, event.after, gap);
    if (!item || !after) return;
    if (after.title !== undefined) item.title = after.title;
    if (after.details !== undefined) item.details = after.details;
    if (after.area !== undefined) item.area = after.area;
    if (after.required !== undefined) item.required = after.required;
    if (after.level !== undefined) item.level = after.level;
    if (after.status !== undefined) item.status = after.status;
    if (after.statusReason !== undefined) item.statusReason = after.statusReason;
    if (after.waiverRiskOwner !== undefined) item.waiverRiskOwner = after.waiverRiskOwner;
    if (after.waiverControls !== undefined) item.waiverControls = after.waiverControls;
    if (after.waiverExpiresAt !== undefined) item.waiverExpiresAt = after.waiverExpiresAt;
    for (const key of ["waiverGrantedById", "waiverGrantedByName", "waiverRiskOwnerId", "waiverAcceptedById", "waiverAcceptedByName", "waiverAcceptedAt"] as const) {
      if (after[key] !== undefined) item[key] = after[key];
    }
    item.version = after.version ?? item.version + 1;
    item.updatedAt = at;
    if (after.note !== undefined || after.link !== undefined) {
      if (!after.evidenceId) gap("the note's evidence has no id");
      item.evidence.push({
        id: after.evidenceId ?? `unknown:${eventId}`,
        kind: after.link ? "LINK" : "NOTE",
        url: after.link ?? null,
        note: after.note ?? "",
        addedByName: event.actorName ?? "Shipshape",
        createdAt: after.evidenceCreatedAt ?? at,
      });
    }
  },

  [auditActions.ITEM_ASSIGNED]: (state, event, { at, gap }) => {
    const item = itemOf(state, event, gap);
    const after = item && parsed(itemAssignedSchema, event.after, gap);
    if (!item || !after) return;
    item.assigneeId = after.assigneeId;
    item.assigneeName = after.assigneeName;
    item.dueAt = after.dueAt;
    item.version = after.version ?? item.version + 1;
    item.updatedAt = at;
  },

  [auditActions.EVIDENCE_ADDED]: (state, event, { at, gap }) => {
    const item = itemOf(state, event, gap);
    const after = item && parsed(evidenceAddedSchema, event.after, gap);
    if (!item || !after) return;
    item.evidence.push({ id: after.id, kind: after.kind, url: after.url, note: after.note, addedByName: after.addedByName ?? event.actorName ?? "", createdAt: after.createdAt ?? at });
    item.version = after.version ?? item.version + 1;
    item.updatedAt = at;
  },

  [auditActions.EVIDENCE_REMOVED]: (state, event, { at, gap }) => {
    const item = itemOf(state, event, gap);
    const payload = item && parsed(evidenceRemovedSchema, { before: event.before, after: event.after }, gap);
    if (!item || !payload) return;
    const index = item.evidence.findIndex((evidence) => evidence.id === payload.before.id);
    if (index < 0) gap("removes evidence that no earlier event added");
    else item.evidence.splice(index, 1);
    item.version = payload.after?.version ?? item.version + 1;
    item.updatedAt = at;
  },

  [auditActions.COMMENT_ADDED]: (state, event, { at, gap }) => {
    const item = itemOf(state, event, gap);
    const after = item && parsed(commentAddedSchema, event.after, gap);
    if (!item || !after) return;
    item.comments.push({ id: after.commentId, authorName: event.actorName ?? "", body: after.body, createdAt: after.createdAt ?? at });
  },

  // A result changes the item only through the item.updated event written with it.
  [auditActions.RESULT_RECORDED]: (state, event, { gap }) => {
    const item = itemOf(state, event, gap);
    const after = item && parsed(resultRecordedSchema, event.after, gap);
    if (!item || !after) return;
    item.results.push({ id: after.resultId, outcome: after.outcome, counted: after.counted, summary: after.summary, url: after.url, facts: after.facts, actorName: event.actorName ?? "", recordedAt: after.recordedAt });
  },

  // A new round supersedes the slot's CURRENT one in the same transaction, without an event of its own.
  [auditActions.SIGNOFF_GIVEN]: (state, event, { eventId, at, gap }) => {
    const after = parsed(signoffGivenSchema, event.after, gap);
    if (!after) return;
    for (const signoff of state.signoffs.values()) if (signoff.slot === after.slot && signoff.state === "CURRENT") signoff.state = "SUPERSEDED";
    const id = event.entityId ?? `unknown:${eventId}`;
    state.signoffs.set(id, {
      id,
      slot: after.slot,
      round: after.round,
      state: "CURRENT",
      decision: after.decision,
      approverId: event.actorId,
      approverName: after.approverName,
      approverTitle: after.approverTitle,
      capacity: after.capacity,
      comment: after.comment,
      reason: after.reason,
      digest: after.digest,
      openItems: after.openItems,
      signedAt: after.signedAt ?? at,
      staleAt: null,
      meaning: after.meaning,
      reauthMethod: after.reauthMethod,
      reauthAt: after.reauthAt,
      reauthBasis: after.reauthBasis,
    });
  },

  [auditActions.SIGNOFF_STALE]: (state, event, { at, gap }) => {
    const signoff = event.entityId ? state.signoffs.get(event.entityId) : undefined;
    const after = parsed(signoffStaleSchema, event.after ?? {}, gap);
    if (!signoff) return gap("names a sign-off that no earlier event gave");
    signoff.state = "STALE";
    signoff.staleAt = after?.staleAt ?? at;
  },

  [auditActions.SIGNOFF_SLOTS_CHANGED]: (state, event, { gap }) => {
    const after = parsed(slotsChangedSchema, event.after, gap);
    if (after) state.requiredSlots = [...after.requiredSlots];
  },

  // Items whose level moved (`remap[old]`) took one version each, as the writer does.
  [auditActions.LEVELS_CHANGED]: (state, event, { at, gap }) => {
    const after = parsed(levelsChangedSchema, event.after, gap);
    if (!after) return;
    state.levels = [...after.levels];
    state.targetLevel = after.targetLevel;
    const remap = after.remap;
    if (!remap) return;
    for (const item of state.items.values()) {
      const to = item.level < remap.length ? remap[item.level] : undefined;
      if (to === undefined || to === item.level) continue;
      item.level = to;
      item.version += 1;
      item.updatedAt = at;
    }
  },

  [auditActions.PROJECT_LIVE]: (state, event, { at, gap }) => {
    const after = parsed(projectLiveSchema, event.after ?? {}, gap);
    state.liveAt = after?.liveAt ?? at;
  },
};

/** The actions the rebuild replays; every other event leaves the checklist as it was. */
export const replayedActions: readonly string[] = Object.keys(handlers);

/** Applies one event (the next in replay order) to the state. */
export function applyAuditEvent(state: ReplayState, event: ReplayEvent): void {
  const handler = Object.hasOwn(handlers, event.action) ? handlers[event.action] : undefined;
  if (!handler) return;
  const eventId = String(event.id);
  handler(state, event, { eventId, at: event.occurredAt.toISOString(), gap: (problem) => state.gaps.push({ eventId, action: event.action, problem }) });
  state.events++;
}

const byCreated = <T extends { id: string; createdAt: string }>(a: T, b: T) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
const byPosition = <T extends { id: string; position: number }>(a: T, b: T) => a.position - b.position || a.id.localeCompare(b.id);

/** The state as plain, ordered data. */
export function finishReplay(state: ReplayState): RebuiltChecklist {
  const sections = [...state.sections.values()].sort(byPosition).map((entry) => ({ ...entry }));
  const children = new Map<string, RebuiltItem[]>();
  const roots = new Map<string, RebuiltItem[]>(sections.map((entry) => [entry.id, []]));
  for (const item of state.items.values()) {
    const parent = item.parentId && state.items.has(item.parentId) ? item.parentId : null;
    const list = parent ? (children.get(parent) ?? children.set(parent, []).get(parent)) : roots.get(item.sectionId);
    list?.push(item);
  }
  const items: RebuiltItem[] = [];
  const walk = (list: RebuiltItem[]) => {
    for (const item of list.sort(byPosition)) {
      items.push({ ...item, evidence: [...item.evidence].sort(byCreated), comments: [...item.comments].sort(byCreated) });
      walk(children.get(item.id) ?? []);
    }
  };
  for (const entry of sections) walk(roots.get(entry.id) ?? []);
  const gaps = [...state.gaps];
  if (items.length < state.items.size) gaps.push({ eventId: null, action: null, problem: `${state.items.size - items.length} items are in a section no event created` });
  const slotOrder = (slot: SignoffSlot) => signoffSlots.indexOf(slot);
  const signoffs = [...state.signoffs.values()].sort((a, b) => slotOrder(a.slot) - slotOrder(b.slot) || a.round - b.round).map((entry) => ({ ...entry }));
  return { sections, items, signoffs, requiredSlots: [...state.requiredSlots], levels: [...state.levels], targetLevel: state.targetLevel, liveAt: state.liveAt, events: state.events, gaps };
}

/** Rebuilds a project's checklist from its audit events, given in replay order. Pure. */
export function rebuildChecklist(events: Iterable<ReplayEvent>): RebuiltChecklist {
  const state = emptyReplayState();
  for (const event of events) applyAuditEvent(state, event);
  return finishReplay(state);
}

/** A checklist as it stood at a moment: the checklist page's view, plus what only history has. */
export type ChecklistAsOf = ChecklistView & {
  /** The moment (ISO) this is the state at; effective statuses, due states and the gate are evaluated then. */
  asOf: string;
  /** The gate at that moment, shaped like getGateForProject's (the latest round of each slot). */
  gate: ProjectGate;
  /** Evidence and comments per item id, shaped like getItemDetail's. */
  details: Record<string, ItemDetail>;
  /** The rebuilt rows: sections with positions, items with every field, every sign-off round, gaps. */
  state: RebuiltChecklist;
};

/** Turns a rebuilt checklist into what the checklist page renders, read-only, as of `at`. Pure. */
export function toChecklistAsOf(project: ProjectView, state: RebuiltChecklist, at: Date, filter: ChecklistFilter = {}, zone = "UTC"): ChecklistAsOf {
  const date = (value: string | null) => (value ? new Date(value) : null);
  const levels = { levels: state.levels, targetLevel: state.targetLevel };
  const view = buildChecklistView({
    project,
    levels,
    sections: state.sections.map(({ id, title }) => ({ id, title })),
    rows: state.items.map((item) => ({
      ...item,
      waiverExpiresAt: date(item.waiverExpiresAt),
      waiverAcceptedAt: date(item.waiverAcceptedAt),
      dueAt: date(item.dueAt),
      updatedAt: new Date(item.updatedAt),
      evidenceCount: item.evidence.length,
      commentCount: item.comments.length,
    })),
    filter,
    now: at,
    permissions: () => ({ work: false, waive: false, comment: false }),
    canEdit: false,
  });
  const gate = computeGate({
    items: state.items.map((item) => ({ ...item, waiverExpiresAt: date(item.waiverExpiresAt), waiverAcceptedAt: date(item.waiverAcceptedAt) })),
    requiredSlots: state.requiredSlots,
    signoffs: state.signoffs.map((signoff) => ({ ...signoff, signedAt: new Date(signoff.signedAt) })),
    now: at,
    levels,
  });
  const latest: PublicSignoff[] = [];
  for (const slot of signoffSlots) {
    const signoff = state.signoffs.filter((entry) => entry.slot === slot && entry.state !== "SUPERSEDED").at(-1);
    if (!signoff) continue;
    latest.push(toPublicSignoff(signoff));
  }
  const details = Object.fromEntries(
    state.items.map((item) => [
      item.id,
      {
        details: item.details,
        // A past moment is read, not edited; its renewal schedule is in the trail (item.updated).
        renewal: { everyDays: null, dueAt: null, dueLabel: null },
        canEditRequirements: false,
        evidence: item.evidence.map((entry) => ({ ...entry, createdLabel: formatDateTime(new Date(entry.createdAt), zone) })),
        comments: item.comments.map((entry) => ({ ...entry, createdLabel: formatDateTime(new Date(entry.createdAt), zone) })),
        results: [...item.results]
          .sort((a, b) => (a.recordedAt !== b.recordedAt ? (a.recordedAt < b.recordedAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
          .slice(0, ITEM_DETAIL_RESULTS)
          .map((entry) => ({ ...entry, recordedLabel: formatDateTime(new Date(entry.recordedAt), zone) })),
      },
    ]),
  );
  return {
    ...view,
    asOf: at.toISOString(),
    gate: { ...gate, requiredSlots: [...state.requiredSlots], liveAt: state.liveAt, signoffs: latest },
    details,
    state,
  };
}

/** Replays a project's events with occurredAt <= at, in replay order, read in batches. */
async function replayProject(projectId: string, at: Date): Promise<RebuiltChecklist> {
  const state = emptyReplayState();
  let cursor: bigint | null = null;
  for (;;) {
    const batch: (ReplayEvent & { [REPLAY_ORDER_KEY]: bigint })[] = await db.auditEvent.findMany({
      where: { projectId, occurredAt: { lte: at }, action: { in: [...replayedActions] }, ...(cursor === null ? {} : { [REPLAY_ORDER_KEY]: { gt: cursor } }) },
      orderBy: { [REPLAY_ORDER_KEY]: "asc" },
      take: REPLAY_BATCH,
      select: { ...{ [REPLAY_ORDER_KEY]: true }, id: true, occurredAt: true, action: true, entityId: true, actorId: true, actorName: true, before: true, after: true },
    });
    for (const event of batch) applyAuditEvent(state, event);
    if (batch.length < REPLAY_BATCH) break;
    cursor = (batch.at(-1) as (typeof batch)[number])[REPLAY_ORDER_KEY];
  }
  return finishReplay(state);
}

/**
 * A project's checklist as it stood at `at`, rebuilt from its audit events, for an actor who may
 * see the project (NOT_FOUND otherwise). Read-only: every `can*` is false. Before the project's
 * first event it is empty.
 */
export async function getChecklistAsOf(actor: Actor, slug: string, at: Date, filter: ChecklistFilter = {}, zone = "UTC"): Promise<ChecklistAsOf> {
  const project = await getProjectForActor(actor, slug);
  return toChecklistAsOf(project, await replayProject(project.id, at), at, filter, zone);
}
