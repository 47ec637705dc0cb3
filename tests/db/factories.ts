import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import type { Area, GlobalRole, ItemStatus, ProjectRole, SignoffSlot } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { AppError, type ErrorCode } from "@/lib/errors";
import type { Actor } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { loadActorBySession } from "@/lib/users/data";
import { loadScope } from "@/lib/signoffs/data";
import { scopeDigest } from "@/lib/signoffs/digest";
import { signSlot } from "@/lib/signoffs/mutations";
import { startSession } from "@/lib/users/sessions";

// Test data for the database tier. Every call makes new rows with unique emails and slugs, so
// test files can run in parallel against one database; queries in tests filter by the ids
// and request ids made here, never by global counts. Demo emails (@example.com) are left to
// seed.test.ts.

export type TestUser = { id: string; name: string; email: string };
export type TestProject = { id: string; slug: string; name: string };

function shortId(): string {
  return randomUUID().slice(0, 8);
}

/** A user written directly to the database (no password: these tests sign in via startSession). */
export async function makeUser(options: { name?: string; globalRoles?: GlobalRole[] } = {}): Promise<TestUser> {
  const id = shortId();
  return db.user.create({
    data: {
      email: `user-${randomUUID()}@shipshape.test`,
      name: options.name ?? `Test User ${id}`,
      globalRoles: options.globalRoles ?? [],
    },
    select: { id: true, name: true, email: true },
  });
}

/** A project with the given members, written directly to the database. */
/**
 * A project with these members. Test projects allow approving scopes with open items (most tests
 * sign half-done checklists to test staleness, races and rounds); the tests of that rule turn it off.
 */
export async function makeProject(members: { user: TestUser; roles: ProjectRole[] }[], options: { approveWithOpenItems?: boolean } = {}): Promise<TestProject> {
  const id = shortId();
  return db.project.create({
    data: {
      slug: `test-${randomUUID()}`,
      name: `Test Project ${id}`,
      approveWithOpenItems: options.approveWithOpenItems ?? true,
      members: { create: members.map(({ user, roles }) => ({ userId: user.id, roles })) },
    },
    select: { id: true, slug: true, name: true },
  });
}

/** Signs the user in through the real code path and loads the actor as a request would. */
export async function signIn(user: TestUser): Promise<{ actor: Actor; sessionId: string }> {
  const sessionId = await startSession(user, 1, null, "test");
  const actor = await loadActorBySession(sessionId);
  if (!actor) throw new Error(`a fresh session of ${user.email} did not load an actor`);
  return { actor, sessionId };
}

export async function actorFor(user: TestUser): Promise<Actor> {
  return (await signIn(user)).actor;
}

/** A user with the given global roles, already signed in. */
export async function makeActor(globalRoles: GlobalRole[] = []): Promise<{ user: TestUser; actor: Actor }> {
  const user = await makeUser({ globalRoles });
  return { user, actor: await actorFor(user) };
}

export function ctx(actor: Actor): ServiceContext & { requestId: string } {
  return { actor, requestId: `test-${randomUUID()}` };
}

export function eventsOf(requestId: string) {
  return db.auditEvent.findMany({ where: { requestId }, orderBy: { id: "asc" } });
}

/** The project's memberships as plain data, to compare before and after a refused change. */
export async function membersOf(projectId: string): Promise<{ userId: string; roles: string[]; updatedAt: string }[]> {
  const rows = await db.projectMember.findMany({ where: { projectId }, orderBy: { userId: "asc" }, select: { userId: true, roles: true, updatedAt: true } });
  return rows.map((row) => ({ userId: row.userId, roles: row.roles, updatedAt: row.updatedAt.toISOString() }));
}

export async function memberUpdatedAt(projectId: string, userId: string): Promise<string> {
  const member = await db.projectMember.findUniqueOrThrow({ where: { projectId_userId: { projectId, userId } }, select: { updatedAt: true } });
  return member.updatedAt.toISOString();
}

/** Awaits a promise that must reject with an AppError of this code, and returns the error. */
export async function expectAppError(promise: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  let outcome: unknown;
  try {
    await promise;
    outcome = "it succeeded";
  } catch (error) {
    outcome = error;
  }
  expect(outcome, `expected AppError ${code}`).toBeInstanceOf(AppError);
  const error = outcome as AppError;
  expect(error.code, error.message).toBe(code);
  return error;
}

/** The id of the PostgreSQL transaction that wrote (inserted or last updated) a row. */
export async function writerTransaction(table: "projects" | "project_members" | "users" | "user_sessions" | "audit_events", where: string, ...values: unknown[]): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ xmin: string }[]>(`SELECT xmin::text AS xmin FROM ${table} WHERE ${where}`, ...values);
  expect(rows).toHaveLength(1);
  return rows[0]?.xmin ?? "";
}

// Checklists. Items are written directly (like projects above) when a test needs one in a given
// area, status or place; tests of the importer go through importChecklist instead.

export type TestItem = { id: string; projectId: string; sectionId: string; parentId: string | null; title: string; version: number };

/** A checklist section written directly to the database, after the project's existing ones. */
export async function makeSection(project: { id: string }, title = `Section ${shortId()}`): Promise<{ id: string; title: string }> {
  const last = await db.checklistSection.aggregate({ where: { projectId: project.id }, _max: { position: true } });
  return db.checklistSection.create({ data: { projectId: project.id, title, position: (last._max.position ?? -1) + 1 }, select: { id: true, title: true } });
}

export type ItemOptions = {
  title?: string;
  details?: string;
  area?: Area;
  required?: boolean;
  status?: ItemStatus;
  statusReason?: string;
  waiverRiskOwner?: string;
  waiverExpiresAt?: Date;
  /**
   * A WAIVED item is an accepted waiver (requested and accepted by two people the test does not
   * need) unless this says it is still a request awaiting acceptance.
   */
  waiverRequestOnly?: boolean;
  /** Defaults to a new section of its own (or the parent's section). */
  sectionId?: string;
  parentId?: string;
};

/** A checklist item written directly to the database, last among its siblings. */
export async function makeItem(project: { id: string }, options: ItemOptions = {}): Promise<TestItem> {
  const parent = options.parentId ? await db.checklistItem.findUniqueOrThrow({ where: { id: options.parentId }, select: { sectionId: true } }) : null;
  const sectionId = options.sectionId ?? parent?.sectionId ?? (await makeSection(project)).id;
  const siblings = await db.checklistItem.count({ where: { sectionId, parentId: options.parentId ?? null } });
  return db.checklistItem.create({
    data: {
      projectId: project.id,
      sectionId,
      parentId: options.parentId ?? null,
      position: siblings,
      title: options.title ?? `Item ${shortId()}`,
      details: options.details ?? "",
      area: options.area ?? "GENERAL",
      required: options.required ?? true,
      status: options.status ?? "TODO",
      statusReason: options.statusReason ?? null,
      waiverRiskOwner: options.waiverRiskOwner ?? null,
      waiverExpiresAt: options.waiverExpiresAt ?? null,
      ...(options.status === "WAIVED"
        ? {
            waiverGrantedByName: "Rory Requester",
            ...(options.waiverRequestOnly ? {} : { waiverAcceptedByName: "Ari Acceptor", waiverAcceptedAt: new Date(Date.now() - 3_600_000) }),
          }
        : {}),
    },
    select: { id: true, projectId: true, sectionId: true, parentId: true, title: true, version: true },
  });
}

/** An item with its evidence and comments as plain data, to compare before and after a refused change. */
export async function itemState(itemId: string) {
  const item = await db.checklistItem.findUniqueOrThrow({
    where: { id: itemId },
    include: { evidence: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] }, comments: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
  });
  return JSON.parse(JSON.stringify(item)) as Record<string, unknown>;
}

/** A project's whole checklist (sections, items, evidence, comments) as plain data. */
export async function checklistState(projectId: string) {
  const [sections, items] = await Promise.all([
    db.checklistSection.findMany({ where: { projectId }, orderBy: [{ position: "asc" }, { id: "asc" }] }),
    db.checklistItem.findMany({
      where: { projectId },
      orderBy: [{ sectionId: "asc" }, { position: "asc" }, { id: "asc" }],
      include: { evidence: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] }, comments: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] } },
    }),
  ]);
  return JSON.parse(JSON.stringify({ sections, items })) as { sections: Record<string, unknown>[]; items: Record<string, unknown>[] };
}

/** A date `days` from today as YYYY-MM-DD (negative: in the past). */
export function isoDay(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

// Sign-offs.

/** The id of the PostgreSQL transaction that last wrote a checklist or sign-off row (see writerTransaction). */
export async function checklistWriterTransaction(table: "checklist_items" | "evidence" | "signoffs" | "go_lives", where: string, ...values: unknown[]): Promise<string> {
  const rows = await db.$queryRawUnsafe<{ xmin: string }[]>(`SELECT xmin::text AS xmin FROM ${table} WHERE ${where}`, ...values);
  expect(rows).toHaveLength(1);
  return rows[0]?.xmin ?? "";
}

/** A note attached to an item as evidence, written directly to the database. */
export async function makeEvidence(item: { id: string }, by: TestUser, note = `Done: see run ${shortId()}.`): Promise<{ id: string }> {
  return db.evidence.create({ data: { itemId: item.id, kind: "NOTE", note, addedById: by.id, addedByName: by.name }, select: { id: true } });
}

/** Sets which sign-off slots a project requires (and whether owners may approve), written directly. */
export async function setRequiredSlots(project: { id: string }, requiredSlots: SignoffSlot[], ownersMayApprove = false): Promise<void> {
  await db.project.update({ where: { id: project.id }, data: { requiredSlots, ownersMayApprove } });
}

/** What the sign-off page offers for a slot right now: the round to sign on top of, and the digest. */
export async function shownFor(projectId: string, slot: SignoffSlot): Promise<{ expectedRound: number; expectedDigest: string; confirmOpenItems: boolean }> {
  const latest = await db.signoff.findFirst({ where: { projectId, slot }, orderBy: { round: "desc" }, select: { round: true } });
  // As an approver who ticked "I approve with N items not ready" (ignored when none are open).
  return { expectedRound: latest?.round ?? 0, expectedDigest: scopeDigest(await loadScope(db, projectId, slot)), confirmOpenItems: true };
}

/** Signs a slot on what it covers right now, as the page would. */
export async function sign(actor: Actor, projectId: string, slot: SignoffSlot, decision: { decision: "APPROVED" } | { decision: "REJECTED"; reason: string } = { decision: "APPROVED" }) {
  const c = ctx(actor);
  const result = await signSlot(c, { projectId, slot, ...decision, ...(await shownFor(projectId, slot)) });
  return { ...result, requestId: c.requestId };
}

/** Every sign-off row of a project as plain data, to compare before and after. */
export async function signoffsOf(projectId: string) {
  const rows = await db.signoff.findMany({ where: { projectId }, orderBy: [{ slot: "asc" }, { round: "asc" }] });
  return JSON.parse(JSON.stringify(rows)) as (Omit<(typeof rows)[number], "signedAt" | "staleAt"> & { signedAt: string; staleAt: string | null })[];
}

export async function signoffOf(projectId: string, slot: SignoffSlot, round: number) {
  return db.signoff.findUniqueOrThrow({ where: { projectId_slot_round: { projectId, slot, round } } });
}

export type TestTeam = { project: TestProject; users: Record<ProjectRole, TestUser>; as: (role: ProjectRole) => Promise<Actor> };

/** A project with one member per given role (one user each), and a way to act as each. */
export async function makeTeam(wanted: ProjectRole[]): Promise<TestTeam> {
  const roles = [...new Set(wanted)];
  const holders = await Promise.all(roles.map(() => makeUser()));
  const users = Object.fromEntries(roles.map((role, index) => [role, holders[index]])) as Record<ProjectRole, TestUser>;
  const project = await makeProject(roles.map((role) => ({ user: users[role], roles: [role] })));
  return { project, users, as: (role) => actorFor(users[role]) };
}
