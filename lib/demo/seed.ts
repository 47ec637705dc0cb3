import type { GlobalRole, ProjectRole } from "@/lib/generated/prisma/enums";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { LONG_TRANSACTION } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { hashPassword } from "@/lib/users/password";
import { addChecklistRows } from "@/lib/checklists/mutations";
import { fromStoredContent } from "@/lib/templates/content";
import { ensureBuiltInTemplates } from "@/lib/templates/mutations";

// Demo data for `npm run demo` and the end-to-end tests: one account per role and three
// projects whose members span the roles. Never loaded by a production start.

export const DEMO_PASSWORD = "go live safely";

type DemoUser = { key: string; name: string; title: string; globalRoles: GlobalRole[] };

export const demoUsers = [
  { key: "lead", name: "Lena Lindqvist", title: "Engineering Lead", globalRoles: [] },
  { key: "devops", name: "Dario Okafor", title: "Platform Engineer", globalRoles: [] },
  { key: "dba", name: "Priya Raman", title: "Database Administrator", globalRoles: [] },
  { key: "security", name: "Sam Whitfield", title: "Security Engineer", globalRoles: [] },
  { key: "approver", name: "Alex Moreau", title: "Head of Engineering", globalRoles: [] },
  { key: "auditor", name: "Ada Kowalski", title: "Internal Auditor", globalRoles: ["AUDITOR"] },
  { key: "admin", name: "Morgan Reyes", title: "Platform Administrator", globalRoles: ["ADMIN"] },
] as const satisfies readonly DemoUser[];

export type DemoUserKey = (typeof demoUsers)[number]["key"];

export function demoEmail(key: DemoUserKey): string {
  return `${key}@example.com`;
}

type DemoProject = {
  slug: string;
  /** The built-in template its checklist starts from. */
  template: string;
  name: string;
  description: string;
  targetGoLive: string;
  members: Partial<Record<DemoUserKey, ProjectRole[]>>;
};

export const demoProjects: DemoProject[] = [
  {
    slug: "railway-reservation",
    template: "vercel-mongodb-web-app",
    name: "Railway Reservation",
    description: "Seat booking for regional trains: Flask on Vercel with MongoDB Atlas.",
    targetGoLive: "2026-12-14",
    members: { lead: ["LEAD"], devops: ["DEVOPS"], dba: ["DBA"], security: ["SECURITY"], approver: ["APPROVER"] },
  },
  {
    slug: "traffic-prediction",
    template: "docker-kafka-data-pipeline",
    name: "Traffic Prediction",
    description: "Streaming traffic forecasts: Kafka, HDFS and PostgreSQL on Docker.",
    targetGoLive: "2027-01-18",
    members: { lead: ["LEAD"], devops: ["DEVOPS"], dba: ["DBA"], approver: ["APPROVER"] },
  },
  {
    slug: "civiclens-api",
    template: "fastapi-postgis-backend",
    name: "CivicLens API",
    description: "FastAPI backend with PostGIS, Redis and MinIO for civic issue reports.",
    targetGoLive: "2027-02-01",
    members: { devops: ["LEAD", "DEVOPS"], security: ["SECURITY", "DBA"], approver: ["APPROVER"], lead: ["VIEWER"] },
  },
];

/**
 * Loads the demo data that is not there yet. Returns whether it loaded anything. Each project is
 * its own transaction with stated limits (a checklist of 150 items and its review is a few
 * thousand statements, more than Prisma's default 5 s on a busy machine), and a run cut short is
 * completed by the next one: users and projects are matched by email and slug.
 */
export async function seedDemoData(db: PrismaClient): Promise<boolean> {
  await ensureBuiltInTemplates(db);
  const existingUsers = await db.user.findMany({ where: { email: { in: demoUsers.map((user) => demoEmail(user.key)) } }, select: { id: true, email: true } });
  const existingProjects = new Set((await db.project.findMany({ where: { slug: { in: demoProjects.map((project) => project.slug) } }, select: { slug: true } })).map((project) => project.slug));
  const missingUsers = demoUsers.filter((user) => !existingUsers.some((existing) => existing.email === demoEmail(user.key)));
  const missingProjects = demoProjects.filter((project) => !existingProjects.has(project.slug));
  if (missingUsers.length === 0 && missingProjects.length === 0) return false;

  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = new Map<DemoUserKey, string>(existingUsers.map((user) => [demoUsers.find((demo) => demoEmail(demo.key) === user.email)!.key, user.id]));
  await db.$transaction(async (tx) => {
    for (const user of missingUsers) {
      const created = await tx.user.create({
        data: { email: demoEmail(user.key), name: user.name, title: user.title, passwordHash, globalRoles: [...user.globalRoles] },
        select: { id: true, email: true, name: true, title: true, globalRoles: true },
      });
      ids.set(user.key, created.id);
      await recordAuditEvent(tx, { actor: null, action: auditActions.USER_CREATED, entityType: "user", entityId: created.id, after: created, requestId: "demo-data" });
    }
  });

  const templates = new Map(
    (await db.templateVersion.findMany({ where: { template: { builtIn: true } }, select: { id: true, version: true, content: true, template: { select: { slug: true, name: true } } } })).map((version) => [
      version.template.slug,
      version,
    ]),
  );
  for (const project of missingProjects) {
    const template = templates.get(project.template);
    if (!template) throw new Error(`Demo project ${project.slug} names unknown template ${project.template}`);
    await db.$transaction(async (tx) => {
      const created = await tx.project.create({
        data: {
          slug: project.slug,
          name: project.name,
          description: project.description,
          targetGoLive: new Date(`${project.targetGoLive}T00:00:00Z`),
          templateVersionId: template.id,
        },
        select: { id: true, slug: true, name: true },
      });
      await recordAuditEvent(tx, {
        actor: null,
        action: auditActions.PROJECT_CREATED,
        entityType: "project",
        entityId: created.id,
        projectId: created.id,
        after: { ...created, description: project.description, targetGoLive: project.targetGoLive, templateVersionId: template.id },
        requestId: "demo-data",
      });
      await addChecklistRows(tx, { actor: null, requestId: "demo-data" }, created.id, fromStoredContent(template.content), {
        kind: "template",
        templateVersionId: template.id,
        template: template.template.name,
        version: template.version,
      });
      for (const [key, roles] of Object.entries(project.members) as [DemoUserKey, ProjectRole[]][]) {
        const userId = ids.get(key);
        if (!userId) throw new Error(`Demo project ${project.slug} names unknown demo user ${key}`);
        await tx.projectMember.create({ data: { projectId: created.id, userId, roles } });
        await recordAuditEvent(tx, {
          actor: null,
          action: auditActions.MEMBER_ADDED,
          entityType: "member",
          entityId: userId,
          projectId: created.id,
          after: { userId, name: demoUsers.find((user) => user.key === key)?.name ?? key, email: demoEmail(key), roles },
          requestId: "demo-data",
        });
      }
      await seedDemoWork(tx, created.id, project, ids);
    }, LONG_TRANSACTION);
  }
  return true;
}

type SeedTx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
const DUE_OFFSETS_DAYS = [-3, -1, 1, 2, 5, 9, 14, 21];

/**
 * A review under way, so the demo shows what the product is for: each area owner holds most of
 * their area's items with due dates (some overdue), has done about a third of them with a note
 * as evidence, and one item is blocked. Written with the same audit events the services write.
 */
async function seedDemoWork(tx: SeedTx, projectId: string, project: DemoProject, ids: Map<DemoUserKey, string>): Promise<void> {
  const person = (key: DemoUserKey) => ({ id: ids.get(key)!, name: demoUsers.find((user) => user.key === key)!.name, email: demoEmail(key) });
  const members = Object.entries(project.members) as [DemoUserKey, ProjectRole[]][];
  const leadKey = members.find(([, roles]) => roles.includes("LEAD"))?.[0];
  if (!leadKey) return;
  const lead = person(leadKey);
  const items = await tx.checklistItem.findMany({ where: { projectId }, orderBy: [{ section: { position: "asc" } }, { position: "asc" }], select: { id: true, title: true, area: true } });
  const today = new Date();
  const endOfDayUtc = (offsetDays: number) => new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offsetDays, 23, 59, 59, 999));
  let blocked = false;
  for (const area of ["DEVOPS", "DBA", "SECURITY"] as const) {
    const ownerKey = members.find(([, roles]) => roles.includes(area))?.[0];
    if (!ownerKey) continue;
    const owner = person(ownerKey);
    const ofArea = items.filter((item) => item.area === area);
    const assigned = ofArea.slice(0, Math.ceil(ofArea.length * 0.7));
    for (const [index, item] of assigned.entries()) {
      const dueAt = endOfDayUtc(DUE_OFFSETS_DAYS[index % DUE_OFFSETS_DAYS.length]!);
      const done = index < Math.floor(assigned.length / 3);
      const blocks = !done && !blocked && index === assigned.length - 1;
      await tx.checklistItem.update({ where: { id: item.id }, data: { assigneeId: owner.id, dueAt, version: { increment: 1 } } });
      await recordAuditEvent(tx, {
        actor: lead,
        action: auditActions.ITEM_ASSIGNED,
        entityType: "item",
        entityId: item.id,
        projectId,
        before: { title: item.title, assigneeId: null, assigneeName: null, dueAt: null, version: 1 },
        after: { title: item.title, assigneeId: owner.id, assigneeName: owner.name, dueAt: dueAt.toISOString(), version: 2 },
        requestId: "demo-data",
      });
      if (!done && !blocks) continue;
      const note = done ? "Checked in the readiness walkthrough; see the team's runbook." : null;
      const statusReason = blocks ? "Waiting for the production credentials from the platform team." : null;
      await tx.checklistItem.update({ where: { id: item.id }, data: { status: done ? "DONE" : "BLOCKED", statusReason, version: { increment: 1 } } });
      const evidence = note ? await tx.evidence.create({ data: { itemId: item.id, kind: "NOTE", note, addedById: owner.id, addedByName: owner.name }, select: { id: true, createdAt: true } }) : null;
      await recordAuditEvent(tx, {
        actor: owner,
        action: auditActions.ITEM_UPDATED,
        entityType: "item",
        entityId: item.id,
        projectId,
        before: { status: "TODO", ...(blocks ? { statusReason: null } : {}), version: 2, title: item.title },
        after: {
          status: done ? "DONE" : "BLOCKED",
          ...(blocks ? { statusReason } : {}),
          version: 3,
          title: item.title,
          ...(note && evidence ? { note, evidenceId: evidence.id, evidenceCreatedAt: evidence.createdAt.toISOString() } : {}),
        },
        requestId: "demo-data",
      });
      if (blocks) blocked = true;
    }
  }
  await seedDemoWaivers(tx, projectId, project, person, items, endOfDayUtc);
}

/**
 * Waivers as the services write them: an area owner requests one on an item nobody holds (the
 * lead owns the risk) and the approver, someone else, accepts it; on the first project a second
 * request still awaits acceptance, so the demo shows both.
 */
async function seedDemoWaivers(
  tx: SeedTx,
  projectId: string,
  project: DemoProject,
  person: (key: DemoUserKey) => { id: string; name: string; email: string },
  items: { id: string; title: string; area: string }[],
  endOfDayUtc: (offsetDays: number) => Date,
): Promise<void> {
  const members = Object.entries(project.members) as [DemoUserKey, ProjectRole[]][];
  const leadKey = members.find(([, roles]) => roles.includes("LEAD"))?.[0];
  const approverKey = members.find(([, roles]) => roles.includes("APPROVER"))?.[0];
  const ownerKey = members.find(([, roles]) => roles.includes("DBA") || roles.includes("SECURITY"))?.[0];
  if (!leadKey || !approverKey || !ownerKey) return;
  const ownerArea = project.members[ownerKey]?.includes("DBA") ? "DBA" : "SECURITY";
  const [lead, approver, owner] = [person(leadKey), person(approverKey), person(ownerKey)];
  const held = await tx.checklistItem.findMany({ where: { projectId, area: ownerArea, assigneeId: null, status: "TODO" }, select: { id: true } });
  const free = items.filter((item) => held.some((entry) => entry.id === item.id)).slice(-2);
  const waivers = project === demoProjects[0] ? free : free.slice(0, 1);
  for (const [index, item] of waivers.entries()) {
    const accepted = index === 0;
    const expiresAt = endOfDayUtc(45);
    const request = {
      status: "WAIVED" as const,
      statusReason: "Accepted for the first release: the managed service covers it until we run our own.",
      waiverRiskOwnerId: lead.id,
      waiverRiskOwner: lead.name,
      waiverExpiresAt: expiresAt,
      waiverGrantedById: owner.id,
      waiverGrantedByName: owner.name,
    };
    await tx.checklistItem.update({ where: { id: item.id }, data: { ...request, version: 2 } });
    await recordAuditEvent(tx, {
      actor: owner,
      action: auditActions.ITEM_UPDATED,
      entityType: "item",
      entityId: item.id,
      projectId,
      before: { status: "TODO", statusReason: null, waiverRiskOwnerId: null, waiverRiskOwner: null, waiverExpiresAt: null, waiverGrantedById: null, waiverGrantedByName: null, version: 1, title: item.title },
      after: { ...request, waiverExpiresAt: expiresAt.toISOString(), version: 2, title: item.title },
      requestId: "demo-data",
    });
    if (!accepted) continue;
    const acceptedAt = new Date();
    const acceptance = { waiverAcceptedById: approver.id, waiverAcceptedByName: approver.name, waiverAcceptedAt: acceptedAt };
    await tx.checklistItem.update({ where: { id: item.id }, data: { ...acceptance, version: 3 } });
    const fields = { ...request, waiverControls: null, waiverExpiresAt: expiresAt.toISOString() };
    await recordAuditEvent(tx, {
      actor: approver,
      action: auditActions.WAIVER_ACCEPTED,
      entityType: "item",
      entityId: item.id,
      projectId,
      before: { ...fields, waiverAcceptedById: null, waiverAcceptedByName: null, waiverAcceptedAt: null, version: 2, title: item.title },
      after: { ...fields, ...acceptance, waiverAcceptedAt: acceptedAt.toISOString(), version: 3, title: item.title },
      requestId: "demo-data",
    });
  }
}
