import { db } from "@/lib/db";
import type { RebuiltChecklist } from "@/lib/audit/as-of";

// A project's checklist as comparable plain data: every field the rebuild from the audit events
// (lib/audit/as-of.ts) promises, read either from the tables (what is) or from a rebuild (what
// the events say was). Instants are ISO strings; lists are ordered by id, evidence included.

export type ChecklistProjection = {
  sections: { id: string; title: string; position: number }[];
  items: {
    id: string;
    sectionId: string;
    parentId: string | null;
    position: number;
    title: string;
    details: string;
    area: string;
    required: boolean;
    level: number;
    status: string;
    statusReason: string | null;
    waiverRiskOwner: string | null;
    waiverControls: string | null;
    waiverExpiresAt: string | null;
    waiverGrantedById: string | null;
    waiverGrantedByName: string | null;
    waiverRiskOwnerId: string | null;
    waiverAcceptedById: string | null;
    waiverAcceptedByName: string | null;
    waiverAcceptedAt: string | null;
    assigneeId: string | null;
    assigneeName: string | null;
    dueAt: string | null;
    templateKey: string | null;
    version: number;
    evidence: { id: string; kind: string; url: string | null; note: string; addedByName: string; createdAt: string }[];
    commentIds: string[];
    results: { id: string; outcome: string; counted: boolean; summary: string; url: string | null; facts: unknown; actorName: string; recordedAt: string }[];
  }[];
  signoffs: {
    id: string;
    slot: string;
    round: number;
    state: string;
    decision: string;
    approverName: string;
    approverTitle: string;
    capacity: string;
    comment: string;
    reason: string | null;
    digest: string;
    openItems: number;
    signedAt: string;
    staleAt: string | null;
    meaning: string | null;
    reauthMethod: string | null;
    reauthAt: string | null;
    reauthBasis: string | null;
  }[];
  requiredSlots: string[];
  levels: string[];
  targetLevel: number;
  liveAt: string | null;
};

const byId = <T extends { id: string }>(a: T, b: T) => a.id.localeCompare(b.id);
const iso = (value: Date | null) => value?.toISOString() ?? null;

/** The checklist as the tables hold it now. */
export async function liveProjection(projectId: string): Promise<ChecklistProjection> {
  const [project, sections, items, signoffs] = await Promise.all([
    db.project.findUniqueOrThrow({ where: { id: projectId }, select: { requiredSlots: true, levels: true, targetLevel: true, liveAt: true } }),
    db.checklistSection.findMany({ where: { projectId }, select: { id: true, title: true, position: true } }),
    db.checklistItem.findMany({
      where: { projectId },
      include: {
        assignee: { select: { name: true } },
        evidence: { select: { id: true, kind: true, url: true, note: true, addedByName: true, createdAt: true } },
        comments: { select: { id: true } },
        results: { select: { id: true, outcome: true, counted: true, summary: true, url: true, facts: true, actorName: true, recordedAt: true } },
      },
    }),
    db.signoff.findMany({ where: { projectId } }),
  ]);
  return {
    sections: sections.sort(byId),
    items: items
      .map((item) => ({
        id: item.id,
        sectionId: item.sectionId,
        parentId: item.parentId,
        position: item.position,
        title: item.title,
        details: item.details,
        area: item.area,
        required: item.required,
        level: item.level,
        status: item.status,
        statusReason: item.statusReason,
        waiverRiskOwner: item.waiverRiskOwner,
        waiverControls: item.waiverControls,
        waiverExpiresAt: iso(item.waiverExpiresAt),
        waiverGrantedById: item.waiverGrantedById,
        waiverGrantedByName: item.waiverGrantedByName,
        waiverRiskOwnerId: item.waiverRiskOwnerId,
        waiverAcceptedById: item.waiverAcceptedById,
        waiverAcceptedByName: item.waiverAcceptedByName,
        waiverAcceptedAt: iso(item.waiverAcceptedAt),
        assigneeId: item.assigneeId,
        assigneeName: item.assignee?.name ?? null,
        dueAt: iso(item.dueAt),
        templateKey: item.templateKey,
        version: item.version,
        evidence: item.evidence.map((entry) => ({ ...entry, createdAt: entry.createdAt.toISOString() })).sort(byId),
        commentIds: item.comments.map((comment) => comment.id).sort(),
        results: item.results.map((entry) => ({ ...entry, recordedAt: entry.recordedAt.toISOString() })).sort(byId),
      }))
      .sort(byId),
    signoffs: signoffs
      .map((signoff) => ({
        id: signoff.id,
        slot: signoff.slot,
        round: signoff.round,
        state: signoff.state,
        decision: signoff.decision,
        approverName: signoff.approverName,
        approverTitle: signoff.approverTitle,
        capacity: signoff.capacity,
        comment: signoff.comment,
        reason: signoff.reason,
        digest: signoff.digest,
        openItems: signoff.openItems,
        signedAt: signoff.signedAt.toISOString(),
        staleAt: iso(signoff.staleAt),
        meaning: signoff.meaning,
        reauthMethod: signoff.reauthMethod,
        reauthAt: iso(signoff.reauthAt),
        reauthBasis: signoff.reauthBasis,
      }))
      .sort(byId),
    requiredSlots: project.requiredSlots,
    levels: project.levels,
    targetLevel: project.targetLevel,
    liveAt: iso(project.liveAt),
  };
}

/** The same projection of a rebuild. */
export function rebuiltProjection(state: RebuiltChecklist): ChecklistProjection {
  return {
    sections: [...state.sections].sort(byId),
    items: state.items
      .map(({ evidence, comments, results, updatedAt: _updatedAt, ...item }) => ({
        ...item,
        evidence: [...evidence].sort(byId),
        commentIds: comments.map((comment) => comment.id).sort(),
        results: [...results].sort(byId),
      }))
      .sort(byId),
    signoffs: state.signoffs.map(({ approverId: _approverId, ...signoff }) => signoff).sort(byId),
    requiredSlots: state.requiredSlots,
    levels: state.levels,
    targetLevel: state.targetLevel,
    liveAt: state.liveAt,
  };
}
