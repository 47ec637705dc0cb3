import { randomUUID } from "node:crypto";
import { createUser, expect, expectAccessible, signIn, signInAsDemo, test, testDb, TEST_PASSWORD } from "./support/fixtures";

test("an admin adds a user (errors name the field), who can then sign in", async ({ page, browser }) => {
  await signInAsDemo(page, "admin");
  await page.goto("/admin");
  await expectAccessible(page);
  const form = page.getByRole("form", { name: "Add user" });
  await form.getByLabel("Name").fill("New Starter");
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByLabel("Initial password").fill("short");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByText("Enter a valid email address.")).toBeVisible();
  await expect(form.getByText("Password must be at least 12 characters.")).toBeVisible();

  const email = `new.starter.${randomUUID().slice(0, 8)}@e2e.test`;
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Initial password").fill(TEST_PASSWORD);
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("status")).toContainText("User added");
  await expect(page.getByTestId("user-row").filter({ hasText: email })).toBeVisible();

  const created = await testDb().user.findUniqueOrThrow({ where: { email } });
  const events = await testDb().auditEvent.findMany({ where: { action: "user.created", entityId: created.id } });
  expect(events).toHaveLength(1);
  expect(events[0]?.actorName).toBe("Morgan Reyes");

  const newcomer = await browser.newContext();
  const newcomerPage = await newcomer.newPage();
  await signIn(newcomerPage, email, TEST_PASSWORD);
  await expect(newcomerPage.getByText("You are not a member of any project yet.")).toBeVisible();
  await newcomer.close();
});

test("a disabled user is refused on their next request", async ({ page, browser }) => {
  const user = await createUser("Leaving Colleague");
  const userContext = await browser.newContext();
  const userPage = await userContext.newPage();
  await signIn(userPage, user.email, TEST_PASSWORD);

  await signInAsDemo(page, "admin");
  await page.goto("/admin");
  await page.getByRole("button", { name: `Disable ${user.name}` }).click();
  await expect(page.getByRole("button", { name: `Enable ${user.name}` })).toBeVisible();

  await userPage.reload();
  await expect(userPage).toHaveURL(/\/signin/);
  // And they cannot sign in again.
  await userPage.getByLabel("Email").fill(user.email);
  await userPage.getByLabel("Password").fill(TEST_PASSWORD);
  await userPage.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(userPage.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await userContext.close();
});
