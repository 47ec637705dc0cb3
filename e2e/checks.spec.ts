import { createLead, createProject, createUser, expect, expectAccessible, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";
import { makeCertificate, startTlsTarget } from "../tests/support/tls-target";

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

test("a lead attaches a tls check trusting their own CA, runs it now, reads the certificate's facts, and the gate follows the certificate", async ({ page }) => {
  const good = makeCertificate(90);
  const server = await startTlsTarget(good);
  try {
    const lead = await createLead("Lee TLS Lead");
    const project = await createProject([[lead.id, ["LEAD"]]]);
    // Only the security sign-off is asked for, so the gate's reasons fit without "and N more".
    await testDb().project.update({ where: { id: project.id }, data: { requiredSlots: ["SECURITY"] } });
    const section = await testDb().checklistSection.create({ data: { projectId: project.id, title: "Security", position: 0 }, select: { id: true } });
    await testDb().checklistItem.create({ data: { projectId: project.id, sectionId: section.id, position: 0, title: "The API's certificate is valid", area: "SECURITY" } });

    await signIn(page, lead.email, TEST_PASSWORD);
    await page.goto(`/projects/${project.slug}`);
    const gate = page.getByRole("region", { name: "Go-live gate" });
    await expect(gate).toContainText(`Required item "The API's certificate is valid" is to do.`);
    await page.getByTestId("checklist-item").first().getByRole("button").first().click();
    const checks = page.getByRole("region", { name: "Checks" });
    await checks.getByText("Add a check").click();
    const form = checks.getByRole("form", { name: "Add a check" });
    await form.getByLabel("What to check").selectOption("tls");
    // A refused submission keeps the kind chosen (and its fields), not the first one in the list.
    await form.getByRole("button", { name: "Add check" }).click();
    await expect(form.getByText("Please correct the fields marked below.")).toBeVisible();
    await expect(form.getByLabel("What to check")).toHaveValue("tls");
    await form.getByLabel("Host (and port)").fill(server.target);
    await form.getByLabel("At least this many days left").fill("30");
    await form.getByLabel("Your own CA (optional)").fill(good.cert);
    await form.getByLabel("Reopen a done item after").selectOption("1");
    await form.getByLabel("Passing marks the item done").check();
    await form.getByRole("button", { name: "Add check" }).click();
    const row = checks.getByTestId("item-check");
    await expect(row).toContainText(`TLS of ${server.target} (at least 30 days left, own CA)`);
    await expect(row).toContainText("passing marks it done");

    await row.getByRole("button", { name: /^Run now/ }).click();
    const results = page.getByRole("region", { name: "Results" });
    const latest = results.getByTestId("latest-result");
    await expect(latest).toContainText("Passed");
    await expect(latest).toContainText("daysLeft");
    await expect(latest).toContainText("hostnameMatches");
    await expect(latest).toContainText(/TLSv1\.[23]/);
    await expect(page.getByTestId("checklist-item").first()).toContainText("Done");
    await expect(gate).not.toContainText("The API's certificate is valid");
    await expectAccessible(page);

    // The certificate is replaced by one that expires in 5 days: the next run fails, and the gate says so.
    server.use(makeCertificate(5));
    await row.getByRole("button", { name: /^Run now/ }).click();
    await expect(latest).toContainText("Failed");
    await expect(latest).toContainText(/days left/);
    await expect(page.getByTestId("checklist-item").first()).toContainText("Blocked");
    await expect(gate).toContainText(`Required item "The API's certificate is valid" is blocked.`);
  } finally {
    await server.close();
  }
});
