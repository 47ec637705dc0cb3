import { randomUUID } from "node:crypto";
import { createLead, createUser, expect, expectAccessible, openItem, signIn, signInAsDemo, test, TEST_PASSWORD, testDb } from "./support/fixtures";

// The checklist journey: a lead starts a project from a built-in template, an owner works
// their area with evidence, and a stale edit from another tab is refused.

test("a lead creates a project from a template; an owner marks items done with evidence; a stale tab is refused", async ({ page, browser }) => {
  const name = `Payments API ${randomUUID().slice(0, 6)}`;
  const lead = await createLead("Lina Lead");
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.getByRole("link", { name: "New project" }).click();
  await expectAccessible(page);
  const form = page.getByRole("form", { name: "New project" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("combobox", { name: /^Template/ }).selectOption({ label: "Data pipeline on Docker with Kafka, HDFS and PostgreSQL (v1, 69 items)" });
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByText("0 of 69 required items ready")).toBeVisible();
  await expectAccessible(page);

  const project = await testDb().project.findFirstOrThrow({ where: { name }, select: { id: true, slug: true, templateVersionId: true } });
  expect(project.templateVersionId).not.toBeNull();
  const owner = await createUser("Dana Dba");
  await testDb().projectMember.create({ data: { projectId: project.id, userId: owner.id, roles: ["DBA"] } });

  const ownerContext = await browser.newContext();
  const tabA = await ownerContext.newPage();
  await signIn(tabA, owner.email, TEST_PASSWORD);
  await tabA.goto(`/projects/${project.slug}?area=DBA`);
  const firstItem = tabA.getByTestId("checklist-item").first();
  await firstItem.getByRole("button").first().click();
  // The update form is labelled with the item's title as stored (code spans keep their backticks).
  const title = ((await tabA.getByRole("form", { name: /^Update / }).getAttribute("aria-label")) ?? "").replace(/^Update /, "");
  expect(title).not.toBe("");
  await expectAccessible(tabA);

  // A required item cannot be done without evidence; the error names what is missing.
  const update = tabA.getByRole("form", { name: `Update ${title}` });
  await update.getByLabel("Status").selectOption("DONE");
  await update.getByRole("button", { name: "Save" }).click();
  await expect(update.getByText("A required item needs evidence or a note to be marked done.").first()).toBeVisible();

  // Another tab opens the same item now, and will be stale after tab A saves.
  const tabB = await ownerContext.newPage();
  await tabB.goto(`/projects/${project.slug}?area=DBA`);
  await tabB.getByTestId("checklist-item").first().getByRole("button").first().click();

  await update.getByLabel("Status").selectOption("DONE");
  await update.getByLabel("Note", { exact: true }).fill("Checked the index list against the slow-query log.");
  await update.getByRole("button", { name: "Save" }).click();
  await expect(tabA.getByRole("status").filter({ hasText: /Saved: “.+” is done\./ })).toBeVisible();

  const evidenceLink = tabA.getByRole("form", { name: "Add evidence link" });
  await evidenceLink.getByLabel("Link", { exact: true }).fill("https://wiki.example.com/runbooks/db-indexes");
  await evidenceLink.getByRole("button", { name: "Add link" }).click();
  await expect(tabA.getByTestId("evidence").filter({ hasText: "https://wiki.example.com/runbooks/db-indexes" })).toBeVisible();
  await expect(tabA.getByTestId("evidence")).toHaveCount(2);

  // Tab B still shows version 1: its change is refused, and it is told what the item is now.
  const staleUpdate = tabB.getByRole("form", { name: `Update ${title}` });
  await staleUpdate.getByLabel("Status").selectOption("BLOCKED");
  await staleUpdate.getByLabel("What blocks it").fill("Waiting for the DBA team.");
  await staleUpdate.getByRole("button", { name: "Save" }).click();
  await expect(tabB.getByRole("alert").filter({ hasText: "This item changed while you were editing it" })).toBeVisible();
  await expect(tabB.getByRole("alert").filter({ hasText: "Done" })).toBeVisible();

  const item = await testDb().checklistItem.findFirstOrThrow({ where: { projectId: project.id, title }, select: { status: true, version: true } });
  expect(item).toEqual({ status: "DONE", version: 3 });
  const events = await testDb().auditEvent.findMany({ where: { projectId: project.id, actorId: owner.id }, orderBy: { id: "asc" }, select: { action: true } });
  expect(events.map((event) => event.action)).toEqual(["item.updated", "evidence.added"]);

  // The lead's view shows the owner's work.
  await page.reload();
  await expect(page.getByText("1 of 69 required items ready")).toBeVisible();

  // Export: the done item is checked in Markdown and counted in CSV.
  const markdown = await page.request.get(`/api/v1/projects/${project.slug}/export?format=md`);
  expect(markdown.status()).toBe(200);
  expect(await markdown.text()).toContain(`- [x] ${title}`);
  const csv = await (await page.request.get(`/api/v1/projects/${project.slug}/export?format=csv`)).text();
  expect(csv.split(/\r?\n/)[0]).toBe("section,path,title,area,status,required,assignee,due_at,evidence_count,level");
  expect(csv).toMatch(new RegExp(`DBA,DONE,true,,,2`));
  await ownerContext.close();
});

test("an owner cannot work another area's items, and a viewer only reads", async ({ page }) => {
  const lead = await createUser("Lee Lead");
  const security = await createUser("Sec Owner");
  const project = await testDb().project.create({
    data: {
      slug: `e2e-${randomUUID().slice(0, 8)}`,
      name: "Area Rules",
      members: { create: [{ userId: lead.id, roles: ["LEAD"] }, { userId: security.id, roles: ["SECURITY"] }] },
      sections: { create: { title: "Database", position: 0 } },
    },
    select: { id: true, slug: true, sections: { select: { id: true } } },
  });
  const sectionId = project.sections[0]?.id ?? "";
  await testDb().checklistItem.createMany({
    data: [
      { projectId: project.id, sectionId, position: 0, title: "Backups restored in a drill", area: "DBA" },
      { projectId: project.id, sectionId, position: 1, title: "Database TLS enforced", area: "SECURITY" },
    ],
  });
  await signIn(page, security.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);
  await openItem(page, "Backups restored in a drill");
  await expect(page.getByText("You can read this item; its area owners and the project leads work it.")).toBeVisible();
  await openItem(page, "Database TLS enforced");
  await expect(page.getByRole("form", { name: "Update Database TLS enforced" })).toBeVisible();
  // The security owner may waive their own area's item.
  await expect(page.getByRole("form", { name: "Update Database TLS enforced" }).getByLabel("Status").locator("option", { hasText: "Waived" })).toHaveCount(1);
});

test("a lead imports a Markdown file into a project; a file without items is refused", async ({ page }) => {
  const lead = await createUser("Importing Lead");
  const project = await testDb().project.create({
    data: { slug: `e2e-${randomUUID().slice(0, 8)}`, name: "Imported Checklist", members: { create: { userId: lead.id, roles: ["LEAD"] } } },
    select: { slug: true },
  });
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);
  await page.getByRole("link", { name: "Import Markdown" }).first().click();
  const form = page.getByRole("form", { name: "Import checklist" });

  await form.getByLabel("Markdown file").setInputFiles({ name: "notes.md", mimeType: "text/markdown", buffer: Buffer.from("# Notes\n\nJust prose, no tasks.\n") });
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByText(/No task items found/).first()).toBeVisible();

  const markdown =
    "# Launch\n\n## Database\n- [ ] Backups tested\n  - [x] Restore drill done\n\n## Security\n- [ ] Secrets rotated <script>alert(1)</script>\n  - see the [runbook](javascript:alert(1)) and <img src=x onerror=alert(2)>\n";
  await form.getByLabel("Markdown file").setInputFiles({ name: "launch.md", mimeType: "text/markdown", buffer: Buffer.from(markdown) });
  await form.getByRole("button", { name: "Import" }).click();
  await expect(form.getByRole("status")).toHaveText("Imported 3 items in 2 sections (1 already done).");

  await page.getByRole("link", { name: "Back to the checklist" }).click();
  await expect(page.getByRole("heading", { name: "Database", level: 2 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Restore drill done" })).toBeVisible();
  // Script tags in item text are shown as text, never run; a javascript: link in the details is
  // rendered without its target, and raw HTML in the details is not rendered at all.
  let dialogs = 0;
  page.on("dialog", async (dialog) => {
    dialogs++;
    await dialog.dismiss();
  });
  const risky = page.getByRole("button", { name: "Secrets rotated <script>alert(1)</script>" });
  await expect(risky).toBeVisible();
  await risky.click();
  const runbook = page.getByRole("link", { name: "runbook" });
  await expect(runbook).toBeVisible();
  expect((await runbook.getAttribute("href")) ?? "").not.toContain("javascript:");
  await expect(page.locator("main img")).toHaveCount(0);
  await runbook.click();
  expect(dialogs).toBe(0);
  await expectAccessible(page);
});

test("templates: the library lists the built-ins and a template page shows its checklist", async ({ page }) => {
  await signInAsDemo(page, "lead");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Templates" }).click();
  await expect(page.getByTestId("template-row").filter({ hasText: "built-in" })).toHaveCount(5);
  await expectAccessible(page);
  await page.getByRole("link", { name: "FastAPI backend with PostGIS, Redis and MinIO" }).click();
  await expect(page.getByRole("heading", { name: "Checklist (version 1)" })).toBeVisible();
  await expectAccessible(page);
});

test("REST: a lead imports Markdown with POST /import and reads it back with GET /export; others are refused", async ({ page, browser }) => {
  const lead = await createUser("Api Lead");
  const project = await testDb().project.create({
    data: { slug: `e2e-${randomUUID().slice(0, 8)}`, name: "Api Import", members: { create: { userId: lead.id, roles: ["LEAD"] } } },
    select: { slug: true },
  });
  await signIn(page, lead.email, TEST_PASSWORD);
  const origin = new URL(page.url()).origin;
  const body = "# Service\n\n## Operations\n- [x] On-call rota published\n- [ ] Runbook linked\n  - [ ] Escalation path\n";

  const wrongType = await page.request.post(`/api/v1/projects/${project.slug}/import`, { headers: { origin, "content-type": "application/json" }, data: body });
  expect(wrongType.status()).toBe(422);
  expect((await wrongType.json()).error.fieldErrors).toHaveProperty("content-type");

  const imported = await page.request.post(`/api/v1/projects/${project.slug}/import`, { headers: { origin, "content-type": "text/markdown" }, data: body });
  expect(imported.status()).toBe(201);
  expect(await imported.json()).toEqual({ sections: 1, items: 3, checked: 1, maxDepth: 2 });

  const json = await page.request.get(`/api/v1/projects/${project.slug}/export?format=json`);
  expect(json.headers()["content-disposition"]).toContain(`${project.slug}-checklist.json`);
  const exported = await json.json();
  expect(exported.sections[0].title).toBe("Operations");
  expect(exported.sections[0].items.map((item: { title: string; status: string }) => [item.title, item.status])).toEqual([
    ["On-call rota published", "DONE"],
    ["Runbook linked", "TODO"],
  ]);
  expect((await page.request.get(`/api/v1/projects/${project.slug}/export?format=pdf`)).status()).toBe(422);

  const auditorContext = await browser.newContext();
  const auditor = await auditorContext.newPage();
  await signInAsDemo(auditor, "auditor");
  const refused = await auditor.request.post(`/api/v1/projects/${project.slug}/import`, { headers: { origin, "content-type": "text/markdown" }, data: body });
  expect(refused.status()).toBe(403);
  expect(await testDb().checklistItem.count({ where: { project: { slug: project.slug } } })).toBe(3);
  await auditorContext.close();
});

test("templates: a lead edits their template into version 2 and moves a project onto it without losing work", async ({ page }) => {
  const lead = await createLead("Tara Template");
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto("/templates");
  await page.getByText("New template").click();
  const create = page.getByRole("form", { name: "New template" });
  const name = `Service launch ${randomUUID().slice(0, 6)}`;
  await create.getByLabel("Name").fill(name);
  await create.getByLabel("Checklist (Markdown)").fill("# Launch\n\n## Database\n- [ ] Backups tested\n- [ ] Old manual step\n\n## Security\n- [ ] TLS everywhere\n");
  await create.getByRole("button", { name: "Create template" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);

  const templateUrl = page.url();
  // A project made from version 1, through the New project page.
  await page.goto("/projects/new");
  const newProject = page.getByRole("form", { name: "New project" });
  const projectName = `On ${name}`;
  await newProject.getByLabel("Name").fill(projectName);
  await newProject.getByRole("combobox", { name: /^Template/ }).selectOption({ label: `${name} (v1, 3 items)` });
  await newProject.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(projectName);
  const project = await testDb().project.findFirstOrThrow({ where: { name: projectName }, select: { id: true, name: true, slug: true } });
  // Someone works the item that version 2 removes: a comment is enough to keep it.
  const worked = await testDb().checklistItem.findFirstOrThrow({ where: { projectId: project.id, title: "Old manual step" }, select: { id: true } });
  await testDb().comment.create({ data: { itemId: worked.id, authorName: lead.name, body: "We still do this by hand." } });
  await page.goto(templateUrl);

  const edit = page.getByRole("form", { name: "Edit template" });
  await edit.getByLabel("Checklist (Markdown)").fill("# Launch\n\n## Database\n- [ ] Backups tested\n- [ ] Restore drill\n\n## Security\n- [ ] TLS everywhere\n");
  await edit.getByRole("button", { name: "Save as version 2" }).click();
  await expect(edit.getByRole("status")).toContainText("Saved as version 2");

  const outdated = page.getByTestId("outdated-project").filter({ hasText: project.name });
  await expect(outdated).toContainText("Added (1)");
  await expect(outdated).toContainText("Restore drill");
  await expect(outdated).toContainText("Removed (1)");
  await expect(outdated).toContainText("Old manual step");
  await expectAccessible(page);
  await outdated.getByRole("button", { name: `Move ${project.name} to version 2` }).click();
  // Once moved, the project is no longer listed as outdated.
  await expect(outdated).toHaveCount(0);
  const moved = await testDb().project.findUniqueOrThrow({ where: { id: project.id }, select: { templateVersion: { select: { version: true } } } });
  expect(moved.templateVersion?.version).toBe(2);
  const upgrade = await testDb().auditEvent.findFirstOrThrow({ where: { projectId: project.id, action: "checklist.upgraded" }, select: { after: true, actorId: true } });
  expect(upgrade.actorId).toBe(lead.id);
  expect(upgrade.after).toMatchObject({ version: 2, added: [{ title: "Restore drill" }], removed: [], kept: [{ title: "Old manual step" }] });

  await page.goto(`/projects/${project.slug}`);
  await expect(page.getByRole("button", { name: "Restore drill" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Old manual step" })).toBeVisible();
});

test("a lead creates a project from a Markdown file and is told what it gave", async ({ page }) => {
  const lead = await createLead("File Lead");
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto("/projects/new");
  const form = page.getByRole("form", { name: "New project" });
  await form.getByLabel("Name").fill(`From a file ${randomUUID().slice(0, 6)}`);
  await form.getByLabel("A Markdown file").check();
  await form.getByLabel(/^Markdown file/).setInputFiles({
    name: "launch.md",
    mimeType: "text/markdown",
    buffer: Buffer.from("# Launch\n\n## Database\n\n- [ ] Backups tested\n- [x] Replica lag alarm\n\n## Security\n\n- [ ] Secrets in a vault\n"),
  });
  await form.getByRole("button", { name: "Create project" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Project created from your file: 3 items in 2 sections, 1 already done." })).toBeVisible();
  await expect(page.getByTestId("checklist-item")).toHaveCount(3);
});
