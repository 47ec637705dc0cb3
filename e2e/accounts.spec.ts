import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { E2E_PORT } from "../playwright.config";
import { createUser, expect, expectAccessible, expectNoHorizontalOverflow, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";

// A new installation's first admin: created on the command line, which prints a link; they
// open it, set their own password, sign in with it; the link never works again.

function createUserFromCli(email: string, name: string): string {
  const result = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", "user", "create", "--email", email, "--name", name, "--admin"], {
    env: { ...process.env, DATABASE_URL: process.env.E2E_DATABASE_URL, AUTH_URL: `http://localhost:${E2E_PORT}` },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(result.status, result.stderr).toBe(0);
  const link = /http:\/\/localhost:\d+\/set-password\?token=[A-Za-z0-9_-]{43}/.exec(result.stdout)?.[0];
  expect(link, result.stdout).toBeDefined();
  return link ?? "";
}

test("an admin created on the command line sets their password with the printed link, signs in, and the link is then refused", async ({ page, browser }) => {
  const email = `first.admin.${randomUUID().slice(0, 8)}@e2e.test`;
  const link = createUserFromCli(email, "First Admin");
  const password = "Ünïcode walrus ledger";

  await page.goto(link);
  await expect(page.getByRole("heading", { name: "Set your password" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await expectAccessible(page);

  // By keyboard alone: type, Tab to the second field, type, Enter.
  await page.getByLabel("New password").focus();
  await page.keyboard.type("short");
  await page.keyboard.press("Tab");
  await page.keyboard.type("short");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Password must be at least 12 characters.")).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel("New password").focus();
  await page.keyboard.type(password);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/signin\?password=set$/);
  await expect(page.getByRole("status").filter({ hasText: "Your password is set. Sign in with it." })).toBeVisible();

  await signIn(page, email, password);
  await expect(page.getByRole("link", { name: "Admin", exact: true })).toBeVisible();

  const user = await testDb().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  expect(await testDb().auditEvent.count({ where: { entityId: user.id, action: "user.password_set" } })).toBe(1);

  // The same link again, in another browser: refused, nothing changed.
  const other = await browser.newContext();
  const again = await other.newPage();
  await again.goto(link);
  await expect(again.getByRole("alert").filter({ hasText: "This link has already been used." })).toBeVisible();
  await expect(again.getByLabel("New password")).toHaveCount(0);
  await expectAccessible(again);
  await other.close();
});

test("the set-password page reads on a phone, and an unknown link is refused", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  const link = createUserFromCli(`phone.${randomUUID().slice(0, 8)}@e2e.test`, "Phone Person");
  await page.goto(link);
  await expect(page.getByLabel("Type it again")).toBeVisible();
  await expectNoHorizontalOverflow(page);

  await page.goto(`/set-password?token=${"A".repeat(43)}`);
  await expect(page.getByRole("alert").filter({ hasText: "This link is not valid." })).toBeVisible();
  await expectNoHorizontalOverflow(page);
  await context.close();
});

test("a signed-in person changes their password on the settings page, giving the current one", async ({ page }) => {
  const user = await createUser("Changes Password");
  await signIn(page, user.email, TEST_PASSWORD);
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Change password" });

  await form.getByLabel("Current password").fill("not my password");
  await form.getByLabel("New password").fill("a brand new passphrase");
  await form.getByLabel("Type it again").fill("a brand new passphrase");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByText("This is not your current password.")).toBeVisible();
  await expectAccessible(page);

  await form.getByLabel("Current password").fill(TEST_PASSWORD);
  await form.getByLabel("New password").fill("a brand new passphrase");
  await form.getByLabel("Type it again").fill("a brand new passphrase");
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status").filter({ hasText: "Password changed." })).toBeVisible();

  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, user.email, "a brand new passphrase");
});
