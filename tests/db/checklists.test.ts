import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/policy";
import { formToObject } from "@/lib/form-state";
import { getChecklist, type ChecklistView, type ItemView } from "@/lib/checklists/data";
import { addComment, addEvidence, importChecklist, removeEvidence, updateItem } from "@/lib/checklists/mutations";
import { createProject } from "@/lib/projects/mutations";
import { fromStoredContent } from "@/lib/templates/content";
import { flattenKeyed } from "@/lib/templates/keys";
import { createTemplate } from "@/lib/templates/mutations";
import {
  actorFor,
  checklistState,
  ctx,
  eventsOf,
  expectAppError,
  isoDay,
  itemState,
  makeActor,
  makeItem,
  makeProject,
  makeSection,
  makeUser,
  type TestProject,
  type TestUser,
} from "./factories";

// The checklist services against a real database: what an import writes, how items change
// (versions, evidence, waivers, area ownership), and that every refused change leaves the rows
// and the audit trail exactly as they were.

const PAYMENTS_MD = `# Payments API readiness

Owners are named in the sections below. This paragraph is not an item.

## Database

- [ ] Backups run nightly
  - [x] Restore tested
    - [ ] Restore takes under an hour
- [X] Indexes reviewed

## Security

- [ ] TLS everywhere
- [ ] **Secrets in a vault** - no secrets in environment files

\`\`\`
- [ ] not an item: inside a code fence
\`\`\`
`;

type Team = { project: TestProject; users: Record<ProjectRole, TestUser>; as: (role: ProjectRole) => Promise<Actor> };

/** A project with one member per given role (one user each). */
async function team(wanted: ProjectRole[] = ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER", "VIEWER"]): Promise<Team> {
  const roles = [...new Set(wanted)];
  const holders = await Promise.all(roles.map(() => makeUser()));
  const users = Object.fromEntries(roles.map((role, index) => [role, holders[index]])) as Record<ProjectRole, TestUser>;
  const project = await makeProject(roles.map((role) => ({ user: users[role], roles: [role] })));
  return { project, users, as: (role) => actorFor(users[role]) };
}

/** Runs a change that must be refused with `code`, and asserts the item and the audit trail are untouched. */
async function expectItemUnchanged(itemId: string, run: (requestId: string, actor: Actor) => Promise<unknown>, actor: Actor, code: AppError["code"]): Promise<AppError> {
  const before = await itemState(itemId);
  const c = ctx(actor);
  const error = await expectAppError(run(c.requestId, actor), code);
  expect(await itemState(itemId)).toEqual(before);
  expect(await eventsOf(c.requestId)).toEqual([]);
  return error;
}

function allItems(view: ChecklistView): ItemView[] {
  const walk = (items: ItemView[]): ItemView[] => items.flatMap((item) => [item, ...walk(item.children)]);
  return view.sections.flatMap((section) => walk(section.items));
}

function viewOf(view: ChecklistView, title: string): ItemView {
  const found = allItems(view).find((item) => item.title === title);
  if (!found) throw new Error(`no item "${title}" in the view`);
  return found;
}

/** The project's checklist as nested titles with statuses, in order, read from the rows. */
async function treeOf(projectId: string) {
  const [sections, items] = await Promise.all([
    db.checklistSection.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { id: true, title: true, position: true } }),
    db.checklistItem.findMany({ where: { projectId }, orderBy: { position: "asc" }, select: { id: true, sectionId: true, parentId: true, title: true, status: true } }),
  ]);
  type Node = { title: string; status: string; children: Node[] };
  const build = (sectionId: string, parentId: string | null): Node[] =>
    items.filter((item) => item.sectionId === sectionId && item.parentId === parentId).map((item) => ({ title: item.title, status: item.status, children: build(sectionId, item.id) }));
  return sections.map((section) => ({ title: section.title, position: section.position, items: build(section.id, null) }));
}

/** A complete waiver request as the form sends it, expiring in 30 days, but for its risk owner (a member: `waiverRiskOwnerId`). */
const waiver = { status: "WAIVED", statusReason: "Accepting plain HTTP on the internal network until the mesh lands.", waiverExpiresAt: isoDay(30) };

const PAYMENTS_TREE = [
  {
    title: "Database",
    items: [
      { title: "Backups run nightly", status: "TODO", children: [{ title: "Restore tested", status: "DONE", children: [{ title: "Restore takes under an hour", status: "TODO", children: [] }] }] },
      { title: "Indexes reviewed", status: "DONE", children: [] },
    ],
  },
  {
    title: "Security",
    items: [
      { title: "TLS everywhere", status: "TODO", children: [] },
      { title: "Secrets in a vault", status: "TODO", children: [] },
    ],
  },
];

describe("importChecklist", () => {
  it("adds every item with its nesting, sections in order, [x] items DONE with a note, and one audit event listing every item", async () => {
    const { project, users, as } = await team(["LEAD"]);
    const c = ctx(await as("LEAD"));

    const summary = await importChecklist(c, { projectId: project.id, markdown: PAYMENTS_MD, source: "payments.md" });

    expect(summary).toEqual({ sections: 2, items: 6, checked: 2, maxDepth: 3 });
    const tree = await treeOf(project.id);
    expect(tree).toEqual(PAYMENTS_TREE.map((section, position) => ({ ...section, position })));

    const items = await db.checklistItem.findMany({ where: { projectId: project.id }, include: { evidence: true } });
    expect(items).toHaveLength(6);
    expect(items.find((item) => item.title === "Secrets in a vault")?.details).toBe("no secrets in environment files");
    for (const item of items) {
      expect(item, item.title).toMatchObject({ templateKey: null, version: 1, required: true });
      if (item.status === "DONE") {
        expect(item.evidence, item.title).toEqual([
          expect.objectContaining({ kind: "NOTE", url: null, note: "Imported as checked from payments.md.", addedById: users.LEAD.id, addedByName: users.LEAD.name }),
        ]);
      } else {
        expect(item.evidence, item.title).toEqual([]);
      }
    }

    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: auditActions.CHECKLIST_IMPORTED, entityType: "project", entityId: project.id, projectId: project.id, actorId: users.LEAD.id, actorName: users.LEAD.name });
    const after = events[0]?.after as { origin: unknown; sections: { id: string; title: string }[]; items: { id: string; title: string; parentId: string | null; status: string }[] };
    expect(after.origin).toEqual({ kind: "markdown", source: "payments.md", stats: summary });
    expect(after.sections.map((section) => section.title)).toEqual(["Database", "Security"]);
    expect(after.items.map((item) => item.id).sort()).toEqual(items.map((item) => item.id).sort());
    expect(after.items.map((item) => item.title)).toEqual([
      "Backups run nightly",
      "Restore tested",
      "Restore takes under an hour",
      "Indexes reviewed",
      "TLS everywhere",
      "Secrets in a vault",
    ]);
    for (const item of after.items) {
      const row = items.find((candidate) => candidate.id === item.id);
      expect(item).toMatchObject({ parentId: row?.parentId, status: row?.status });
    }
    // The evidence of checked items is named in the event as written, so the checklist can be rebuilt.
    const written = items.flatMap((item) => item.evidence).sort((a, b) => a.id.localeCompare(b.id));
    const named = (events[0]?.after as { checkedEvidence: { id: string }[] }).checkedEvidence.sort((a, b) => a.id.localeCompare(b.id));
    expect(named).toEqual(
      written.map((evidence) => ({ id: evidence.id, itemId: evidence.itemId, note: evidence.note, addedByName: evidence.addedByName, createdAt: evidence.createdAt.toISOString() })),
    );
  });

  it("adds a second file after the existing sections and leaves the first one's rows as they were", async () => {
    const { project, as } = await team(["LEAD"]);
    const lead = await as("LEAD");
    await importChecklist(ctx(lead), { projectId: project.id, markdown: PAYMENTS_MD, source: "payments.md" });
    const first = await checklistState(project.id);

    await importChecklist(ctx(lead), { projectId: project.id, markdown: "## Go-live\n\n- [ ] Status page updated\n", source: "extra.md" });

    const after = await checklistState(project.id);
    expect(after.sections.slice(0, 2)).toEqual(first.sections);
    expect(after.sections.slice(2).map((section) => [section.title, section.position])).toEqual([["Go-live", 2]]);
    expect(after.items.filter((item) => first.items.some((old) => old.id === item.id))).toEqual(first.items);
    expect(after.items).toHaveLength(7);
  });

  const refusedFiles: [string, string | Uint8Array, RegExp][] = [
    ["a file without task items", "# Notes\n\n- a plain bullet\n\n```\n- [ ] in a fence\n```\n", /No task items/],
    ["invalid UTF-8 bytes", new Uint8Array([...new TextEncoder().encode("## Database\n\n- [ ] Backups "), 0xff, 0xfe, 0x0a]), /UTF-8/],
    ["a file over 1 MB", "- [ ] Item\n".repeat(Math.ceil(1_048_577 / 11)), /limit/],
    // Shapes whose parse time grows with the cube of their size: refused before parsing.
    ["a run of emphasis markers", `- [ ] x\n\n${"*_".repeat(10_000)}\n`, /^Line 3 has 20,000 emphasis markers \(\*, _ or ~\); the limit is 100\.$/],
    [
      "990 levels of nested tasks",
      `${Array.from({ length: 990 }, (_, level) => `${"  ".repeat(level)}- [ ] x`).join("\n")}\n`,
      /^Line 21 is nested 21 levels deep \(lists, quotes and indentation\); the limit is 20\.$/,
    ],
  ];

  it.each(refusedFiles)("refuses %s with INVALID_INPUT on `file`, and writes nothing", async (_name, markdown, message) => {
    const { project, as } = await team(["LEAD"]);
    const c = ctx(await as("LEAD"));

    const error = await expectAppError(importChecklist(c, { projectId: project.id, markdown, source: "bad.md" }), "INVALID_INPUT");

    expect(error.fieldErrors?.file?.[0]).toMatch(message);
    expect(await checklistState(project.id)).toEqual({ sections: [], items: [] });
    expect(await db.evidence.count({ where: { item: { projectId: project.id } } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it.each([
    ["a VIEWER", "VIEWER", "FORBIDDEN"],
    ["a DBA", "DBA", "FORBIDDEN"],
    ["an APPROVER", "APPROVER", "FORBIDDEN"],
    ["a non-member", null, "NOT_FOUND"],
  ] as const)("refuses %s (%s) and leaves the checklist as it was", async (_name, role, code) => {
    const { project, as } = await team(["LEAD", "VIEWER", "DBA", "APPROVER"]);
    await importChecklist(ctx(await as("LEAD")), { projectId: project.id, markdown: PAYMENTS_MD, source: "payments.md" });
    const before = await checklistState(project.id);
    const actor = role ? await as(role) : (await makeActor()).actor;
    const c = ctx(actor);

    await expectAppError(importChecklist(c, { projectId: project.id, markdown: "## More\n\n- [ ] Another item\n", source: "more.md" }), code);

    expect(await checklistState(project.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("lets an ADMIN who is not a member import, and gives them NOT_FOUND for a project that does not exist", async () => {
    const { project } = await team(["LEAD"]);
    const { actor: admin } = await makeActor(["ADMIN"]);
    await importChecklist(ctx(admin), { projectId: project.id, markdown: PAYMENTS_MD, source: "payments.md" });
    expect(await db.checklistItem.count({ where: { projectId: project.id } })).toBe(6);

    const missing = randomUUID();
    const c = ctx(admin);
    await expectAppError(importChecklist(c, { projectId: missing, markdown: PAYMENTS_MD, source: "payments.md" }), "NOT_FOUND");
    expect(await checklistState(missing)).toEqual({ sections: [], items: [] });
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("is all or nothing: a database failure after sections and items were inserted leaves none of them, and no event", async () => {
    // A trigger refuses the evidence of this one import (matched by its note). Sections and items
    // are inserted before evidence, so only a rollback of the whole import explains their absence.
    const source = `refused-${randomUUID()}.md`;
    const trigger = `test_refuse_evidence_${randomUUID().replaceAll("-", "")}`;
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'evidence refused by the test'; END $$`);
    await db.$executeRawUnsafe(`CREATE TRIGGER ${trigger} BEFORE INSERT ON evidence FOR EACH ROW WHEN (NEW.note = 'Imported as checked from ${source}.') EXECUTE FUNCTION ${trigger}()`);
    try {
      const { project, as } = await team(["LEAD"]);
      const c = ctx(await as("LEAD"));

      await expect(importChecklist(c, { projectId: project.id, markdown: PAYMENTS_MD, source })).rejects.toThrow(/evidence refused by the test/);

      expect(await checklistState(project.id)).toEqual({ sections: [], items: [] });
      expect(await eventsOf(c.requestId)).toEqual([]);
      // The same file from another source goes through: the failure above was the trigger's.
      await importChecklist(ctx(await as("LEAD")), { projectId: project.id, markdown: PAYMENTS_MD, source: "payments.md" });
      expect(await db.checklistItem.count({ where: { projectId: project.id } })).toBe(6);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${trigger} ON evidence`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${trigger}()`);
    }
  });

  it("refuses a project id that is not a UUID with an AppError (NOT_FOUND or INVALID_INPUT), not a raw database error", async () => {
    // The import form posts the project id from a hidden field: anything may arrive.
    const { actor: admin } = await makeActor(["ADMIN"]);
    const c = ctx(admin);
    const outcome = await importChecklist(c, { projectId: "not-a-uuid", markdown: PAYMENTS_MD, source: "payments.md" }).then(
      () => "it succeeded",
      (error: unknown) => (error instanceof AppError ? error.code : `${(error as Error).name}: ${(error as Error).message.split("\n").filter(Boolean).at(-1) ?? ""}`),
    );
    expect(["NOT_FOUND", "INVALID_INPUT"]).toContain(outcome);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});

const TEMPLATE_MD = `# Service template

## Database

- [ ] Backups run nightly
  - [x] Restore tested
- [ ] **Indexes reviewed** - Check the slow query log.

## Operations

- [ ] Runbook written
`;

describe("createProject with a checklist", () => {
  it("from a template version: records the version and copies the items with their template keys, all TODO", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const lead = await makeUser();
    const template = await createTemplate(ctx(admin), { name: `Service ${randomUUID().slice(0, 8)}`, markdown: TEMPLATE_MD });
    const version = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id, version: 1 } });
    const c = ctx(admin);

    const created = await createProject(c, { name: "From a template", slug: `tpl-${randomUUID()}`, templateVersionId: version.id, leadUserId: lead.id });

    expect((await db.project.findUniqueOrThrow({ where: { id: created.id } })).templateVersionId).toBe(version.id);
    expect(await treeOf(created.id)).toEqual([
      {
        title: "Database",
        position: 0,
        items: [
          { title: "Backups run nightly", status: "TODO", children: [{ title: "Restore tested", status: "TODO", children: [] }] },
          { title: "Indexes reviewed", status: "TODO", children: [] },
        ],
      },
      { title: "Operations", position: 1, items: [{ title: "Runbook written", status: "TODO", children: [] }] },
    ]);
    const items = await db.checklistItem.findMany({ where: { projectId: created.id }, include: { evidence: true } });
    const keys = new Map(flattenKeyed(fromStoredContent(version.content)).map((entry) => [entry.item.title, entry.item.key]));
    expect(items).toHaveLength(version.itemCount);
    for (const item of items) {
      expect(item.templateKey, item.title).toBe(keys.get(item.title));
      expect(item.templateKey).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect(item.evidence).toEqual([]);
    }
    expect(items.find((item) => item.title === "Indexes reviewed")?.details).toBe("Check the slow query log.");

    const events = await eventsOf(c.requestId);
    expect(events.map((event) => event.action)).toEqual([auditActions.PROJECT_CREATED, auditActions.CHECKLIST_IMPORTED]);
    expect(events[1]?.after).toMatchObject({ origin: { kind: "template", templateVersionId: version.id, version: 1 } });
  });

  it("from an uploaded file: the items are imported, no template version", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const c = ctx(admin);

    const created = await createProject(c, { name: "From a file", slug: `file-${randomUUID()}` }, { markdown: new TextEncoder().encode(PAYMENTS_MD), source: "payments.md" });

    expect((await db.project.findUniqueOrThrow({ where: { id: created.id } })).templateVersionId).toBeNull();
    expect(await treeOf(created.id)).toEqual(PAYMENTS_TREE.map((section, position) => ({ ...section, position })));
    expect(await db.evidence.findMany({ where: { item: { projectId: created.id } }, select: { note: true } })).toEqual([
      { note: "Imported as checked from payments.md." },
      { note: "Imported as checked from payments.md." },
    ]);
    expect((await eventsOf(c.requestId)).map((event) => event.action)).toEqual([auditActions.PROJECT_CREATED, auditActions.CHECKLIST_IMPORTED]);
  });

  it("with both a template and a file: INVALID_INPUT, no project, no event", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const template = await createTemplate(ctx(admin), { name: `Service ${randomUUID().slice(0, 8)}`, markdown: TEMPLATE_MD });
    const version = await db.templateVersion.findFirstOrThrow({ where: { templateId: template.id } });
    const slug = `both-${randomUUID()}`;
    const c = ctx(admin);

    const error = await expectAppError(createProject(c, { name: "Both", slug, templateVersionId: version.id }, { markdown: PAYMENTS_MD, source: "payments.md" }), "INVALID_INPUT");

    expect(error.fieldErrors?.templateVersionId).toBeDefined();
    expect(await db.project.count({ where: { slug } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("with a refused file: INVALID_INPUT on `file`, no project, no event", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const slug = `empty-${randomUUID()}`;
    const c = ctx(admin);

    const error = await expectAppError(createProject(c, { name: "Empty file", slug }, { markdown: "# Nothing to check\n", source: "empty.md" }), "INVALID_INPUT");

    expect(error.fieldErrors?.file).toBeDefined();
    expect(await db.project.count({ where: { slug } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("with a template version that does not exist: INVALID_INPUT and the project written before the check is rolled back", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const slug = `ghost-${randomUUID()}`;
    const c = ctx(admin);

    const error = await expectAppError(createProject(c, { name: "Ghost template", slug, templateVersionId: randomUUID() }), "INVALID_INPUT");

    expect(error.fieldErrors?.templateVersionId).toBeDefined();
    expect(await db.project.count({ where: { slug } })).toBe(0);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });
});

describe("updateItem", () => {
  it("bumps the version and records item.updated with the changed fields before and after", async () => {
    const { project, users, as } = await team(["LEAD"]);
    const item = await makeItem(project, { title: "Backups run nightly", area: "DBA" });
    const c = ctx(await as("LEAD"));

    expect(await updateItem(c, { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS", details: "Cron job on the replica." })).toMatchObject({ version: 2, changed: true });

    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "IN_PROGRESS", details: "Cron job on the replica.", version: 2, area: "DBA" });
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: auditActions.ITEM_UPDATED, entityType: "item", entityId: item.id, projectId: project.id, actorId: users.LEAD.id });
    expect(events[0]?.before).toEqual({ status: "TODO", details: "", version: 1, title: "Backups run nightly" });
    expect(events[0]?.after).toEqual({ status: "IN_PROGRESS", details: "Cron job on the replica.", version: 2, title: "Backups run nightly" });
  });

  it("a status-only save from the web form records only the status: the details it resends with CR LF are not a change", async () => {
    const { project, as } = await team(["LEAD"]);
    const details = "Restore drill:\n\n1. Take the snapshot.\n2. Restore it to staging.";
    const item = await makeItem(project, { title: "Restore tested", area: "DBA", details });
    const c = ctx(await as("LEAD"));
    // What a browser posts for the item form: every field, the textarea's line breaks as CR LF.
    const form = new FormData();
    for (const [name, value] of Object.entries({ itemId: item.id, expectedVersion: "1", status: "IN_PROGRESS", area: "DBA", note: "", details: details.replaceAll("\n", "\r\n") })) form.append(name, value);

    expect(await updateItem(c, formToObject(form))).toMatchObject({ version: 2, changed: true });

    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "IN_PROGRESS", details, version: 2 });
    const [event] = await eventsOf(c.requestId);
    expect(event?.before).toEqual({ status: "TODO", version: 1, title: "Restore tested" });
    expect(event?.after).toEqual({ status: "IN_PROGRESS", version: 2, title: "Restore tested" });
  });

  it("a save whose only difference from the stored text is line endings or blanks changes nothing", async () => {
    const { project, as } = await team(["LEAD"]);
    // Details stored with CR LF before line endings were normalized on the way in.
    const item = await makeItem(project, { title: "Pager rota", details: "Line one\r\nLine two" });
    const before = await itemState(item.id);
    const c = ctx(await as("LEAD"));

    expect(await updateItem(c, { itemId: item.id, expectedVersion: 1, status: "TODO", title: "  Pager rota  ", details: "Line one\nLine two\n" })).toMatchObject({ version: 1, changed: false });

    expect(await itemState(item.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("marks a required item done with a link as its evidence in one step, audited as one change", async () => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project, { title: "Load test passed", area: "DEVOPS" });
    const c = ctx(await as("LEAD"));

    expect(await updateItem(c, { itemId: item.id, expectedVersion: 1, status: "DONE", link: "https://ci.example.org/runs/42", note: "p99 under 300 ms" })).toMatchObject({ version: 2, changed: true });

    expect(await db.evidence.findMany({ where: { itemId: item.id }, select: { kind: true, url: true, note: true } })).toEqual([{ kind: "LINK", url: "https://ci.example.org/runs/42", note: "p99 under 300 ms" }]);
    const [event] = await eventsOf(c.requestId);
    expect(event?.after).toMatchObject({ status: "DONE", link: "https://ci.example.org/runs/42", note: "p99 under 300 ms" });
    await expectAppError(updateItem(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 2, link: "ftp://files.example.org/x" }), "INVALID_INPUT");
  });

  it("changes nothing and records nothing when nothing differs", async () => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project, { status: "IN_PROGRESS" });
    const before = await itemState(item.id);
    const c = ctx(await as("LEAD"));

    expect(await updateItem(c, { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" })).toMatchObject({ version: 1, changed: false });

    expect(await itemState(item.id)).toEqual(before);
    expect(await eventsOf(c.requestId)).toEqual([]);
  });

  it("refuses a stale expectedVersion with CONFLICT carrying the current state, and changes nothing", async () => {
    const { project, as } = await team(["LEAD", "DBA"]);
    const item = await makeItem(project, { area: "DBA" });
    await updateItem(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 1, status: "BLOCKED", statusReason: "Waiting for the replica." });

    const error = await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" }), await as("DBA"), "CONFLICT");

    expect(error.data?.current).toMatchObject({ id: item.id, status: "BLOCKED", statusReason: "Waiting for the replica.", version: 2 });
  });

  it.each([1, 2, 3])("two concurrent updates from the same version: exactly one succeeds (round %i)", async () => {
    const { project, as } = await team(["LEAD", "DBA"]);
    const item = await makeItem(project, { area: "DBA" });
    const [first, second] = [ctx(await as("LEAD")), ctx(await as("DBA"))];

    const results = await Promise.allSettled([
      updateItem(first, { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" }),
      updateItem(second, { itemId: item.id, expectedVersion: 1, status: "BLOCKED", statusReason: "No replica yet." }),
    ]);

    const codes = results.map((result) => (result.status === "fulfilled" ? "OK" : result.reason instanceof AppError ? result.reason.code : String(result.reason))).sort();
    expect(codes).toEqual(["CONFLICT", "OK"]);
    const winner = results[0]?.status === "fulfilled" ? "IN_PROGRESS" : "BLOCKED";
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: winner, version: 2 });
    const events = [...(await eventsOf(first.requestId)), ...(await eventsOf(second.requestId))];
    expect(events.map((event) => (event.after as { status: string }).status)).toEqual([winner]);
  });

  it("refuses DONE on a required item without evidence, naming `note`", async () => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project);
    const error = await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, status: "DONE" }), await as("LEAD"), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["note"]);
  });

  it("allows DONE with a `note`, which becomes NOTE evidence", async () => {
    const { project, users, as } = await team(["LEAD"]);
    const item = await makeItem(project);
    const c = ctx(await as("LEAD"));

    expect(await updateItem(c, { itemId: item.id, expectedVersion: 1, status: "DONE", note: "Restored last night's backup into staging." })).toMatchObject({ version: 2, changed: true });

    const state = await db.checklistItem.findUniqueOrThrow({ where: { id: item.id }, include: { evidence: true } });
    expect(state.status).toBe("DONE");
    expect(state.evidence).toEqual([expect.objectContaining({ kind: "NOTE", url: null, note: "Restored last night's backup into staging.", addedById: users.LEAD.id, addedByName: users.LEAD.name })]);
    expect((await eventsOf(c.requestId))[0]?.after).toMatchObject({
      status: "DONE",
      note: "Restored last night's backup into staging.",
      evidenceId: state.evidence[0]?.id,
      evidenceCreatedAt: state.evidence[0]?.createdAt.toISOString(),
      version: 2,
    });
  });

  it("allows DONE without evidence on an optional item", async () => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project, { required: false });
    await updateItem(ctx(await as("LEAD")), { itemId: item.id, expectedVersion: 1, status: "DONE" });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "DONE", version: 2 });
    expect(await db.evidence.count({ where: { itemId: item.id } })).toBe(0);
  });

  it.each(["NOT_APPLICABLE", "BLOCKED"] as const)("refuses %s without a reason, naming statusReason, and keeps one given", async (status) => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project);
    const lead = await as("LEAD");
    const error = await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, status, statusReason: "  " }), lead, "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["statusReason"]);

    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, status, statusReason: "No personal data is stored." });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status, statusReason: "No personal data is stored.", version: 2 });
  });

  it.each([
    ["everything", { status: "WAIVED", waiverRiskOwnerId: undefined }, ["statusReason", "waiverExpiresAt", "waiverRiskOwnerId"]],
    ["a reason", { ...waiver, statusReason: undefined }, ["statusReason"]],
    ["a risk owner", { ...waiver, waiverRiskOwnerId: "" }, ["waiverRiskOwnerId"]],
    ["an expiry", { ...waiver, waiverExpiresAt: undefined }, ["waiverExpiresAt"]],
    ["a future expiry", { ...waiver, waiverExpiresAt: isoDay(-1) }, ["waiverExpiresAt"]],
  ])("refuses a waiver missing %s, naming each missing field", async (_name, change, fields) => {
    const { project, users, as } = await team(["LEAD"]);
    const item = await makeItem(project, { area: "SECURITY" });
    const error = await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, waiverRiskOwnerId: users.LEAD.id, ...change }), await as("LEAD"), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {}).sort()).toEqual(fields);
  });

  it.each([
    ["the area's owner (SECURITY on a SECURITY item)", "SECURITY", "SECURITY"],
    ["the area's owner (DBA on a DBA item)", "DBA", "DBA"],
    ["a LEAD", "LEAD", "SECURITY"],
  ] as const)("takes a waiver request from %s and records who asked: it does not count until someone else accepts it", async (_name, role, area) => {
    const { project, users, as } = await team(["LEAD", role]);
    const item = await makeItem(project, { area, title: "TLS everywhere" });
    const actor = await as(role);
    const c = ctx(actor);

    await updateItem(c, { itemId: item.id, expectedVersion: 1, ...waiver, waiverRiskOwnerId: users.LEAD.id, waiverControls: "Network policy denies outside traffic." });

    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({
      status: "WAIVED",
      statusReason: waiver.statusReason,
      waiverRiskOwnerId: users.LEAD.id,
      waiverRiskOwner: users.LEAD.name,
      waiverAcceptedAt: null,
      waiverControls: "Network policy denies outside traffic.",
      waiverExpiresAt: new Date(`${waiver.waiverExpiresAt}T23:59:59.999Z`),
      waiverGrantedById: users[role].id,
      waiverGrantedByName: users[role].name,
      version: 2,
    });
    const view = viewOf(await getChecklist(actor, project.slug), "TLS everywhere");
    expect(view).toMatchObject({ status: "WAIVED", effectiveStatus: "WAIVER_REQUESTED", waiverGrantedByName: users[role].name, waiverExpiresAt: waiver.waiverExpiresAt, canDecideWaiver: false });
    expect((await eventsOf(c.requestId))[0]?.after).toMatchObject({ status: "WAIVED", waiverGrantedByName: users[role].name, waiverRiskOwner: users.LEAD.name, waiverRiskOwnerId: users.LEAD.id });
  });

  it.each([
    ["the owner of another area (DBA on a GENERAL item they may work)", "DBA", "GENERAL"],
    ["the owner of another area (DBA on a SECURITY item)", "DBA", "SECURITY"],
    ["the owner of another area (DEVOPS on a SECURITY item)", "DEVOPS", "SECURITY"],
    ["an APPROVER", "APPROVER", "SECURITY"],
    ["a VIEWER", "VIEWER", "SECURITY"],
  ] as const)("refuses a waiver from %s with FORBIDDEN", async (_name, role, area) => {
    const { project, as } = await team(["LEAD", role]);
    const item = await makeItem(project, { area });
    await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, ...waiver, waiverRiskOwnerId: randomUUID() }), await as(role), "FORBIDDEN");
  });

  it("refuses a waiver from an ADMIN who is not a member (FORBIDDEN), though they may work the item", async () => {
    const { project } = await team(["LEAD"]);
    const item = await makeItem(project, { area: "SECURITY" });
    const { actor: admin } = await makeActor(["ADMIN"]);

    await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, ...waiver, waiverRiskOwnerId: randomUUID() }), admin, "FORBIDDEN");

    await updateItem(ctx(admin), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ status: "IN_PROGRESS", version: 2 });
  });

  it("an expired waiver shows as WAIVER_EXPIRED and no longer counts as satisfied", async () => {
    const { project, as } = await team(["LEAD"]);
    // An accepted waiver (the factory's default for WAIVED).
    const item = await makeItem(project, { area: "SECURITY", title: "Pen test", status: "WAIVED", statusReason: waiver.statusReason, waiverRiskOwner: "Sam", waiverExpiresAt: new Date(Date.now() + 30 * 86_400_000) });
    await makeItem(project, { title: "Runbook written", status: "NOT_APPLICABLE", statusReason: "Managed service." });
    const lead = await as("LEAD");

    const valid = await getChecklist(lead, project.slug);
    expect(viewOf(valid, "Pen test").effectiveStatus).toBe("WAIVED");
    expect(valid.totals).toMatchObject({ items: 2, required: 2, requiredSatisfied: 2, satisfied: 2 });

    await db.checklistItem.update({ where: { id: item.id }, data: { waiverExpiresAt: new Date(Date.now() - 60_000) } });

    const expired = await getChecklist(lead, project.slug);
    expect(viewOf(expired, "Pen test")).toMatchObject({ status: "WAIVED", effectiveStatus: "WAIVER_EXPIRED" });
    expect(expired.totals).toMatchObject({ items: 2, required: 2, requiredSatisfied: 1, satisfied: 1 });
    expect(expired.totals.byStatus).toMatchObject({ WAIVED: 0, WAIVER_EXPIRED: 1, NOT_APPLICABLE: 1 });
    expect(allItems(await getChecklist(lead, project.slug, { status: "OPEN" })).map((view) => view.title)).toEqual(["Pen test"]);
    expect(allItems(await getChecklist(lead, project.slug, { status: "WAIVER_EXPIRED" })).map((view) => view.title)).toEqual(["Pen test"]);
  });
});

describe("area rules", () => {
  it("a DBA member may work a DBA item and a GENERAL item, but gets FORBIDDEN on a SECURITY item", async () => {
    const { project, as } = await team(["LEAD", "DBA"]);
    const dbaItem = await makeItem(project, { area: "DBA" });
    const generalItem = await makeItem(project, { area: "GENERAL" });
    const securityItem = await makeItem(project, { area: "SECURITY" });
    const dba = await as("DBA");

    await updateItem(ctx(dba), { itemId: dbaItem.id, expectedVersion: 1, status: "IN_PROGRESS" });
    await updateItem(ctx(dba), { itemId: generalItem.id, expectedVersion: 1, status: "IN_PROGRESS" });
    await expectItemUnchanged(securityItem.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: securityItem.id, expectedVersion: 1, status: "IN_PROGRESS" }), dba, "FORBIDDEN");
    await expectItemUnchanged(securityItem.id, (requestId, actor) => addEvidence({ actor, requestId }, { itemId: securityItem.id, expectedVersion: 1, kind: "NOTE", note: "Done." }), dba, "FORBIDDEN");

    expect(await db.checklistItem.findMany({ where: { id: { in: [dbaItem.id, generalItem.id] } }, select: { status: true, version: true } })).toEqual([
      { status: "IN_PROGRESS", version: 2 },
      { status: "IN_PROGRESS", version: 2 },
    ]);
  });

  it("moving an item to an area the actor does not own is FORBIDDEN; to GENERAL is allowed", async () => {
    const { project, as } = await team(["LEAD", "DBA"]);
    const item = await makeItem(project, { area: "DBA" });
    const dba = await as("DBA");

    await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, area: "SECURITY" }), dba, "FORBIDDEN");

    await updateItem(ctx(dba), { itemId: item.id, expectedVersion: 1, area: "GENERAL" });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ area: "GENERAL", version: 2 });
  });

  it.each([
    ["the title", { title: "Backups run hourly" }],
    ["the required flag", { required: false }],
  ])("changing %s needs LEAD: the area owner gets FORBIDDEN, the lead may", async (_name, change) => {
    const { project, as } = await team(["LEAD", "DBA"]);
    const item = await makeItem(project, { area: "DBA", title: "Backups run nightly" });

    await expectItemUnchanged(item.id, (requestId, actor) => updateItem({ actor, requestId }, { itemId: item.id, expectedVersion: 1, ...change }), await as("DBA"), "FORBIDDEN");

    const c = ctx(await as("LEAD"));
    await updateItem(c, { itemId: item.id, expectedVersion: 1, ...change });
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ ...change, version: 2 });
    expect((await eventsOf(c.requestId))[0]?.after).toMatchObject(change);
  });

  it("an AUDITOR gets FORBIDDEN for every change, even as a LEAD member, and sees no action offered", async () => {
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    const lead = await makeUser();
    const project = await makeProject([
      { user: lead, roles: ["LEAD"] },
      { user: auditor, roles: ["LEAD", "DBA"] },
    ]);
    const item = await makeItem(project, { area: "DBA", title: "Backups run nightly" });
    const leadActor = await actorFor(lead);
    const { evidenceId } = await addEvidence(ctx(leadActor), { itemId: item.id, expectedVersion: 1, kind: "NOTE", note: "Cron job exists." });
    const actor = await actorFor(auditor);

    const attempts: [string, (requestId: string, actor: Actor) => Promise<unknown>][] = [
      ["updateItem", (requestId, a) => updateItem({ actor: a, requestId }, { itemId: item.id, expectedVersion: 2, status: "IN_PROGRESS" })],
      ["waive", (requestId, a) => updateItem({ actor: a, requestId }, { itemId: item.id, expectedVersion: 2, ...waiver, waiverRiskOwnerId: lead.id })],
      ["addEvidence", (requestId, a) => addEvidence({ actor: a, requestId }, { itemId: item.id, expectedVersion: 2, kind: "LINK", url: "https://example.org/backup" })],
      ["removeEvidence", (requestId, a) => removeEvidence({ actor: a, requestId }, { itemId: item.id, expectedVersion: 2, evidenceId })],
      ["addComment", (requestId, a) => addComment({ actor: a, requestId }, { itemId: item.id, body: "Looks fine." })],
    ];
    for (const [, attempt] of attempts) await expectItemUnchanged(item.id, attempt, actor, "FORBIDDEN");

    const before = await checklistState(project.id);
    await expectAppError(importChecklist(ctx(actor), { projectId: project.id, markdown: PAYMENTS_MD, source: "payments.md" }), "FORBIDDEN");
    expect(await checklistState(project.id)).toEqual(before);

    const view = await getChecklist(actor, project.slug);
    expect(viewOf(view, "Backups run nightly")).toMatchObject({ canWork: false, canWaive: false, canComment: false });
    expect(view.canEdit).toBe(false);
  });
});

describe("evidence and comments", () => {
  it("addEvidence: a LINK with an https URL bumps the version and is audited", async () => {
    const { project, users, as } = await team(["LEAD", "DBA"]);
    const item = await makeItem(project, { area: "DBA", title: "Backups run nightly" });
    const c = ctx(await as("DBA"));

    const result = await addEvidence(c, { itemId: item.id, expectedVersion: 1, kind: "LINK", url: "https://wiki.example.org/backups", note: "Runbook" });

    expect(result.version).toBe(2);
    expect(await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).toMatchObject({ version: 2, status: "TODO" });
    const evidence = await db.evidence.findMany({ where: { itemId: item.id } });
    expect(evidence).toEqual([
      expect.objectContaining({ id: result.evidenceId, kind: "LINK", url: "https://wiki.example.org/backups", note: "Runbook", addedById: users.DBA.id, addedByName: users.DBA.name }),
    ]);
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: auditActions.EVIDENCE_ADDED, entityType: "item", entityId: item.id, projectId: project.id, actorId: users.DBA.id });
    expect(events[0]?.after).toEqual({
      id: result.evidenceId,
      kind: "LINK",
      url: "https://wiki.example.org/backups",
      note: "Runbook",
      addedByName: users.DBA.name,
      createdAt: evidence[0]?.createdAt.toISOString(),
      itemTitle: "Backups run nightly",
      version: 2,
    });
  });

  it.each(["javascript:alert(document.cookie)", "ftp://files.example.org/backup.tar", "not a link", "data:text/html,<script>alert(1)</script>"])(
    "addEvidence refuses the link %s as INVALID_INPUT naming url",
    async (url) => {
      const { project, as } = await team(["LEAD"]);
      const item = await makeItem(project);
      const error = await expectItemUnchanged(item.id, (requestId, actor) => addEvidence({ actor, requestId }, { itemId: item.id, expectedVersion: 1, kind: "LINK", url }), await as("LEAD"), "INVALID_INPUT");
      expect(Object.keys(error.fieldErrors ?? {})).toEqual(["url"]);
    },
  );

  it("addEvidence on a stale version: CONFLICT, no evidence added", async () => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project);
    const lead = await as("LEAD");
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, status: "IN_PROGRESS" });
    await expectItemUnchanged(item.id, (requestId, actor) => addEvidence({ actor, requestId }, { itemId: item.id, expectedVersion: 1, kind: "NOTE", note: "Done." }), lead, "CONFLICT");
  });

  it("removeEvidence refuses (CONFLICT) to leave a DONE required item without evidence", async () => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project);
    const lead = await as("LEAD");
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, status: "DONE", note: "Verified." });
    const [evidence] = await db.evidence.findMany({ where: { itemId: item.id } });
    if (!evidence) throw new Error("no evidence");

    await expectItemUnchanged(item.id, (requestId, actor) => removeEvidence({ actor, requestId }, { itemId: item.id, expectedVersion: 2, evidenceId: evidence.id }), lead, "CONFLICT");
  });

  it("removeEvidence removes one of two, bumps the version and is audited; then refuses the last one", async () => {
    const { project, users, as } = await team(["LEAD"]);
    const item = await makeItem(project, { title: "Restore tested" });
    const lead = await as("LEAD");
    await updateItem(ctx(lead), { itemId: item.id, expectedVersion: 1, status: "DONE", note: "Verified." });
    const link = await addEvidence(ctx(lead), { itemId: item.id, expectedVersion: 2, kind: "LINK", url: "https://ci.example.org/restore/42" });
    const c = ctx(lead);

    expect(await removeEvidence(c, { itemId: item.id, expectedVersion: 3, evidenceId: link.evidenceId })).toEqual({ version: 4 });

    expect(await db.evidence.findMany({ where: { itemId: item.id }, select: { note: true } })).toEqual([{ note: "Verified." }]);
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).version).toBe(4);
    const events = await eventsOf(c.requestId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: auditActions.EVIDENCE_REMOVED, entityId: item.id, projectId: project.id, actorId: users.LEAD.id, after: { version: 4 } });
    expect(events[0]?.before).toEqual({ id: link.evidenceId, kind: "LINK", url: "https://ci.example.org/restore/42", note: "", addedByName: users.LEAD.name, itemTitle: "Restore tested" });

    const [last] = await db.evidence.findMany({ where: { itemId: item.id } });
    await expectItemUnchanged(item.id, (requestId, actor) => removeEvidence({ actor, requestId }, { itemId: item.id, expectedVersion: 4, evidenceId: last?.id ?? "" }), lead, "CONFLICT");
  });

  it("removeEvidence may remove the only evidence of an item that is not DONE, and not evidence of another item", async () => {
    const { project, as } = await team(["LEAD"]);
    const item = await makeItem(project);
    const other = await makeItem(project);
    const lead = await as("LEAD");
    const added = await addEvidence(ctx(lead), { itemId: item.id, expectedVersion: 1, kind: "NOTE", note: "Half done." });

    await expectItemUnchanged(other.id, (requestId, actor) => removeEvidence({ actor, requestId }, { itemId: other.id, expectedVersion: 1, evidenceId: added.evidenceId }), lead, "NOT_FOUND");
    expect(await db.evidence.count({ where: { id: added.evidenceId } })).toBe(1);

    await removeEvidence(ctx(lead), { itemId: item.id, expectedVersion: 2, evidenceId: added.evidenceId });
    expect(await db.evidence.count({ where: { itemId: item.id } })).toBe(0);
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).version).toBe(3);
  });

  it("addComment: every member but a VIEWER may comment on any item; audited; the item's version does not move", async () => {
    const { project, users, as } = await team();
    const item = await makeItem(project, { area: "SECURITY", title: "TLS everywhere" });

    for (const role of ["LEAD", "DEVOPS", "DBA", "SECURITY", "APPROVER"] as const) {
      const c = ctx(await as(role));
      const { commentId } = await addComment(c, { itemId: item.id, body: `Checked by ${role}.` });
      const comment = await db.comment.findUniqueOrThrow({ where: { id: commentId } });
      expect(comment).toMatchObject({ itemId: item.id, authorId: users[role].id, authorName: users[role].name, body: `Checked by ${role}.` });
      expect(await eventsOf(c.requestId)).toEqual([
        expect.objectContaining({
          action: auditActions.COMMENT_ADDED,
          entityId: item.id,
          projectId: project.id,
          actorId: users[role].id,
          after: { commentId, body: `Checked by ${role}.`, itemTitle: "TLS everywhere", createdAt: comment.createdAt.toISOString() },
        }),
      ]);
    }
    expect((await db.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).version).toBe(1);

    const comment = (requestId: string, actor: Actor) => addComment({ actor, requestId }, { itemId: item.id, body: "Me too." });
    await expectItemUnchanged(item.id, comment, await as("VIEWER"), "FORBIDDEN");
    await expectItemUnchanged(item.id, comment, (await makeActor()).actor, "NOT_FOUND");
  });
});

describe("getChecklist", () => {
  /** Platform: Deploy pipeline (DEVOPS) > Migrations run in the pipeline (DBA) > Migration rollback tested (DBA, DONE); Backups (DBA, N/A). Security: TLS (WAIVED), Pen test (BLOCKED), Incident contacts (GENERAL). */
  async function fixture() {
    const t = await team(["LEAD", "DBA", "VIEWER"]);
    const platform = await makeSection(t.project, "Platform");
    const security = await makeSection(t.project, "Security");
    const pipeline = await makeItem(t.project, { sectionId: platform.id, title: "Deploy pipeline", area: "DEVOPS" });
    const migrations = await makeItem(t.project, { parentId: pipeline.id, title: "Migrations run in the pipeline", area: "DBA" });
    await makeItem(t.project, { parentId: migrations.id, title: "Migration rollback tested", area: "DBA", status: "DONE" });
    await makeItem(t.project, { sectionId: platform.id, title: "Backups", area: "DBA", status: "NOT_APPLICABLE", statusReason: "Managed database." });
    await makeItem(t.project, { sectionId: security.id, title: "TLS", area: "SECURITY", status: "WAIVED", statusReason: "Internal only.", waiverRiskOwner: "Sam", waiverExpiresAt: new Date(Date.now() + 86_400_000) });
    await makeItem(t.project, { sectionId: security.id, title: "Pen test", area: "SECURITY", status: "BLOCKED", statusReason: "Vendor booked." });
    await makeItem(t.project, { sectionId: security.id, title: "Incident contacts", area: "GENERAL" });
    return t;
  }

  const shape = (view: ChecklistView) => view.sections.map((section) => ({ title: section.title, items: section.items.map((item) => ({ title: item.title, path: item.path, children: item.children.length })) }));

  it("without a filter: the tree in order, with totals", async () => {
    const { project, as } = await fixture();
    const view = await getChecklist(await as("LEAD"), project.slug);
    expect(view.filtered).toBe(false);
    expect(view.sections.map((section) => [section.title, section.items.map((item) => item.title), section.total, section.satisfied])).toEqual([
      ["Platform", ["Deploy pipeline", "Backups"], 4, 2],
      ["Security", ["TLS", "Pen test", "Incident contacts"], 3, 1],
    ]);
    expect(viewOf(view, "Migration rollback tested").path).toEqual(["Deploy pipeline", "Migrations run in the pipeline"]);
    expect(view.totals).toEqual({
      items: 7,
      satisfied: 3,
      required: 7,
      requiredSatisfied: 3,
      byStatus: { TODO: 3, IN_PROGRESS: 0, BLOCKED: 1, DONE: 1, NOT_APPLICABLE: 1, WAIVED: 1, WAIVER_EXPIRED: 0, WAIVER_REQUESTED: 0 },
    });
  });

  it("filters by area: the matching items, flattened, with their path", async () => {
    const { project, as } = await fixture();
    const view = await getChecklist(await as("LEAD"), project.slug, { area: "DBA" });
    expect(view.filtered).toBe(true);
    expect(shape(view)).toEqual([
      {
        title: "Platform",
        items: [
          { title: "Migrations run in the pipeline", path: ["Deploy pipeline"], children: 0 },
          { title: "Migration rollback tested", path: ["Deploy pipeline", "Migrations run in the pipeline"], children: 0 },
          { title: "Backups", path: [], children: 0 },
        ],
      },
    ]);
    // Totals describe the whole checklist, not the filtered view.
    expect(view.totals.items).toBe(7);
  });

  it("filters by status: OPEN is everything not satisfied; a plain status matches exactly; both filters combine", async () => {
    const { project, as } = await fixture();
    const lead = await as("LEAD");
    expect(shape(await getChecklist(lead, project.slug, { status: "OPEN" }))).toEqual([
      {
        title: "Platform",
        items: [
          { title: "Deploy pipeline", path: [], children: 0 },
          { title: "Migrations run in the pipeline", path: ["Deploy pipeline"], children: 0 },
        ],
      },
      {
        title: "Security",
        items: [
          { title: "Pen test", path: [], children: 0 },
          { title: "Incident contacts", path: [], children: 0 },
        ],
      },
    ]);
    expect(allItems(await getChecklist(lead, project.slug, { status: "DONE" })).map((item) => item.title)).toEqual(["Migration rollback tested"]);
    expect(allItems(await getChecklist(lead, project.slug, { status: "WAIVED" })).map((item) => item.title)).toEqual(["TLS"]);
    expect(allItems(await getChecklist(lead, project.slug, { area: "DBA", status: "OPEN" })).map((item) => item.title)).toEqual(["Migrations run in the pipeline"]);
    expect((await getChecklist(lead, project.slug, { area: "DEVOPS", status: "DONE" })).sections).toEqual([]);
  });

  it("the OPEN filter agrees with the status shown: a waiver on its last day is WAIVED and not OPEN", async () => {
    const { project, as } = await team(["LEAD"]);
    // Waivers run to the end of their expiry day (updateItem stores YYYY-MM-DDT23:59:59.999Z).
    await makeItem(project, { title: "Last day", area: "SECURITY", status: "WAIVED", statusReason: "Accepted.", waiverRiskOwner: "Sam", waiverExpiresAt: new Date("2030-06-15T23:59:59.999Z") });
    await makeItem(project, { title: "Still to do" });
    const lead = await as("LEAD");
    const noon = new Date("2030-06-15T12:00:00.000Z");

    const view = await getChecklist(lead, project.slug, {}, noon);
    expect(viewOf(view, "Last day").effectiveStatus).toBe("WAIVED");
    expect(view.totals.satisfied).toBe(1);

    expect(allItems(await getChecklist(lead, project.slug, { status: "WAIVED" }, noon)).map((item) => item.title)).toEqual(["Last day"]);
    expect(allItems(await getChecklist(lead, project.slug, { status: "OPEN" }, noon)).map((item) => item.title)).toEqual(["Still to do"]);
  });

  it("refuses a non-member with NOT_FOUND", async () => {
    const { project } = await fixture();
    await expectAppError(getChecklist((await makeActor()).actor, project.slug), "NOT_FOUND");
  });

  it("sets canWork, canWaive and canComment per item from the policy", async () => {
    const { project, as } = await fixture();
    const flags = async (actor: Actor) => {
      const view = await getChecklist(actor, project.slug);
      return {
        canEdit: view.canEdit,
        items: Object.fromEntries(allItems(view).map((item) => [item.title, [item.canWork, item.canWaive, item.canComment]])),
      };
    };
    const all = (value: [boolean, boolean, boolean]) =>
      Object.fromEntries(["Deploy pipeline", "Migrations run in the pipeline", "Migration rollback tested", "Backups", "TLS", "Pen test", "Incident contacts"].map((title) => [title, value]));

    expect(await flags(await as("LEAD"))).toEqual({ canEdit: true, items: all([true, true, true]) });
    expect(await flags(await as("VIEWER"))).toEqual({ canEdit: false, items: all([false, false, false]) });
    expect(await flags(await as("DBA"))).toEqual({
      canEdit: false,
      items: {
        "Deploy pipeline": [false, false, true],
        "Migrations run in the pipeline": [true, true, true],
        "Migration rollback tested": [true, true, true],
        Backups: [true, true, true],
        TLS: [false, false, true],
        "Pen test": [false, false, true],
        "Incident contacts": [true, false, true],
      },
    });
    expect(await flags((await makeActor(["ADMIN"])).actor)).toEqual({ canEdit: true, items: all([true, false, true]) });
    expect(await flags((await makeActor(["AUDITOR"])).actor)).toEqual({ canEdit: false, items: all([false, false, false]) });
  });
});
