import { createUser, expect, expectAccessible, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";

test("a wrong password shows an error and is recorded as a failed sign-in", async ({ page }) => {
  const user = await createUser("Wrong Password");
  await page.goto("/signin");
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
  await expectAccessible(page);

  const failures = await testDb().auditEvent.findMany({ where: { action: "auth.sign_in_failed", entityId: user.id } });
  expect(failures).toHaveLength(1);
  expect(failures[0]?.after).toMatchObject({ email: user.email, reason: "wrong_password" });
  expect(failures[0]?.actorId).toBeNull();
});

test("an empty form names the fields to fill", async ({ page }) => {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await expect(page.getByText("Password is required.")).toBeVisible();
});

test("signing in and out is audited, and a signed-out cookie is worthless", async ({ page, browser }) => {
  const user = await createUser("Sign Out");
  await signIn(page, user.email, TEST_PASSWORD);
  const cookies = await page.context().cookies();

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);

  // Replaying the old session cookie after sign-out is refused: the session row is revoked.
  const replay = await browser.newContext();
  await replay.addCookies(cookies);
  const replayPage = await replay.newPage();
  await replayPage.goto("/");
  await expect(replayPage).toHaveURL(/\/signin/);
  await replay.close();

  const events = await testDb().auditEvent.findMany({ where: { actorId: user.id }, orderBy: { id: "asc" }, select: { action: true } });
  expect(events.map((event) => event.action)).toEqual(["auth.sign_in", "auth.sign_out"]);
});

test("keyboard only: sign in with Tab and Enter", async ({ page }) => {
  const user = await createUser("Keyboard User");
  await page.goto("/signin");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Email")).toBeFocused();
  await page.keyboard.type(user.email);
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password")).toBeFocused();
  await page.keyboard.type(TEST_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("current-user")).toHaveText(user.name);
});

test("after ten wrong passwords the account is locked for a while, even with the right one", async ({ page }) => {
  const user = await createUser("Brute Forced");
  await page.goto("/signin");
  const failures = () => testDb().auditEvent.count({ where: { action: "auth.sign_in_failed", after: { path: ["email"], equals: user.email } } });
  for (let attempt = 0; attempt < 10; attempt++) {
    await page.getByLabel("Email").fill(user.email);
    await page.getByLabel("Password").fill(`guess number ${attempt}`);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    // The server has counted this guess, and the form has been reset for the next one: filling
    // it before React's reset would send an empty password, which is not a guess at all.
    await expect.poll(failures).toBe(attempt + 1);
    await expect(page.getByLabel("Password")).toHaveValue("");
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  }
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Too many sign-in attempts" })).toBeVisible();
  await expect(page).toHaveURL(/\/signin/);
  expect(await failures()).toBe(11);
});
