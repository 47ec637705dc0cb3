import { readFileSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPool, db, prismaClientOver } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/policy";
import { getChecklist } from "@/lib/checklists/data";
import { addComment, updateItem } from "@/lib/checklists/mutations";
import { parseChecklistMarkdown } from "@/lib/import/markdown";
import { createProject } from "@/lib/projects/mutations";
import { countItems, fromStoredContent } from "@/lib/templates/content";
import { getTemplate } from "@/lib/templates/data";
import { flattenKeyed, withTemplateKeys } from "@/lib/templates/keys";
import { builtInTemplates, createTemplate, createTemplateVersion, ensureBuiltInTemplates, upgradeProjectTemplate } from "@/lib/templates/mutations";
import { createTestDatabase } from "../support/database";
import { actorFor, checklistState, ctx, eventsOf, expectAppError, makeActor, makeProject, makeUser } from "./factories";

// Templates against a real database: the built-in ones, versions, and moving a project's
// checklist to a newer version without losing any work done on it.

/** Task items per seed file, from the seeds README (the files are copied byte for byte). */
const seedItemCounts: Record<(typeof builtInTemplates)[number]["slug"], number> = {
  "vercel-mongodb-web-app": 57,
  "aws-ec2-dynamodb-flask": 63,
  "docker-kafka-data-pipeline": 69,
  "kubernetes-postgres-redis": 112,
  "fastapi-postgis-backend": 148,
};

/** Runs `test` against a database of its own: the built-ins are global, and seed.test.ts loads them too. */
async function withOwnDatabase(test: (client: PrismaClient) => Promise<void>) {
  const database = await createTestDatabase("templates");
  const pool = createPool(database.url, 4);
  const client = prismaClientOver(pool);
  try {
    await test(client);
  } finally {
    await client.$disconnect();
    await pool.end();
    await database.drop();
  }
}

describe("ensureBuiltInTemplates", () => {
  it("loads the five built-ins through the importer once; a second run creates none", async () => {
    await withOwnDatabase(async (client) => {
      expect(await ensureBuiltInTemplates(client)).toBe(5);

      const templates = await client.template.findMany({ include: { versions: true }, orderBy: { slug: "asc" } });
      expect(templates.map((template) => template.slug)).toEqual(Object.keys(seedItemCounts).sort());
      for (const template of templates) {
        const slug = template.slug as keyof typeof seedItemCounts;
        expect(template.builtIn).toBe(true);
        expect(template.versions.map((version) => version.version)).toEqual([1]);
        const [version] = template.versions;
        expect(version?.itemCount, slug).toBe(seedItemCounts[slug]);
        const content = fromStoredContent(version?.content);
        expect(countItems(content), slug).toBe(seedItemCounts[slug]);
        // Exactly what the importer makes of the shipped file, keyed, with every status TODO.
        const parsed = parseChecklistMarkdown(readFileSync(path.join(process.cwd(), "lib", "templates", "built-in", `${slug}.md`)));
        expect(parsed.stats.items).toBe(seedItemCounts[slug]);
        expect(content).toEqual(withTemplateKeys(parsed.checklist));
        expect(flattenKeyed(content).every((entry) => entry.item.status === "TODO")).toBe(true);
      }
      const events = await client.auditEvent.findMany({ where: { action: auditActions.TEMPLATE_CREATED } });
      expect(events).toHaveLength(5);
      expect(events.every((event) => event.actorId === null)).toBe(true);

      expect(await ensureBuiltInTemplates(client)).toBe(0);
      expect(await client.template.count()).toBe(5);
      expect(await client.templateVersion.count()).toBe(5);
      expect(await client.auditEvent.count({ where: { action: auditActions.TEMPLATE_CREATED } })).toBe(5);
    });
  });

  it("two instances starting at once both succeed and load each built-in once", async () => {
    await withOwnDatabase(async (client) => {
      const results = await Promise.allSettled([ensureBuiltInTemplates(client), ensureBuiltInTemplates(client)]);

      expect(results.map((result) => (result.status === "fulfilled" ? "OK" : String(result.reason)))).toEqual(["OK", "OK"]);
      expect(results.reduce((sum, result) => sum + (result.status === "fulfilled" ? result.value : 0), 0)).toBe(5);
      expect(await client.template.count()).toBe(5);
    });
  });
});

const V1 = `# Service template

## Database

- [ ] Backups run nightly
  - [ ] Restore tested
- [ ] **Indexes reviewed** - Check the slow query log weekly.
- [ ] Replication lag alarm
- [ ] Legacy dump script removed
- [ ] Tape archive
  - [ ] Tapes labelled

## Operations

- [ ] **Runbook written** - One page per service.
- [ ] Pager rota agreed
`;

// Removed: Replication lag alarm, Legacy dump script removed, Tape archive (+ Tapes labelled), Pager rota agreed.
// Added: Point-in-time recovery enabled (under Backups), Connection pool sized, a Monitoring section
// with Alerts on error rate > Alert runbook linked. Changed details: Indexes reviewed, Runbook written.
const V2 = `# Service template

## Database

- [ ] Backups run nightly
  - [ ] Restore tested
  - [ ] Point-in-time recovery enabled
- [ ] **Indexes reviewed** - Check the slow query log daily and after each release.
- [ ] Connection pool sized

## Operations

- [ ] **Runbook written** - One page per service, linked from its alert.

## Monitoring

- [ ] Alerts on error rate
  - [ ] Alert runbook linked
`;

async function itemsByTitle(projectId: string) {
  const items = await db.checklistItem.findMany({
    where: { projectId },
    include: { section: { select: { title: true, position: true } }, _count: { select: { evidence: true, comments: true } } },
  });
  const byTitle = new Map(items.map((item) => [item.title, item]));
  expect(byTitle.size, "titles are unique in these fixtures").toBe(items.length);
  return byTitle;
}

/**
 * A template (v1) made by an admin, a project on it led by `lead` with a DBA member, some work
 * done by the lead on items that v2 removes or changes, and v2 saved but not applied.
 */
async function projectOnV1() {
  const { actor: admin } = await makeActor(["ADMIN"]);
  const lead = await makeUser();
  const dba = await makeUser();
  const template = await createTemplate(ctx(admin), { name: `Service ${randomUUID().slice(0, 8)}`, markdown: V1 });
  const v1 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 1 } });
  const project = await createProject(ctx(admin), { name: "Upgrade me", slug: `upgrade-${randomUUID()}`, templateVersionId: v1.id, leadUserId: lead.id });
  await db.projectMember.create({ data: { projectId: project.id, userId: dba.id, roles: ["DBA"] } });
  const leadActor = await actorFor(lead);

  const items = await itemsByTitle(project.id);
  const id = (title: string) => items.get(title)?.id ?? "";
  await updateItem(ctx(leadActor), { itemId: id("Replication lag alarm"), expectedVersion: 1, status: "DONE", note: "Alarm fires at 30 s of lag." });
  await addComment(ctx(leadActor), { itemId: id("Pager rota agreed"), body: "Still needed for the night shift." });
  await updateItem(ctx(leadActor), { itemId: id("Runbook written"), expectedVersion: 1, status: "IN_PROGRESS" });
  await db.checklistItem.update({ where: { id: id("Tapes labelled") }, data: { dueAt: new Date("2027-01-15T00:00:00Z") } });

  await createTemplateVersion(ctx(admin), { templateId: template.id, expectedVersion: 1, markdown: V2 });
  const v2 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 2 } });
  return { admin, lead, leadActor, dba: await actorFor(dba), template, v1, v2, project };
}

describe("createTemplate and createTemplateVersion", () => {
  it("a project lead creates a template (version 1) and a version 2, each audited", async () => {
    const leadUser = await makeUser();
    await makeProject([{ user: leadUser, roles: ["LEAD"] }]);
    const lead = await actorFor(leadUser);
    const created = ctx(lead);
    const name = `Lead's template ${randomUUID().slice(0, 8)}`;

    const template = await createTemplate(created, { name, description: "For our services.", markdown: V1 });

    expect(template.slug).toBe(name.toLowerCase().replace(/[^a-z0-9]+/g, "-"));
    expect(await db.template.findUniqueOrThrow({ where: { id: template.id } })).toMatchObject({ name, description: "For our services.", builtIn: false });
    const v1 = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id } });
    expect(v1).toMatchObject({ version: 1, itemCount: 9, createdById: leadUser.id });
    expect(await eventsOf(created.requestId)).toEqual([expect.objectContaining({ action: auditActions.TEMPLATE_CREATED, entityId: template.id, actorId: leadUser.id })]);

    const versioned = ctx(lead);
    expect(await createTemplateVersion(versioned, { templateId: template.id, expectedVersion: 1, markdown: V2 })).toEqual({ version: 2 });

    const versions = await db.templateVersion.findMany({ where: { templateId: template.id }, orderBy: { version: "asc" } });
    expect(versions.map((version) => [version.version, version.itemCount])).toEqual([
      [1, 9],
      [2, 8],
    ]);
    expect(await eventsOf(versioned.requestId)).toEqual([expect.objectContaining({ action: auditActions.TEMPLATE_VERSION_CREATED, entityId: template.id, after: expect.objectContaining({ version: 2 }) })]);
  });

  it("refuses a stale expectedVersion with CONFLICT, and writes no version", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const template = await createTemplate(ctx(admin), { name: `Stale ${randomUUID().slice(0, 8)}`, markdown: V1 });
    await createTemplateVersion(ctx(admin), { templateId: template.id, expectedVersion: 1, markdown: V2 });
    const c = ctx(admin);

    await expectAppError(createTemplateVersion(c, { templateId: template.id, expectedVersion: 1, markdown: V1 }), "CONFLICT");

    expect(await db.templateVersion.count({ where: { templateId: template.id } })).toBe(2);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("two editors saving a new version from the same one at once: exactly one is saved, the other gets CONFLICT", async () => {
    // Two people: one person's second parse at once is refused before it reaches the race (lib/import/safe-parse.ts).
    const { actor: admin } = await makeActor(["ADMIN"]);
    const { actor: otherAdmin } = await makeActor(["ADMIN"]);
    const template = await createTemplate(ctx(admin), { name: `Race ${randomUUID().slice(0, 8)}`, markdown: V1 });

    const results = await Promise.allSettled([
      createTemplateVersion(ctx(admin), { templateId: template.id, expectedVersion: 1, markdown: V2 }),
      createTemplateVersion(ctx(otherAdmin), { templateId: template.id, expectedVersion: 1, markdown: V2.replace("Connection pool sized", "Pool sized") }),
    ]);

    const codes = results.map((result) => (result.status === "fulfilled" ? "OK" : result.reason instanceof AppError ? result.reason.code : String(result.reason))).sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    expect((await db.templateVersion.findMany({ where: { templateId: template.id }, orderBy: { version: "asc" } })).map((version) => version.version)).toEqual([1, 2]);
  });

  it("refuses a new version of a built-in template with FORBIDDEN, even to an admin", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const builtIn = await db.template.create({
      data: { slug: `built-in-${randomUUID()}`, name: "Built in", builtIn: true, versions: { create: { version: 1, content: { title: null, sections: [] }, itemCount: 0 } } },
    });
    const c = ctx(admin);

    await expectAppError(createTemplateVersion(c, { templateId: builtIn.id, expectedVersion: 1, markdown: V2 }), "FORBIDDEN");

    expect(await db.templateVersion.count({ where: { templateId: builtIn.id } })).toBe(1);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("refuses someone who leads no project and is no admin with FORBIDDEN, and writes nothing", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const existing = await createTemplate(ctx(admin), { name: `Theirs ${randomUUID().slice(0, 8)}`, markdown: V1 });
    const member = await makeUser();
    await makeProject([{ user: member, roles: ["DBA", "SECURITY", "APPROVER"] }]);
    const actor = await actorFor(member);
    const slug = `nope-${randomUUID()}`;
    const c = ctx(actor);

    await expectAppError(createTemplate(c, { name: "Not allowed", slug, markdown: V1 }), "FORBIDDEN");
    await expectAppError(createTemplateVersion(c, { templateId: existing.id, expectedVersion: 1, markdown: V2 }), "FORBIDDEN");

    expect(await db.template.count({ where: { slug } })).toBe(0);
    expect(await db.templateVersion.count({ where: { templateId: existing.id } })).toBe(1);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("publishes new versions for the template's owner and admins only: another lead is refused (FORBIDDEN) and writes nothing", async () => {
    const [ownerUser, otherUser] = [await makeUser(), await makeUser()];
    await makeProject([
      { user: ownerUser, roles: ["LEAD"] },
      { user: otherUser, roles: ["LEAD"] },
    ]);
    const [owner, otherLead] = [await actorFor(ownerUser), await actorFor(otherUser)];
    const { actor: admin } = await makeActor(["ADMIN"]);
    const template = await createTemplate(ctx(owner), { name: `Owned ${randomUUID().slice(0, 8)}`, markdown: V1 });
    const refused = ctx(otherLead);

    await expectAppError(createTemplateVersion(refused, { templateId: template.id, expectedVersion: 1, markdown: V2 }), "FORBIDDEN");
    expect(await db.templateVersion.count({ where: { templateId: template.id } })).toBe(1);
    expect(await eventsOf(refused.requestId)).toEqual([]);
    expect((await getTemplate(otherLead, template.slug)).canEdit).toBe(false);

    expect((await getTemplate(owner, template.slug)).canEdit).toBe(true);
    expect(await createTemplateVersion(ctx(owner), { templateId: template.id, expectedVersion: 1, markdown: V2 })).toEqual({ version: 2 });
    expect(await createTemplateVersion(ctx(admin), { templateId: template.id, expectedVersion: 2, markdown: V1 })).toEqual({ version: 3 });
  });
});

describe("upgradeProjectTemplate", () => {
  it("adds, removes and updates items without losing work, moves the project to v2 and records one event", async () => {
    const { lead, leadActor, v1, v2, project } = await projectOnV1();
    const before = await itemsByTitle(project.id);
    const c = ctx(leadActor);

    const summary = await upgradeProjectTemplate(c, { projectId: project.id, fromVersionId: v1.id, toVersionId: v2.id });

    const titles = (list: { title: string }[]) => list.map((entry) => entry.title).sort();
    expect(titles(summary.added)).toEqual(["Alert runbook linked", "Alerts on error rate", "Connection pool sized", "Point-in-time recovery enabled"]);
    expect(titles(summary.removed)).toEqual(["Legacy dump script removed"]);
    expect(titles(summary.kept)).toEqual(["Pager rota agreed", "Replication lag alarm", "Tape archive", "Tapes labelled"]);
    expect(summary.updated.map((entry) => entry.title)).toEqual(["Indexes reviewed"]);
    expect(summary.updated[0]?.fields).toContain("details");

    const after = await itemsByTitle(project.id);
    // Worked items that v2 removed are kept, with their work; the untouched one is gone.
    expect(after.has("Legacy dump script removed")).toBe(false);
    expect(after.get("Replication lag alarm")).toMatchObject({ status: "DONE", _count: { evidence: 1, comments: 0 } });
    expect(after.get("Pager rota agreed")).toMatchObject({ status: "TODO", _count: { evidence: 0, comments: 1 } });
    expect(after.get("Tape archive")?.id).toBe(before.get("Tape archive")?.id);
    expect(after.get("Tapes labelled")?.parentId).toBe(before.get("Tape archive")?.id);
    // New guidance reaches the untouched item only.
    expect(after.get("Indexes reviewed")).toMatchObject({ details: "Check the slow query log daily and after each release.", version: 2 });
    expect(after.get("Runbook written")).toMatchObject({ details: "One page per service.", status: "IN_PROGRESS", version: 2 });
    // Added items: in their section, under their parent, keyed, TODO.
    const v2Keys = new Map(flattenKeyed(fromStoredContent(v2.content)).map((entry) => [entry.item.title, entry.item.key]));
    for (const title of titles(summary.added)) {
      expect(after.get(title), title).toMatchObject({ templateKey: v2Keys.get(title), status: "TODO", version: 1 });
    }
    expect(after.get("Point-in-time recovery enabled")).toMatchObject({ sectionId: before.get("Backups run nightly")?.sectionId, parentId: before.get("Backups run nightly")?.id });
    expect(after.get("Connection pool sized")).toMatchObject({ sectionId: before.get("Backups run nightly")?.sectionId, parentId: null });
    expect(after.get("Alerts on error rate")).toMatchObject({ parentId: null, section: { title: "Monitoring", position: 2 } });
    expect(after.get("Alert runbook linked")).toMatchObject({ parentId: after.get("Alerts on error rate")?.id, section: { title: "Monitoring", position: 2 } });

    // The checklist as people see it, in order.
    const view = await getChecklist(leadActor, project.slug);
    expect(view.sections.map((section) => [section.title, section.items.map((item) => [item.title, item.children.map((child) => child.title)])])).toEqual([
      [
        "Database",
        [
          ["Backups run nightly", ["Restore tested", "Point-in-time recovery enabled"]],
          ["Indexes reviewed", []],
          ["Replication lag alarm", []],
          ["Tape archive", ["Tapes labelled"]],
          ["Connection pool sized", []],
        ],
      ],
      [
        "Operations",
        [
          ["Runbook written", []],
          ["Pager rota agreed", []],
        ],
      ],
      ["Monitoring", [["Alerts on error rate", ["Alert runbook linked"]]]],
    ]);

    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).templateVersionId).toBe(v2.id);
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: auditActions.CHECKLIST_UPGRADED, entityType: "project", entityId: project.id, projectId: project.id, actorId: lead.id });
    expect(events[0]?.before).toEqual({ templateVersionId: v1.id, version: 1 });
    expect(events[0]?.after).toEqual({ templateVersionId: v2.id, version: 2, ...summary });
    // The event holds every field of what it added and the new values of what it updated, so the
    // checklist can be rebuilt from the events alone.
    for (const entry of summary.added) {
      const row = after.get(entry.title);
      expect(entry).toEqual({
        id: row?.id,
        title: row?.title,
        section: row?.section.title,
        sectionId: row?.sectionId,
        parentId: row?.parentId,
        position: row?.position,
        templateKey: row?.templateKey,
        details: row?.details,
        area: row?.area,
        required: row?.required,
      });
    }
    const monitoring = await db.checklistSection.findFirstOrThrow({ where: { projectId: project.id, title: "Monitoring" } });
    expect(summary.addedSections).toEqual([{ id: monitoring.id, title: "Monitoring", position: 2 }]);
    const indexes = after.get("Indexes reviewed");
    expect(summary.updated).toEqual([
      { id: indexes?.id, title: "Indexes reviewed", fields: ["details"], details: indexes?.details, area: indexes?.area, required: indexes?.required, version: indexes?.version },
    ]);
  });

  it("deletes a removed item that nobody worked on together with its nested items", async () => {
    const { leadActor, v1, v2, project } = await projectOnV1();
    // Undo the work under "Tape archive": now it and "Tapes labelled" are untouched, and both removed in v2.
    await db.checklistItem.updateMany({ where: { projectId: project.id, title: "Tapes labelled" }, data: { dueAt: null } });

    const summary = await upgradeProjectTemplate(ctx(leadActor), { projectId: project.id, fromVersionId: v1.id, toVersionId: v2.id });

    const after = await itemsByTitle(project.id);
    expect(after.has("Tape archive")).toBe(false);
    expect(after.has("Tapes labelled")).toBe(false);
    expect(summary.removed.map((entry) => entry.title)).toContain("Tape archive");
    expect(summary.kept.map((entry) => entry.title).sort()).toEqual(["Pager rota agreed", "Replication lag alarm"]);
  });

  it("refuses a stale fromVersionId with CONFLICT and changes nothing", async () => {
    const { leadActor, v1, v2, project } = await projectOnV1();
    await upgradeProjectTemplate(ctx(leadActor), { projectId: project.id, fromVersionId: v1.id, toVersionId: v2.id });
    const before = await checklistState(project.id);
    const c = ctx(leadActor);

    await expectAppError(upgradeProjectTemplate(c, { projectId: project.id, fromVersionId: v1.id, toVersionId: v2.id }), "CONFLICT");

    expect(await checklistState(project.id)).toEqual(before);
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).templateVersionId).toBe(v2.id);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("refuses a DBA member (FORBIDDEN) and a non-member (NOT_FOUND), and changes nothing", async () => {
    const { dba, v1, v2, project } = await projectOnV1();
    const before = await checklistState(project.id);

    for (const [actor, code] of [
      [dba, "FORBIDDEN"],
      [(await makeActor()).actor, "NOT_FOUND"],
    ] as [Actor, "FORBIDDEN" | "NOT_FOUND"][]) {
      const c = ctx(actor);
      await expectAppError(upgradeProjectTemplate(c, { projectId: project.id, fromVersionId: v1.id, toVersionId: v2.id }), code);
      expect(await eventsOf(c.requestId)).toEqual([]);
    }

    expect(await checklistState(project.id)).toEqual(before);
    expect((await db.project.findUniqueOrThrow({ where: { id: project.id } })).templateVersionId).toBe(v1.id);
  });

  it("refuses to move to an older version or to another template's version (INVALID_INPUT)", async () => {
    const { admin, leadActor, v1, v2, project } = await projectOnV1();
    const other = await createTemplate(ctx(admin), { name: `Other ${randomUUID().slice(0, 8)}`, markdown: V2 });
    const otherVersion = await db.templateVersion.findFirstOrThrow({ where: { templateId: other.id } });
    const before = await checklistState(project.id);

    for (const toVersionId of [v1.id, otherVersion.id]) {
      const error = await expectAppError(upgradeProjectTemplate(ctx(leadActor), { projectId: project.id, fromVersionId: v1.id, toVersionId }), "INVALID_INPUT");
      expect(error.fieldErrors?.toVersionId).toBeDefined();
    }
    expect(await checklistState(project.id)).toEqual(before);
    expect(v2.version).toBe(2);
  });

  it("getTemplate lists the project as outdated, with the diff, before the upgrade and not after", async () => {
    const { leadActor, dba, template, v1, v2, project } = await projectOnV1();

    const outdated = await getTemplate(leadActor, template.slug);
    expect(outdated).toMatchObject({ latestVersion: 2, latestVersionId: v2.id, projectCount: 1 });
    expect(outdated.outdatedProjects).toHaveLength(1);
    const [entry] = outdated.outdatedProjects;
    expect(entry).toMatchObject({ id: project.id, slug: project.slug, versionId: v1.id, version: 1, canUpgrade: true });
    expect(entry?.diff.added.map((ref) => ref.title)).toEqual(["Point-in-time recovery enabled", "Connection pool sized", "Alerts on error rate", "Alert runbook linked"]);
    expect(entry?.diff.removed.map((ref) => ref.title)).toEqual(["Replication lag alarm", "Legacy dump script removed", "Tape archive", "Tapes labelled", "Pager rota agreed"]);
    expect(entry?.diff.changed.map((ref) => ref.title)).toEqual(["Indexes reviewed", "Runbook written"]);
    expect((await getTemplate(dba, template.slug)).outdatedProjects.map((outdatedProject) => [outdatedProject.id, outdatedProject.canUpgrade])).toEqual([[project.id, false]]);
    expect((await getTemplate((await makeActor()).actor, template.slug)).outdatedProjects).toEqual([]);

    await upgradeProjectTemplate(ctx(leadActor), { projectId: project.id, fromVersionId: v1.id, toVersionId: v2.id });

    const current = await getTemplate(leadActor, template.slug);
    expect(current.outdatedProjects).toEqual([]);
    expect(current.projectCount).toBe(1);
  });
});
