import { createProject, createUser, expect, expectAccessible, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";

// Automated checks on an item, as the area's owner works them: attach one from the item's panel,
// run it now, and read its result. The target here is one the outbound guard refuses (the cloud
// metadata address), which no test server reaches: the run is recorded as a failure that says it
// could not run, and, the item being done, reopens it.

test("an owner attaches a check to a done item, runs it now, and its failed result reopens the item; a viewer sees but cannot run it", async ({ page, browser }) => {
  const dba = await createUser("Dana Check Owner");
  const viewer = await createUser("Vic Check Viewer");
  const project = await createProject([
    [dba.id, ["DBA"]],
    [viewer.id, ["VIEWER"]],
  ]);
  const section = await testDb().checklistSection.create({ data: { projectId: project.id, title: "Data", position: 0 }, select: { id: true } });
  await testDb().checklistItem.create({ data: { projectId: project.id, sectionId: section.id, position: 0, title: "Metadata endpoint answers", area: "DBA", status: "DONE" } });

  await signIn(page, dba.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);
  await page.getByTestId("checklist-item").first().getByRole("button").first().click();
  const checks = page.getByRole("region", { name: "Checks" });
  await expect(checks.getByText("None yet")).toBeVisible();
  await checks.getByText("Add a check").click();
  const form = checks.getByRole("form", { name: "Add a check" });
  await form.getByLabel("URL").fill("ftp://example.com/");
  await form.getByRole("button", { name: "Add check" }).click();
  await expect(form.getByText("Enter an http:// or https:// URL.")).toBeVisible();
  await form.getByLabel("URL").fill("http://169.254.169.254/latest/meta-data/");
  await form.getByLabel("How often").selectOption("60");
  await form.getByRole("button", { name: "Add check" }).click();
  const row = checks.getByTestId("item-check");
  await expect(row).toContainText("HTTP http://169.254.169.254/latest/meta-data/ answers 200");
  await expect(row).toContainText("every hour");
  await expectAccessible(page);

  await row.getByRole("button", { name: /^Run now/ }).click();
  await expect(row.getByRole("status")).toContainText("Failed: see Results below. The item is now blocked.");
  const results = page.getByRole("region", { name: "Results" });
  await expect(results).toContainText("could not run");
  await expect(page.getByTestId("checklist-item").first()).toContainText("Blocked");

  const viewerContext = await browser.newContext();
  const viewerPage = await viewerContext.newPage();
  await signIn(viewerPage, viewer.email, TEST_PASSWORD);
  await viewerPage.goto(`/projects/${project.slug}`);
  await viewerPage.getByTestId("checklist-item").first().getByRole("button").first().click();
  const seen = viewerPage.getByRole("region", { name: "Checks" });
  await expect(seen.getByTestId("item-check")).toBeVisible();
  await expect(seen.getByRole("button", { name: /^Run now/ })).toHaveCount(0);
  await expect(seen.getByText("Add a check")).toHaveCount(0);
  await viewerContext.close();

  const events = await testDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" }, select: { action: true } });
  expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(["check.added", "result.recorded", "item.updated"]));
});
