import { expect, expectAccessible, signInAsDemo, test, testDb } from "./support/fixtures";

// The auditor's record: a verified chain, a filtered history, the checklist as of a moment, an
// export, and no way to change anything.

test("an auditor filters the history, opens the checklist as of a moment, exports CSV, and is refused every change", async ({ page }) => {
  await signInAsDemo(page, "auditor");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Activity" }).click();
  await expect(page.getByTestId("chain-badge")).toContainText("Chain intact");
  await expectAccessible(page);

  // The whole chain, verified on a page that says the result in words.
  await page.getByRole("link", { name: "Verify the whole chain" }).click();
  await expect(page.getByRole("heading", { name: "The chain is intact" })).toBeVisible();
  await expect(page.getByText("Events verified")).toBeVisible();
  await expect(page.getByText(/^[0-9a-f]{64}$/)).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Back to the activity" }).click();

  // Filter: one project, the words of an item title.
  const filters = page.getByRole("form", { name: "Filter the history" });
  await filters.getByLabel("Project").selectOption({ label: "Railway Reservation" });
  await filters.getByLabel("Search titles and comments").fill("backup");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/project=railway-reservation/);
  await expect(page).toHaveURL(/q=backup/);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) expect(text).toMatch(/Railway Reservation/);
  expect((await rows.allTextContents()).some((text) => /backup/i.test(text))).toBe(true);
  // Details show what an event changed, field by field.
  await rows.first().getByText(/^Details/).click();
  await expect(rows.first().getByRole("table")).toBeVisible();

  // Export what is shown: CSV with the chain's fields.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe("railway-reservation-history.csv");
  const { readFile } = await import("node:fs/promises");
  const csv = await readFile((await file.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toBe("id,seq,prevHash,hash,occurredAt,actorId,actorName,actorEmail,action,entityType,entityId,projectId,before,after,requestId");
  expect(csv.split("\r\n").filter(Boolean).length).toBeGreaterThan(10);

  // The checklist as it stood: now, it matches today's checklist.
  await page.goto("/projects/railway-reservation/activity");
  await page.getByRole("link", { name: "The checklist as of any moment" }).click();
  await expect(page.getByRole("heading", { name: /The checklist as of/ })).toBeVisible();
  const project = await testDb().project.findUniqueOrThrow({ where: { slug: "railway-reservation" }, select: { id: true } });
  const live = await testDb().checklistItem.count({ where: { projectId: project.id } });
  await expect(page.getByTestId("checklist-item")).toHaveCount(live);
  await expectAccessible(page);
  // Before the project existed, there was nothing.
  await page.getByLabel(/^Moment/).fill("2020-01-01T09:00");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page.getByText("The checklist had no items at that moment.")).toBeVisible();

  // Every change is refused, through the API too.
  const origin = new URL(page.url()).origin;
  const someone = await testDb().user.findFirstOrThrow({ where: { email: "dba@example.com" }, select: { id: true } });
  const attempts = [
    page.request.post("/api/v1/projects", { data: { name: "Auditor's project" }, headers: { origin } }),
    page.request.post("/api/v1/projects/railway-reservation/members", { data: { userId: someone.id, roles: ["VIEWER"] }, headers: { origin } }),
    page.request.post("/api/v1/projects/railway-reservation/import", { data: "# X\n\n- [ ] y\n", headers: { origin, "content-type": "text/markdown" } }),
    page.request.get("/api/v1/audit/checkpoint"),
  ];
  for (const response of await Promise.all(attempts)) expect(response.status(), await response.text()).toBe(403);
  const verify = await page.request.get("/api/v1/audit/verify");
  expect(verify.status()).toBe(200);
  expect(await verify.json()).toMatchObject({ ok: true });
});
