import { createProject, createUser, expect, expectAccessible, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";

test("a lead adds a member, who then sees the project; once removed, they lose access on their next request", async ({ page, browser }) => {
  const lead = await createUser("Lead Person");
  const dba = await createUser("Dba Person");
  const project = await createProject([[lead.id, ["LEAD"]]]);

  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}/members`);
  const addForm = page.getByRole("form", { name: "Add member" });

  // Validation names the field: no role chosen.
  await addForm.getByLabel("Person").selectOption({ label: `${dba.name} <${dba.email}>` });
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expect(addForm.getByText("Choose at least one role.")).toBeVisible();

  await addForm.getByLabel("DBA").check();
  await addForm.getByRole("button", { name: "Add member" }).click();
  await expect(page.getByTestId("member-row").filter({ hasText: dba.email })).toContainText("DBA");
  await expectAccessible(page);

  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signIn(memberPage, dba.email, TEST_PASSWORD);
  await expect(memberPage.getByTestId("portfolio-row").filter({ hasText: project.name })).toBeVisible();
  await memberPage.goto(`/projects/${project.slug}`);
  await expect(memberPage.getByRole("heading", { level: 1 })).toHaveText(project.name);

  await page.getByTestId("member-row").filter({ hasText: dba.email }).getByText("Edit").click();
  await page.getByRole("button", { name: `Remove ${dba.name}` }).click();
  await page.getByRole("dialog", { name: `Remove ${dba.name} from this project?` }).getByRole("button", { name: `Remove ${dba.name}` }).click();
  await expect(page.getByTestId("member-row").filter({ hasText: dba.email })).toHaveCount(0);

  const response = await memberPage.reload();
  expect(response?.status()).toBe(404);
  await memberPage.goto("/");
  await expect(memberPage.getByTestId("portfolio-row").filter({ hasText: project.name })).toHaveCount(0);
  await memberContext.close();

  const actions = await testDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" }, select: { action: true, actorName: true } });
  expect(actions).toEqual([
    { action: "member.added", actorName: lead.name },
    { action: "member.removed", actorName: lead.name },
  ]);
});

test("the last lead cannot be removed", async ({ page }) => {
  const lead = await createUser("Only Lead");
  const project = await createProject([[lead.id, ["LEAD"]]]);
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}/members`);
  await page.getByTestId("member-row").filter({ hasText: lead.email }).getByText("Edit").click();
  await page.getByRole("button", { name: `Remove ${lead.name}` }).click();
  await page.getByRole("dialog", { name: `Remove ${lead.name} from this project?` }).getByRole("button", { name: `Remove ${lead.name}` }).click();
  await expect(page.getByRole("alert").filter({ hasText: "A project needs at least one lead" })).toBeVisible();
  expect(await testDb().projectMember.count({ where: { projectId: project.id } })).toBe(1);
});
