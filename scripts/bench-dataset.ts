import { randomUUID } from "node:crypto";
import type { Area, ItemStatus, ProjectRole, SignoffSlot } from "@/lib/generated/prisma/enums";
import type { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { auditActions } from "@/lib/audit/events";
import { GENESIS_HASH, hashEvent, toStoredJson, type AuditEventContent } from "@/lib/audit/chain";

// A portfolio-sized dataset for `npm run bench`: many projects with members in varied roles,
// checklists worked on over the past weeks, some sign-offs and a few live projects. It is
// written in bulk (createMany) for speed, but every change it pretends happened has the audit
// event the real service would have written (same action, entity, before/after shape), dated
// when it happened, so that pages reading the audit trail have real work to do.
//
// Deterministic: the same options give the same dataset (a seeded generator), with fresh ids.

export type DatasetOptions = { projects: number; itemsPerProject: number; users: number; now: Date; historyDays?: number };

export type Dataset = {
  admin: { id: string; name: string; email: string };
  auditor: { id: string; name: string; email: string };
  /** A regular user who is a member of about a tenth of the projects, in varied roles. */
  member: { id: string; name: string; email: string; projects: number };
  projectIds: string[];
  counts: { users: number; projects: number; items: number; auditEvents: number; signoffs: number; memberships: number };
};

const DAY = 86_400_000;
const areasByWeight: Area[] = ["DEVOPS", "DEVOPS", "DEVOPS", "DBA", "DBA", "SECURITY", "SECURITY", "SECURITY", "GENERAL", "GENERAL"];
const sectionTitles = ["Infrastructure", "Database", "Security", "Deployment", "Monitoring", "Testing", "Documentation", "Operations"];
const slots: SignoffSlot[] = ["DEVOPS", "DBA", "SECURITY", "GO_LIVE"];

/** mulberry32: a small seeded generator, so every run builds the same dataset. */
/**
 * Appends events after the chain head with valid hashes, set-based. The bench writes history
 * dated in the past, which the commit-time chaining (dated now) cannot, so it loads as the table
 * owner with triggers off and moves the head itself, as the audit bench does.
 */
export async function appendChained(db: PrismaClient, events: AuditEventContent[]): Promise<void> {
  await db.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      const head = (await tx.$queryRaw<{ seq: bigint; hash: string }[]>`SELECT seq, hash FROM audit_chain_head`)[0];
      let seq = head?.seq ?? 0n;
      let prevHash = head?.hash ?? GENESIS_HASH;
      for (let start = 0; start < events.length; start += 2_000) {
        const rows = events.slice(start, start + 2_000).map((content) => {
          const stored = { ...content, before: toStoredJson(content.before), after: toStoredJson(content.after) };
          seq++;
          const hash = hashEvent({ ...stored, seq, prevHash });
          const row = { ...stored, seq, prevHash, hash };
          prevHash = hash;
          return row;
        });
        const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((row) => row[key]);
        const json = (key: "before" | "after") => rows.map((row) => (row[key] === null ? null : JSON.stringify(row[key])));
        await tx.$executeRaw`
          INSERT INTO audit_events (seq, prev_hash, hash, occurred_at, actor_id, actor_name, actor_email, action, entity_type, entity_id, project_id, before, after, request_id)
          SELECT * FROM unnest(${column("seq")}::bigint[], ${column("prevHash")}::text[], ${column("hash")}::text[], ${column("occurredAt")}::timestamptz[], ${column("actorId")}::uuid[],
            ${column("actorName")}::text[], ${column("actorEmail")}::text[], ${column("action")}::text[], ${column("entityType")}::text[], ${column("entityId")}::text[],
            ${column("projectId")}::uuid[], ${json("before")}::jsonb[], ${json("after")}::jsonb[], ${column("requestId")}::text[])`;
      }
      await tx.$executeRaw`UPDATE audit_chain_head SET seq = ${seq}, hash = ${prevHash}`;
    },
    { timeout: 600_000 },
  );
}

function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T,
    chance: (p: number) => next() < p,
  };
}

type Actor = { id: string; name: string; email: string };
type ItemRow = {
  id: string;
  projectId: string;
  sectionId: string;
  parentId: string | null;
  position: number;
  title: string;
  details: string;
  area: Area;
  required: boolean;
  status: ItemStatus;
  statusReason?: string | null;
  waiverRiskOwner?: string | null;
  waiverExpiresAt?: Date | null;
  waiverGrantedById?: string | null;
  waiverGrantedByName?: string | null;
  waiverAcceptedById?: string | null;
  waiverAcceptedByName?: string | null;
  waiverAcceptedAt?: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

/** Where an item ends up and through which statuses: most paths start at TODO. */
function statusPath(random: ReturnType<typeof seeded>): ItemStatus[] {
  const roll = random.next();
  if (roll < 0.25) return [];
  if (roll < 0.4) return ["IN_PROGRESS"];
  if (roll < 0.45) return ["IN_PROGRESS", "BLOCKED"];
  if (roll < 0.75) return ["IN_PROGRESS", "DONE"];
  if (roll < 0.85) return ["DONE"];
  if (roll < 0.9) return ["NOT_APPLICABLE"];
  if (roll < 0.93) return ["WAIVED"];
  // A waiver replaced by doing the work (the waiver may have expired meanwhile).
  if (roll < 0.95) return ["WAIVED", "DONE"];
  if (roll < 0.97) return ["DONE", "IN_PROGRESS"];
  return ["IN_PROGRESS", "DONE", "IN_PROGRESS", "DONE"];
}

/**
 * The fields a status carries, as updateItem writes them. A waiver is accepted at once by
 * `acceptor` (someone else) when given, else it stays a request (about a third of them).
 */
function statusFields(status: ItemStatus, at: Date, by: Actor, random: ReturnType<typeof seeded>, acceptor: Actor | null = null) {
  const fields = {
    status,
    statusReason: null as string | null,
    waiverRiskOwner: null as string | null,
    waiverExpiresAt: null as Date | null,
    waiverGrantedById: null as string | null,
    waiverGrantedByName: null as string | null,
    waiverAcceptedById: null as string | null,
    waiverAcceptedByName: null as string | null,
    waiverAcceptedAt: null as Date | null,
  };
  if (status === "NOT_APPLICABLE") fields.statusReason = "Not used by this system.";
  if (status === "BLOCKED") fields.statusReason = "Waiting for the platform team.";
  if (status === "WAIVED") {
    fields.statusReason = "Accepted for the first release.";
    fields.waiverRiskOwner = by.name;
    // Most waivers run for a few weeks; some have already expired by now.
    const expiryDay = new Date(at.getTime() + random.int(5, 60) * DAY).toISOString().slice(0, 10);
    fields.waiverExpiresAt = new Date(`${expiryDay}T23:59:59.999Z`);
    fields.waiverGrantedById = by.id;
    fields.waiverGrantedByName = by.name;
    if (acceptor && acceptor.id !== by.id) {
      fields.waiverAcceptedById = acceptor.id;
      fields.waiverAcceptedByName = acceptor.name;
      fields.waiverAcceptedAt = at;
    }
  }
  return fields;
}

export async function seedPortfolioDataset(db: PrismaClient, options: DatasetOptions): Promise<Dataset> {
  const random = seeded(20261123);
  const now = options.now.getTime();
  const historyDays = options.historyDays ?? 30;
  const runId = randomUUID().slice(0, 8);
  const requestId = `bench-dataset-${runId}`;

  const users = Array.from({ length: options.users }, (_, index) => ({
    id: randomUUID(),
    email: `bench-${index + 1}-${runId}@shipshape.test`,
    name: `Bench User ${String(index + 1).padStart(2, "0")}`,
    title: random.pick(["Engineer", "Platform Engineer", "Database Administrator", "Security Engineer", "Engineering Manager"]),
    globalRoles: index === 0 ? (["ADMIN"] as const) : index === 1 ? (["AUDITOR"] as const) : ([] as const),
  }));
  const [admin, auditor, member, ...others] = users;
  if (!admin || !auditor || !member || others.length < 6) throw new Error("the dataset needs at least 9 users");
  await db.user.createMany({ data: users.map((user) => ({ ...user, globalRoles: [...user.globalRoles] })) });

  const projects: Prisma.ProjectCreateManyInput[] = [];
  const memberships: Prisma.ProjectMemberCreateManyInput[] = [];
  const sections: Prisma.ChecklistSectionCreateManyInput[] = [];
  const items: ItemRow[] = [];
  const evidence: Prisma.EvidenceCreateManyInput[] = [];
  const signoffs: Prisma.SignoffCreateManyInput[] = [];
  const events: AuditEventContent[] = [];
  const event = (at: number, actor: Actor | null, data: { action: string; entityType: string; entityId: string; projectId: string; before?: unknown; after?: unknown }) =>
    events.push({ before: null, after: null, ...data, occurredAt: new Date(at), actorId: actor?.id ?? null, actorName: actor?.name ?? null, actorEmail: actor?.email ?? null, requestId });

  const memberStride = Math.max(1, Math.round(options.projects / 20));
  let memberProjects = 0;
  for (let p = 0; p < options.projects; p++) {
    const projectId = randomUUID();
    // Created between 2 and 2.5 history windows ago, or (a third of them) within the window.
    const createdAt = now - (random.chance(0.35) ? random.int(3, historyDays - 2) : random.int(historyDays + 2, historyDays * 2)) * DAY - random.int(0, DAY - 1);
    const isLive = p % 50 === 7;
    const target = new Date(now + random.int(-20, 90) * DAY);
    const slug = `bench-${p + 1}-${runId}`;
    const name = `Bench ${["Payments", "Search", "Billing", "Identity", "Catalog", "Reports", "Messaging", "Routing"][p % 8]} ${String(p + 1).padStart(3, "0")}`;
    projects.push({
      id: projectId,
      slug,
      name,
      description: "Generated for the benchmark.",
      targetGoLive: new Date(`${target.toISOString().slice(0, 10)}T00:00:00Z`),
      createdAt: new Date(createdAt),
      liveAt: isLive ? new Date(now - 2 * DAY) : null,
    });

    // Members: a lead and one holder of each role, some holding two; the measured member joins
    // every `memberStride`-th project in a rotating role.
    const team = new Map<string, ProjectRole[]>();
    const add = (user: Actor, role: ProjectRole) => team.set(user.id, [...new Set([...(team.get(user.id) ?? []), role])]);
    const roles: ProjectRole[] = ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"];
    for (const role of roles) add(random.pick(others), role);
    for (let extra = random.int(0, 3); extra > 0; extra--) add(random.pick(others), random.pick(roles));
    if (p % memberStride === 0 && memberProjects < 20) {
      add(member, roles[memberProjects % roles.length] as ProjectRole);
      memberProjects++;
    }
    const teamUsers = [...team.keys()].map((id) => users.find((user) => user.id === id) as Actor);
    const lead = teamUsers[0] as Actor;
    event(createdAt, lead, { action: auditActions.PROJECT_CREATED, entityType: "project", entityId: projectId, projectId, after: { id: projectId, slug, name, lead: { id: lead.id, name: lead.name, email: lead.email } } });
    for (const [userId, held] of team) {
      memberships.push({ projectId, userId, roles: held, createdAt: new Date(createdAt) });
      const user = users.find((candidate) => candidate.id === userId) as Actor;
      event(createdAt, lead, { action: auditActions.MEMBER_ADDED, entityType: "member", entityId: userId, projectId, after: { userId, name: user.name, email: user.email, roles: held } });
    }

    // The checklist, imported when the project was created.
    const projectSections = Array.from({ length: 6 }, (_, index) => ({ id: randomUUID(), projectId, title: sectionTitles[(p + index) % sectionTitles.length] as string, position: index }));
    sections.push(...projectSections);
    const projectItems: ItemRow[] = [];
    for (let index = 0; index < options.itemsPerProject; index++) {
      const section = projectSections[index % projectSections.length] as (typeof projectSections)[number];
      const siblings = projectItems.filter((item) => item.sectionId === section.id && item.parentId === null);
      const parent = index % 5 === 4 && siblings.length > 0 ? (siblings.at(-1) ?? null) : null;
      projectItems.push({
        id: randomUUID(),
        projectId,
        sectionId: section.id,
        parentId: parent?.id ?? null,
        position: parent ? index : siblings.length,
        title: `Check ${index + 1}: ${random.pick(["backups restore", "TLS certificates", "deploy rollback", "alerts page someone", "load test", "secrets rotated", "indexes reviewed", "runbook written"])}`,
        details: "",
        area: random.pick(areasByWeight),
        required: random.chance(0.8),
        status: "TODO",
        version: 1,
        createdAt: new Date(createdAt),
        updatedAt: new Date(createdAt),
      });
    }
    event(createdAt, lead, {
      action: auditActions.CHECKLIST_IMPORTED,
      entityType: "project",
      entityId: projectId,
      projectId,
      after: {
        origin: { kind: "markdown", source: "checklist.md", stats: { sections: projectSections.length, items: projectItems.length, checked: 0, maxDepth: 2 } },
        sections: projectSections.map(({ id, title, position }) => ({ id, title, position })),
        items: projectItems.map((item) => ({ id: item.id, sectionId: item.sectionId, parentId: item.parentId, position: item.position, templateKey: null, title: item.title, details: "", area: item.area, required: item.required, status: "TODO" })),
      },
    });

    // Work on the items since: each status change is an item.updated event as updateItem
    // writes it (the changed fields before and after, the version, the title).
    for (const item of projectItems) {
      let path = statusPath(random);
      if (isLive) path = [random.chance(0.9) ? "DONE" : "NOT_APPLICABLE"];
      // The changes happened at random moments between the import and a minute ago.
      const times = path.map(() => createdAt + 60_000 + random.next() * (now - createdAt - 120_000)).sort((a, b) => a - b);
      let state = statusFields("TODO", new Date(createdAt), lead, random);
      for (const [step, status] of path.entries()) {
        const at = times[step] as number;
        const by = random.pick(teamUsers);
        // Two waivers in three are accepted by another member of the team (no extra random draw).
        const acceptor = Math.floor(at) % 3 === 0 ? null : (teamUsers.find((user) => user.id !== by.id) ?? null);
        const next = statusFields(status, new Date(at), by, random, acceptor);
        const changed = (Object.keys(next) as (keyof typeof next)[]).filter((key) => String(next[key]) !== String(state[key]));
        const pick = (source: typeof next) => Object.fromEntries(changed.map((key) => [key, source[key] instanceof Date ? source[key].toISOString() : source[key]]));
        const note = status === "DONE" && item.required ? "Checked in the bench run." : undefined;
        event(at, by, {
          action: auditActions.ITEM_UPDATED,
          entityType: "item",
          entityId: item.id,
          projectId,
          before: { ...pick(state), version: item.version, title: item.title },
          after: { ...pick(next), version: item.version + 1, title: item.title, ...(note ? { note } : {}) },
        });
        if (note) evidence.push({ itemId: item.id, kind: "NOTE", note, addedById: by.id, addedByName: by.name, createdAt: new Date(at) });
        item.version += 1;
        item.updatedAt = new Date(at);
        state = next;
      }
      Object.assign(item, state);
    }
    items.push(...projectItems);

    // Sign-offs: live projects hold all four; others some, a few of them stale or rejected.
    const approver = teamUsers.find((user) => team.get(user.id)?.includes("APPROVER")) ?? lead;
    slots.forEach((slot, index) => {
      const signs = isLive || random.chance(slot === "GO_LIVE" ? 0.05 : 0.3);
      if (!signs) return;
      const state = isLive ? "CURRENT" : random.chance(0.25) ? "STALE" : "CURRENT";
      const decision = !isLive && random.chance(0.1) ? "REJECTED" : "APPROVED";
      const signedAt = new Date(Math.max(createdAt, now - random.int(1, historyDays) * DAY) + index * 60_000);
      const signoffId = randomUUID();
      signoffs.push({
        id: signoffId,
        projectId,
        slot,
        round: 1,
        currentSlot: state === "CURRENT" ? slot : null,
        state,
        decision,
        approverId: approver.id,
        approverName: approver.name,
        approverTitle: "Approver",
        capacity: "APPROVER",
        reason: decision === "REJECTED" ? "Backups were never restored." : null,
        digest: "0".repeat(64),
        scope: [],
        signedAt,
        staleAt: state === "STALE" ? new Date(signedAt.getTime() + DAY) : null,
      });
      event(signedAt.getTime(), approver, { action: auditActions.SIGNOFF_GIVEN, entityType: "signoff", entityId: signoffId, projectId, after: { slot, round: 1, decision, digest: "0".repeat(64) } });
    });
    if (isLive) event(now - 2 * DAY, lead, { action: auditActions.PROJECT_LIVE, entityType: "go_live", entityId: randomUUID(), projectId, after: { markedAt: new Date(now - 2 * DAY).toISOString() } });
  }

  // Parents before children within each project, so a chunk never names a parent not yet written.
  // A thousand rows stay under PostgreSQL's limit of bind parameters per statement, so Prisma
  // writes each chunk as one INSERT.
  const chunk = async <T>(rows: T[], write: (part: T[]) => Promise<unknown>, size = 1000) => {
    for (let start = 0; start < rows.length; start += size) await write(rows.slice(start, start + size));
  };
  await db.project.createMany({ data: projects });
  await chunk(memberships, (part) => db.projectMember.createMany({ data: part }));
  await chunk(sections, (part) => db.checklistSection.createMany({ data: part }));
  await chunk(items, (part) => db.checklistItem.createMany({ data: part }));
  await chunk(evidence, (part) => db.evidence.createMany({ data: part }));
  await chunk(signoffs, (part) => db.signoff.createMany({ data: part }));
  events.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  await appendChained(db, events);

  return {
    admin,
    auditor,
    member: { ...member, projects: memberProjects },
    projectIds: projects.map((project) => project.id as string),
    counts: { users: users.length, projects: projects.length, items: items.length, auditEvents: events.length, signoffs: signoffs.length, memberships: memberships.length },
  };
}
