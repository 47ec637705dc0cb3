import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { listAllActivity, listProjectActivity } from "@/lib/audit/data";
import { auditActions } from "@/lib/audit/events";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { getProjectForActor } from "@/lib/projects/data";
import { addMember, createProject, removeMember, setMemberRoles } from "@/lib/projects/mutations";
import { createUser, setUserDisabled } from "@/lib/users/mutations";
import { loadActorBySession } from "@/lib/users/data";
import {
  actorFor,
  ctx,
  eventsOf,
  expectAppError,
  makeActor,
  makeProject,
  makeUser,
  memberUpdatedAt,
  membersOf,
  signIn,
  writerTransaction,
} from "./factories";

// Every change writes exactly one audit event, in the transaction of the change. The proof of
// "same transaction" is PostgreSQL's own: the changed row and the event row carry the same
// writer transaction id (xmin), and a change that fails leaves no event behind.

describe("a successful change writes exactly one audit event in its own transaction", () => {
  it("createProject", async () => {
    const { user: admin, actor } = await makeActor(["ADMIN"]);
    const lead = await makeUser();
    const c = ctx(actor);
    const slug = `audit-${randomUUID()}`;

    const created = await createProject(c, { name: "Audit Trail Service", slug, targetGoLive: "2027-03-01", leadUserId: lead.id });

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: admin.id,
      actorName: admin.name,
      actorEmail: admin.email,
      action: auditActions.PROJECT_CREATED,
      entityType: "project",
      entityId: created.id,
      projectId: created.id,
      before: null,
      after: { id: created.id, slug, name: "Audit Trail Service", description: "", targetGoLive: "2027-03-01", lead: { id: lead.id, name: lead.name, email: lead.email } },
      requestId: c.requestId,
    });
    expect(await membersOf(created.id)).toEqual([expect.objectContaining({ userId: lead.id, roles: ["LEAD"] })]);
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(await writerTransaction("projects", "id = $1::uuid", created.id));
  });

  it("addMember", async () => {
    const leadUser = await makeUser();
    const project = await makeProject([{ user: leadUser, roles: ["LEAD"] }]);
    const actor = await actorFor(leadUser);
    const newcomer = await makeUser();
    const c = ctx(actor);

    await addMember(c, { projectId: project.id, userId: newcomer.id, roles: ["VIEWER", "DBA", "DBA"] });

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: leadUser.id,
      actorName: leadUser.name,
      actorEmail: leadUser.email,
      action: auditActions.MEMBER_ADDED,
      entityType: "member",
      entityId: newcomer.id,
      projectId: project.id,
      before: null,
      // Roles de-duplicated and in canonical order, as stored.
      after: { userId: newcomer.id, name: newcomer.name, email: newcomer.email, roles: ["DBA", "VIEWER"] },
      requestId: c.requestId,
    });
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(
      await writerTransaction("project_members", "project_id = $1::uuid AND user_id = $2::uuid", project.id, newcomer.id),
    );
  });

  it("setMemberRoles", async () => {
    const leadUser = await makeUser();
    const member = await makeUser();
    const project = await makeProject([
      { user: leadUser, roles: ["LEAD"] },
      { user: member, roles: ["VIEWER"] },
    ]);
    const c = ctx(await actorFor(leadUser));

    await setMemberRoles(c, { projectId: project.id, userId: member.id, roles: ["SECURITY", "APPROVER"], expectedUpdatedAt: await memberUpdatedAt(project.id, member.id) });

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: leadUser.id,
      actorName: leadUser.name,
      actorEmail: leadUser.email,
      action: auditActions.MEMBER_ROLES_CHANGED,
      entityType: "member",
      entityId: member.id,
      projectId: project.id,
      before: { userId: member.id, name: member.name, email: member.email, roles: ["VIEWER"] },
      after: { userId: member.id, name: member.name, email: member.email, roles: ["SECURITY", "APPROVER"] },
      requestId: c.requestId,
    });
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(
      await writerTransaction("project_members", "project_id = $1::uuid AND user_id = $2::uuid", project.id, member.id),
    );
  });

  it("removeMember", async () => {
    const leadUser = await makeUser();
    const member = await makeUser();
    const project = await makeProject([
      { user: leadUser, roles: ["LEAD"] },
      { user: member, roles: ["DEVOPS", "DBA"] },
    ]);
    const c = ctx(await actorFor(leadUser));

    await removeMember(c, { projectId: project.id, userId: member.id });

    expect((await membersOf(project.id)).map((m) => m.userId)).toEqual([leadUser.id]);
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: leadUser.id,
      actorName: leadUser.name,
      actorEmail: leadUser.email,
      action: auditActions.MEMBER_REMOVED,
      entityType: "member",
      entityId: member.id,
      projectId: project.id,
      before: { userId: member.id, name: member.name, email: member.email, roles: ["DEVOPS", "DBA"] },
      after: null,
      requestId: c.requestId,
    });
  });

  it("createUser (the password hash is never copied into the event)", async () => {
    const { user: admin, actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    const email = `new-${randomUUID()}@shipshape.test`;

    const created = await createUser(c, { email: email.toUpperCase(), name: "Nora Newcomer", title: "SRE", password: "a long enough password", globalRoles: ["AUDITOR"] });

    const user = await db.user.findUniqueOrThrow({ where: { id: created.id } });
    expect(user.email).toBe(email);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: admin.id,
      actorName: admin.name,
      actorEmail: admin.email,
      action: auditActions.USER_CREATED,
      entityType: "user",
      entityId: created.id,
      projectId: null,
      before: null,
      requestId: c.requestId,
    });
    expect(events[0]?.after).toEqual({ id: created.id, email, name: "Nora Newcomer", title: "SRE", globalRoles: ["AUDITOR"] });
    expect(JSON.stringify(events[0]?.after)).not.toContain("$argon2id$");
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(await writerTransaction("users", "id = $1::uuid", created.id));
  });

  it("setUserDisabled, and nothing at all when repeated", async () => {
    const { user: admin, actor } = await makeActor(["ADMIN"]);
    const target = await makeUser();
    const c = ctx(actor);

    await setUserDisabled(c, { userId: target.id, disabled: true });

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorId: admin.id,
      actorName: admin.name,
      actorEmail: admin.email,
      action: auditActions.USER_DISABLED,
      entityType: "user",
      entityId: target.id,
      projectId: null,
      before: { disabled: false },
      after: { disabled: true },
      requestId: c.requestId,
    });
    expect(await writerTransaction("audit_events", "id = $1", events[0]?.id)).toBe(await writerTransaction("users", "id = $1::uuid", target.id));

    const again = ctx(actor);
    await setUserDisabled(again, { userId: target.id, disabled: true });
    expect(await eventsOf(again.requestId)).toEqual([]);

    const enable = ctx(actor);
    await setUserDisabled(enable, { userId: target.id, disabled: false });
    expect(await eventsOf(enable.requestId)).toEqual([expect.objectContaining({ action: auditActions.USER_ENABLED, before: { disabled: true }, after: { disabled: false } })]);
  });
});

describe("a failing change leaves neither the change nor an event", () => {
  it("duplicate slug: CONFLICT naming the slug, no second project, no event", async () => {
    const { actor } = await makeActor(["ADMIN"]);
    const slug = `dup-${randomUUID()}`;
    await createProject(ctx(actor), { name: "First of its name", slug });

    const second = ctx(actor);
    const error = await expectAppError(createProject(second, { name: "Second of its name", slug: slug.toUpperCase() }), "CONFLICT");

    expect(error.fieldErrors?.slug).toEqual(["This slug is taken; choose another."]);
    expect(await db.project.count({ where: { slug } })).toBe(1);
    expect(await db.project.count({ where: { name: "Second of its name", slug } })).toBe(0);
    expect(await eventsOf(second.requestId)).toEqual([]);
  });

  it("removing the last LEAD: CONFLICT, the member is still there, no event", async () => {
    const leadUser = await makeUser();
    const viewer = await makeUser();
    const project = await makeProject([
      { user: leadUser, roles: ["LEAD"] },
      { user: viewer, roles: ["VIEWER"] },
    ]);
    const before = await membersOf(project.id);
    const { actor: admin } = await makeActor(["ADMIN"]);
    const c = ctx(admin);

    await expectAppError(removeMember(c, { projectId: project.id, userId: leadUser.id }), "CONFLICT");

    expect(await membersOf(project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("demoting the last LEAD: CONFLICT naming the roles, roles unchanged, no event", async () => {
    const leadUser = await makeUser();
    const project = await makeProject([{ user: leadUser, roles: ["LEAD", "DEVOPS"] }]);
    const before = await membersOf(project.id);
    const c = ctx(await actorFor(leadUser));

    const error = await expectAppError(
      setMemberRoles(c, { projectId: project.id, userId: leadUser.id, roles: ["DEVOPS"], expectedUpdatedAt: await memberUpdatedAt(project.id, leadUser.id) }),
      "CONFLICT",
    );

    expect(error.fieldErrors?.roles).toEqual(["A project needs at least one lead."]);
    expect(await membersOf(project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("adding someone already a member: CONFLICT, roles unchanged, no event", async () => {
    const leadUser = await makeUser();
    const member = await makeUser();
    const project = await makeProject([
      { user: leadUser, roles: ["LEAD"] },
      { user: member, roles: ["VIEWER"] },
    ]);
    const before = await membersOf(project.id);
    const c = ctx(await actorFor(leadUser));

    const error = await expectAppError(addMember(c, { projectId: project.id, userId: member.id, roles: ["APPROVER"] }), "CONFLICT");

    expect(error.fieldErrors?.userId).toEqual(["Already a member."]);
    expect(await membersOf(project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("duplicate email: CONFLICT naming the email, no second user, no event", async () => {
    const { actor } = await makeActor(["ADMIN"]);
    const existing = await makeUser();
    const c = ctx(actor);

    const error = await expectAppError(createUser(c, { email: existing.email, name: "Impostor", password: "a long enough password" }), "CONFLICT");

    expect(error.fieldErrors?.email).toBeDefined();
    expect(await db.user.findMany({ where: { email: existing.email }, select: { name: true } })).toEqual([{ name: existing.name }]);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("the mechanism: a transaction that records an event and then throws leaves no event", async () => {
    const requestId = `test-${randomUUID()}`;
    const event = { actor: null, action: auditActions.PROJECT_CREATED, entityType: "project", requestId } as const;

    await expect(
      db.$transaction(async (tx) => {
        await recordAuditEvent(tx, event);
        throw new Error("the change failed after its event was recorded");
      }),
    ).rejects.toThrow("the change failed after its event was recorded");
    expect(await eventsOf(requestId)).toEqual([]);

    // And the same transaction without the failure does keep its event.
    await db.$transaction((tx) => recordAuditEvent(tx, event));
    expect(await eventsOf(requestId)).toHaveLength(1);
  });
});

describe("audit events are history", () => {
  it("keep the actor's name and email as they were when the actor is renamed", async () => {
    const admin = await makeUser({ name: "Morgan Before", globalRoles: ["ADMIN"] });
    const { actor, sessionId } = await signIn(admin);
    const first = ctx(actor);
    const target = await makeUser();
    await setUserDisabled(first, { userId: target.id, disabled: true });

    const newEmail = `renamed-${randomUUID()}@shipshape.test`;
    await db.user.update({ where: { id: admin.id }, data: { name: "Morgan After", email: newEmail } });

    expect(await eventsOf(first.requestId)).toEqual([expect.objectContaining({ actorId: admin.id, actorName: "Morgan Before", actorEmail: admin.email })]);

    // The very next request sees the new name, and new events copy it.
    const renamed = await loadActorBySession(sessionId);
    if (!renamed) throw new Error("no actor");
    expect(renamed.name).toBe("Morgan After");
    const second = ctx(renamed);
    await setUserDisabled(second, { userId: target.id, disabled: false });
    expect(await eventsOf(second.requestId)).toEqual([expect.objectContaining({ actorId: admin.id, actorName: "Morgan After", actorEmail: newEmail })]);
    expect(await eventsOf(first.requestId)).toEqual([expect.objectContaining({ actorName: "Morgan Before", actorEmail: admin.email })]);
  });

  it("outlive what they describe: deleting the user and the project keeps their events", async () => {
    const { user: admin, actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    const created = await createProject(c, { name: "Short-lived", slug: `gone-${randomUUID()}` });

    await db.project.delete({ where: { id: created.id } });
    await db.user.delete({ where: { id: admin.id } });

    expect(await eventsOf(c.requestId)).toEqual([expect.objectContaining({ actorId: admin.id, actorName: admin.name, projectId: created.id })]);
  });
});

describe("the database refuses to rewrite audit_events", () => {
  async function someEvents() {
    const { actor } = await makeActor(["ADMIN"]);
    const c = ctx(actor);
    await createProject(c, { name: "Append Only", slug: `append-${randomUUID()}` });
    await setUserDisabled(c, { userId: (await makeUser()).id, disabled: true });
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(2);
    return { requestId: c.requestId, events };
  }

  it("refuses UPDATE, rows unchanged", async () => {
    const { requestId, events } = await someEvents();
    await expect(db.$executeRawUnsafe(`UPDATE audit_events SET action = 'tampered', actor_name = 'Nobody' WHERE request_id = $1`, requestId)).rejects.toThrow(
      /audit_events is append-only: UPDATE is refused/,
    );
    expect(await eventsOf(requestId)).toEqual(events);
  });

  it("refuses DELETE, rows unchanged", async () => {
    const { requestId, events } = await someEvents();
    await expect(db.$executeRawUnsafe(`DELETE FROM audit_events WHERE request_id = $1`, requestId)).rejects.toThrow(/audit_events is append-only: DELETE is refused/);
    expect(await eventsOf(requestId)).toEqual(events);
  });

  it("refuses TRUNCATE, rows unchanged", async () => {
    const { requestId, events } = await someEvents();
    // Inside a transaction that is always rolled back: were TRUNCATE allowed, the test would
    // fail without wiping the events the other test files are asserting on.
    await expect(
      db.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`TRUNCATE audit_events`);
        throw new Error("TRUNCATE audit_events was allowed");
      }),
    ).rejects.toThrow(/audit_events is append-only: TRUNCATE is refused/);
    expect(await eventsOf(requestId)).toEqual(events);
  });
});

describe("reading the audit trail", () => {
  it("a project's activity: its own events, newest first, only to those who may see the project", async () => {
    const leadUser = await makeUser();
    const member = await makeUser();
    const project = await makeProject([{ user: leadUser, roles: ["LEAD"] }]);
    const elsewhere = await makeProject([{ user: leadUser, roles: ["LEAD"] }]);
    const lead = await actorFor(leadUser);
    await addMember(ctx(lead), { projectId: project.id, userId: member.id, roles: ["VIEWER"] });
    await addMember(ctx(lead), { projectId: elsewhere.id, userId: member.id, roles: ["VIEWER"] });
    await setMemberRoles(ctx(lead), { projectId: project.id, userId: member.id, roles: ["DBA"], expectedUpdatedAt: await memberUpdatedAt(project.id, member.id) });

    const memberActor = await actorFor(member);
    const page = await listProjectActivity(memberActor, await getProjectForActor(memberActor, project.slug));
    expect(page.events.map((event) => [event.action, event.projectId])).toEqual([
      [auditActions.MEMBER_ROLES_CHANGED, project.id],
      [auditActions.MEMBER_ADDED, project.id],
    ]);
    expect(page.events[0]).toMatchObject({ actorName: leadUser.name, actorEmail: leadUser.email, entityId: member.id });

    const { actor: outsider } = await makeActor();
    const { actor: admin } = await makeActor(["ADMIN"]);
    await expectAppError(listProjectActivity(outsider, await getProjectForActor(admin, project.slug)), "NOT_FOUND");
  });

  it("all activity: auditors and admins only", async () => {
    const { actor: lead } = await makeActor();
    await expectAppError(listAllActivity(lead, null), "FORBIDDEN");
    const { actor: auditor } = await makeActor(["AUDITOR"]);
    expect((await listAllActivity(auditor, null)).events.length).toBeGreaterThan(0);
  });

  it("all activity pages by cursor without skipping or repeating events written in the same instant", async () => {
    const requestId = `test-${randomUUID()}`;
    // 60 events in the same millisecond (one transaction's events share its instant, as
    // concurrent requests' can): only the id breaks ties between them.
    await db.$transaction(async (tx) => {
      for (let index = 0; index < 60; index++) {
        await recordAuditEvent(tx, { actor: null, action: auditActions.USER_ENABLED, entityType: "user", entityId: `bulk-${index}`, requestId });
      }
    });
    const events = await eventsOf(requestId);
    expect(new Set(events.map((event) => event.occurredAt.toISOString())).size).toBe(1);
    const mine = events.map((event) => event.id.toString());
    expect(mine).toHaveLength(60);

    const { actor: auditor } = await makeActor(["AUDITOR"]);
    const seen: { id: string; occurredAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof listAllActivity>> = await listAllActivity(auditor, cursor);
      expect(page.events.length).toBeLessThanOrEqual(50);
      seen.push(...page.events.map((event) => ({ id: event.id, occurredAt: event.occurredAt })));
      cursor = page.nextCursor;
    } while (cursor && !mine.every((id) => seen.some((event) => event.id === id)));

    const ids = seen.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(mine.filter((id) => ids.includes(id))).toEqual(mine);
    for (let index = 1; index < seen.length; index++) {
      const [newer, older] = [seen[index - 1], seen[index]];
      if (!newer || !older) continue;
      const ordered = newer.occurredAt > older.occurredAt || (newer.occurredAt === older.occurredAt && BigInt(newer.id) > BigInt(older.id));
      expect(ordered, `${newer.id}@${newer.occurredAt} before ${older.id}@${older.occurredAt}`).toBe(true);
    }
  });
});
