import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { can, type Actor } from "@/lib/policy";
import { effectiveStatus } from "@/lib/checklists/rules";
import { itemRowFields, type AreaPermissions, type ItemRowData } from "@/lib/checklists/data";
import { holdingsByProject } from "@/lib/projects/roles";
import type { Area } from "@/lib/checklists/types";
import { dayIn, dueState, formatDateTime, type DueState } from "@/lib/time";

// "Assigned to me" and "My area": the open items one person should work on, across every
// project they hold a role on (theirs or their team's), in three queries whatever the number of
// projects or items.

export const ownerAreas = ["DEVOPS", "DBA", "SECURITY"] as const;
export type OwnerArea = (typeof ownerAreas)[number];

export type MyWorkQuery =
  | { view: "assigned"; group: "project" | "due"; project?: string | undefined }
  | { view: "area"; area?: OwnerArea | undefined; group: "project" | "due"; project?: string | undefined };

export type WorkProject = { id: string; slug: string; name: string; permissions: AreaPermissions };
export type WorkItem = ItemRowData & { projectId: string };
export type WorkGroup = { key: string; title: string; href: string | null; items: WorkItem[] };

export type MyWork = {
  /** The areas the actor owns somewhere (what the area switcher offers). */
  ownedAreas: OwnerArea[];
  /** The area shown (area view), or null. */
  area: OwnerArea | null;
  projects: WorkProject[];
  groups: WorkGroup[];
  total: number;
};

function permissionsFor(actor: Actor, projectId: string, roles: readonly ProjectRole[]): AreaPermissions {
  const entry = (area: Area) => {
    const resource = { kind: "item" as const, projectId, roles, area };
    return { work: can(actor, "item.work", resource), waive: can(actor, "item.waive", resource), comment: can(actor, "item.comment", resource) };
  };
  return { DEVOPS: entry("DEVOPS"), DBA: entry("DBA"), SECURITY: entry("SECURITY"), GENERAL: entry("GENERAL") };
}

const dueBuckets: { key: DueState | "none"; title: string }[] = [
  { key: "overdue", title: "Overdue" },
  { key: "soon", title: "Due within two days" },
  { key: "later", title: "Due later" },
  { key: "none", title: "No due date" },
];

export async function getMyWork(actor: Actor, query: MyWorkQuery, timeZone: string, now = new Date()): Promise<MyWork> {
  const holdings = await holdingsByProject(db, actor.id);
  const held = await db.project.findMany({ where: { id: { in: [...holdings.keys()] } }, select: { id: true, slug: true, name: true }, orderBy: { name: "asc" } });
  const memberships = held.map((project) => ({ project, ...holdings.get(project.id)! }));
  const ownedAreas = ownerAreas.filter((area) => memberships.some((membership) => membership.roles.includes(area)));
  const area = query.view === "area" ? (query.area && ownedAreas.includes(query.area) ? query.area : (ownedAreas[0] ?? null)) : null;
  const inScope = memberships.filter((membership) => (query.view === "assigned" || (area !== null && membership.roles.includes(area))) && (!query.project || membership.project.slug === query.project));
  const projects = new Map(inScope.map((membership) => [membership.project.id, { ...membership.project, permissions: permissionsFor(actor, membership.project.id, membership.roles) }]));
  const mayDecideWaiver = (projectId: string, requestedById: string | null) => {
    const membership = inScope.find((entry) => entry.project.id === projectId);
    if (!membership) return false;
    return can(actor, "waiver.decide", { kind: "waiver", projectId, roles: membership.roles, selfGrantedRoles: membership.selfGrantedRoles, requestedById });
  };
  if (projects.size === 0 || (query.view === "area" && area === null)) return { ownedAreas, area, projects: [...projects.values()], groups: [], total: 0 };

  const rows = await db.checklistItem.findMany({
    where: {
      projectId: { in: [...projects.keys()] },
      ...(query.view === "assigned" ? { assigneeId: actor.id } : { area: area! }),
      // Open: not yet ready. A waiver nobody has accepted yet, or that has expired, counts as open.
      OR: [{ status: { in: ["TODO", "IN_PROGRESS", "BLOCKED"] } }, { status: "WAIVED", OR: [{ waiverAcceptedAt: null }, { waiverExpiresAt: null }, { waiverExpiresAt: { lte: now } }] }],
    },
    orderBy: query.group === "due" ? [{ dueAt: { sort: "asc", nulls: "last" } }, { projectId: "asc" }, { position: "asc" }] : [{ projectId: "asc" }, { section: { position: "asc" } }, { position: "asc" }],
    select: { ...itemRowFields, projectId: true, section: { select: { title: true } }, parent: { select: { title: true } } },
  });

  const items: WorkItem[] = rows.map((row) => {
    const project = projects.get(row.projectId)!;
    const state = row.dueAt ? dueState(row.dueAt, now) : null;
    return {
      id: row.id,
      projectId: row.projectId,
      title: row.title,
      area: row.area,
      required: row.required,
      status: row.status,
      effectiveStatus: effectiveStatus(row, now),
      version: row.version,
      evidenceCount: row._count.evidence,
      commentCount: row._count.comments,
      ...(row.statusReason ? { statusReason: row.statusReason } : {}),
      ...(row.status === "WAIVED"
        ? {
            waiver: {
              riskOwner: row.waiverRiskOwner,
              riskOwnerId: row.waiverRiskOwnerId,
              controls: row.waiverControls,
              expiresAt: row.waiverExpiresAt?.toISOString().slice(0, 10) ?? null,
              grantedByName: row.waiverGrantedByName,
              acceptedByName: row.waiverAcceptedByName,
              acceptedAt: row.waiverAcceptedAt?.toISOString() ?? null,
              canDecide: !row.waiverAcceptedAt && mayDecideWaiver(row.projectId, row.waiverGrantedById),
            },
          }
        : {}),
      ...(row.assigneeId ? { assigneeId: row.assigneeId, assigneeName: row.assignee?.name ?? "" } : {}),
      ...(row.dueAt ? { dueAt: row.dueAt.toISOString(), dueDay: dayIn(row.dueAt, timeZone), dueLabel: formatDateTime(row.dueAt, timeZone) } : {}),
      ...(state ? { dueState: state } : {}),
      ...(query.group === "due" ? { project: { slug: project.slug, name: project.name } } : {}),
      path: row.parent ? [row.section.title, row.parent.title] : [row.section.title],
      children: [],
    };
  });

  const groups: WorkGroup[] =
    query.group === "due"
      ? dueBuckets
          .map((bucket) => ({ key: bucket.key, title: bucket.title, href: null, items: items.filter((item) => (item.dueState ?? "none") === bucket.key) }))
          .filter((group) => group.items.length > 0)
      : [...projects.values()]
          .map((project) => ({ key: project.id, title: project.name, href: `/projects/${project.slug}`, items: items.filter((item) => item.projectId === project.id) }))
          .filter((group) => group.items.length > 0);
  return { ownedAreas, area, projects: [...projects.values()], groups, total: items.length };
}

