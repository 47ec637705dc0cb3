import type { Area, ProjectRole } from "@/lib/generated/prisma/enums";
import { createProject, createUser, expect, expectAccessible, openItem, signIn, test, TEST_PASSWORD, testDb } from "./support/fixtures";

// Leads hand out work and chase it; owners work their area across projects. Each journey
// runs through the pages as that person, against the real server and database.

type Person = { id: string; email: string; name: string };

async function addSection(projectId: string, title: string, position: number, items: { title: string; area: Area }[]) {
  const section = await testDb().checklistSection.create({ data: { projectId, title, position }, select: { id: true } });
  await testDb().checklistItem.createMany({ data: items.map((item, index) => ({ projectId, sectionId: section.id, position: index, title: item.title, area: item.area })) });
  return section.id;
}

async function team(): Promise<{ lead: Person; owners: Record<"DEVOPS" | "DBA" | "SECURITY", Person>; project: { id: string; slug: string; name: string } }> {
  const [lead, devops, dba, security] = await Promise.all([createUser("Lina Lead"), createUser("Dario Devops"), createUser("Dana Dba"), createUser("Sasha Security")]);
  const members: [string, ProjectRole[]][] = [
    [lead.id, ["LEAD"]],
    [devops.id, ["DEVOPS"]],
    [dba.id, ["DBA"]],
    [security.id, ["SECURITY"]],
  ];
  const project = await createProject(members);
  await addSection(project.id, "Database", 0, [
    { title: "Backups run nightly", area: "DBA" },
    { title: "Restore tested", area: "DBA" },
    { title: "Slow query log on", area: "DBA" },
    { title: "TLS to the database", area: "SECURITY" },
  ]);
  await addSection(project.id, "Operations", 1, [
    { title: "Connection pool sized", area: "DBA" },
    { title: "Dashboards exist", area: "DEVOPS" },
    { title: "Secrets in a vault", area: "SECURITY" },
  ]);
  return { lead, owners: { DEVOPS: devops, DBA: dba, SECURITY: security }, project };
}

test("a lead bulk-assigns a section's unassigned DBA items; the owner is told, works one in My area, and the lead's view follows", async ({ page, browser }) => {
  const { lead, owners, project } = await team();
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);

  // Filter to the unassigned DBA items of the Database section; the filter lives in the URL.
  const filters = page.getByRole("form", { name: "Filter items" });
  await filters.getByLabel("Area").selectOption("DBA");
  await filters.getByLabel("Assigned to").selectOption("none");
  await filters.getByLabel("Section").selectOption({ label: "Database" });
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/area=DBA/);
  await expect(page).toHaveURL(/assignee=none/);
  await expect(page.getByTestId("checklist-item")).toHaveCount(3);
  await expectAccessible(page);

  const bulk = page.getByRole("form", { name: /Assign or date the 3 items shown/ });
  // A person without the DBA role is refused for the lot, and nothing changes.
  await bulk.getByLabel("Assign to").selectOption({ label: `${owners.SECURITY.name} (Security)` });
  // A change to many items asks first, naming how many.
  await bulk.getByRole("button", { name: "Apply to 3 items" }).click();
  const confirm = page.getByRole("dialog", { name: "Change 3 items?" });
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  expect(await testDb().auditEvent.count({ where: { projectId: project.id, action: "item.assigned" } })).toBe(0);
  await bulk.getByRole("button", { name: "Apply to 3 items" }).click();
  await confirm.getByRole("button", { name: "Apply to 3 items" }).click();
  await expect(bulk.getByText(`${owners.SECURITY.name} holds no DBA role on this project`)).toBeVisible();
  expect(await testDb().checklistItem.count({ where: { projectId: project.id, assigneeId: { not: null } } })).toBe(0);

  await bulk.getByLabel("Assign to").selectOption({ label: `${owners.DBA.name} (DBA)` });
  await bulk.getByLabel("Due by end of").fill("2030-06-30");
  await bulk.getByRole("button", { name: "Apply to 3 items" }).click();
  await confirm.getByRole("button", { name: "Apply to 3 items" }).click();
  await expect(page.getByRole("status").filter({ hasText: "3 items updated." })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No items shown to assign" })).toBeVisible();
  // The rows left the "unassigned" filter; the DBA view shows them with their assignee.
  await page.goto(`/projects/${project.slug}?area=DBA&assignee=${owners.DBA.id}`);
  await expect(page.getByTestId("checklist-item")).toHaveCount(3);
  await expect(page.getByTestId("checklist-item").first()).toContainText(owners.DBA.name);
  await expect(page.getByTestId("checklist-item").first()).toContainText("Due 30 Jun 2030");

  // The lead's overview: the owner's workload and the one DBA item nobody holds.
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Overview" }).click();
  const danaRow = page.getByTestId("workload-row").filter({ hasText: owners.DBA.name });
  await expect(danaRow.getByTestId("workload-open")).toHaveText("3");
  await expect(page.getByRole("heading", { name: "Unassigned (4)" })).toBeVisible();
  // Cells after the chart: done, waived, not applicable, blocked, open.
  await expect(page.getByTestId("area-DBA").getByRole("cell").nth(5)).toHaveText("4");
  await expectAccessible(page);

  // The owner hears about it without reloading anything by hand.
  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await signIn(ownerPage, owners.DBA.email, TEST_PASSWORD);
  await expect(ownerPage.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();
  await ownerPage.getByRole("link", { name: "Notifications, 1 unread" }).click();
  const notification = ownerPage.getByTestId("notification").first();
  await expect(notification).toContainText(`${lead.name} assigned you 3 items in ${project.name}`);
  await expectAccessible(ownerPage);
  await ownerPage.getByRole("button", { name: "Mark all read" }).click();
  await expect(ownerPage.getByRole("link", { name: "Notifications, none unread" })).toBeVisible();

  // My area: every open DBA item of the project (assigned or not), no other area's.
  await ownerPage.getByRole("link", { name: "My work" }).click();
  await expect(ownerPage.getByTestId("checklist-item")).toHaveCount(3);
  await ownerPage.getByRole("navigation", { name: "My work" }).getByRole("link", { name: "My area" }).click();
  await expect(ownerPage.getByTestId("checklist-item")).toHaveCount(4);
  await expect(ownerPage.getByText("TLS to the database")).toHaveCount(0);
  await expectAccessible(ownerPage);

  // Work one item in place: done, with a note as evidence.
  const item = ownerPage.getByTestId("checklist-item").filter({ hasText: "Backups run nightly" });
  await openItem(item, /Backups run nightly/);
  const update = ownerPage.getByRole("form", { name: "Update Backups run nightly" });
  await update.getByLabel("Status").selectOption("DONE");
  await update.getByLabel("Note", { exact: true }).fill("Nightly job green for 30 days: see the backup dashboard.");
  await update.getByRole("button", { name: "Save" }).click();
  // Done, it leaves the list of open items; the page says what happened, and keyboard focus stays
  // where the person was working instead of falling back to the top of the page.
  await expect(ownerPage.getByTestId("checklist-item")).toHaveCount(3);
  await expect(ownerPage.getByTestId("checklist-item").filter({ hasText: "Backups run nightly" })).toHaveCount(0);
  const announcer = ownerPage.getByTestId("saved-announcer");
  await expect(announcer).toHaveText("Saved: “Backups run nightly” is done.");
  await expect(announcer).toBeFocused();
  expect(await testDb().checklistItem.findFirstOrThrow({ where: { projectId: project.id, title: "Backups run nightly" }, select: { status: true, _count: { select: { evidence: true } } } })).toEqual({ status: "DONE", _count: { evidence: 1 } });

  // Grouped by due date, the assigned items sit under "Due later", the other under "No due date".
  await ownerPage.getByRole("link", { name: "Due date" }).click();
  await expect(ownerPage.getByRole("heading", { name: "Due later" })).toBeVisible();
  await expect(ownerPage.getByRole("heading", { name: "No due date" })).toBeVisible();

  // The lead's overview follows.
  await page.reload();
  await expect(danaRow.getByTestId("workload-open")).toHaveText("2");
  await expect(page.getByTestId("area-DBA").getByRole("cell").nth(1)).toHaveText("1");
  const events = await testDb().auditEvent.findMany({ where: { projectId: project.id, action: "item.assigned" }, select: { actorId: true } });
  expect(events).toHaveLength(3);
  expect(events.every((event) => event.actorId === lead.id)).toBe(true);
  await ownerContext.close();
});

for (const area of ["DEVOPS", "DBA", "SECURITY"] as const) {
  test(`the ${area} owner's area view shows only ${area} items, and they cannot assign`, async ({ page }) => {
    const { owners, project } = await team();
    const expected = await testDb().checklistItem.findMany({ where: { projectId: project.id, area }, select: { title: true } });
    await signIn(page, owners[area].email, TEST_PASSWORD);
    await page.goto("/my/area");
    await expect(page.getByTestId("checklist-item")).toHaveCount(expected.length);
    const shown = await page.getByTestId("checklist-item").getByRole("button").allTextContents();
    expect(shown.map((text) => text.replace(/^.*› /, "")).sort()).toEqual(expected.map((item) => item.title).sort());
    await expectAccessible(page);

    // On the checklist they see no bulk bar and no assignment form.
    await page.goto(`/projects/${project.slug}`);
    await expect(page.getByRole("form", { name: /Assign or date/ })).toHaveCount(0);
    await page.getByTestId("checklist-item").first().getByRole("button").first().click();
    await expect(page.getByRole("form", { name: "Assignment" })).toHaveCount(0);
  });
}
