import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { E2E_PORT } from "../playwright.config";
import { linkInMail } from "../tests/support/mail-sink";
import { createUser, expect, expectAccessible, expectNoHorizontalOverflow, signIn, test, testDb, TEST_PASSWORD, waitForMail } from "./support/fixtures";

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

/** Opens a set-password link and sets the password (twice), landing on the sign-in page. */
async function setPasswordWith(page: import("@playwright/test").Page, link: string, password: string) {
  await page.goto(link);
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Type it again").fill(password);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL(/\/signin\?password=set$/);
}

test("the first admin invites a lead by email; the lead sets a password from the email and invites a teammate into their project", async ({ page, browser }) => {
  const suffix = randomUUID().slice(0, 8);
  const adminEmail = `first.admin.${suffix}@e2e.test`;
  await setPasswordWith(page, createUserFromCli(adminEmail, "Inviting Admin"), "the first admin's passphrase");
  await signIn(page, adminEmail, "the first admin's passphrase");

  // The admin invites the lead: no password given, so an email with a link goes out.
  const leadEmail = `new.lead.${suffix}@e2e.test`;
  await page.goto("/admin");
  const add = page.getByRole("form", { name: "Add user" });
  await add.getByLabel("Name").fill("Lee Invited Lead");
  await add.getByLabel("Email").fill(leadEmail);
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(add.getByRole("status")).toContainText("invit");
  const invitation = await waitForMail(leadEmail, { containing: "invited you to Shipshape" });
  expect(invitation).toContain("Inviting Admin");
  const leadLink = linkInMail(invitation, "/set-password");
  expect(leadLink).toMatch(new RegExp(`^http://localhost:${E2E_PORT}/set-password\\?token=`));
  const lead = await testDb().user.findUniqueOrThrow({ where: { email: leadEmail }, select: { id: true } });
  const project = await testDb().project.create({ data: { slug: `e2e-invites-${suffix}`, name: `Invites ${suffix}`, members: { create: [{ userId: lead.id, roles: ["LEAD"] }] } }, select: { slug: true, id: true } });

  // The lead, in their own browser, sets a password from the email, and invites a teammate.
  const leadContext = await browser.newContext();
  const leadPage = await leadContext.newPage();
  await setPasswordWith(leadPage, leadLink!, "the invited lead's passphrase");
  await signIn(leadPage, leadEmail, "the invited lead's passphrase");
  await leadPage.goto(`/projects/${project.slug}/members`);
  const invite = leadPage.getByRole("form", { name: "Invite someone new" });
  const teammateEmail = `teammate.${suffix}@e2e.test`;
  await invite.getByLabel("Email").fill(teammateEmail);
  await invite.getByLabel("Name").fill("Tam Teammate");
  await invite.getByRole("checkbox", { name: "DBA" }).check();
  await invite.getByRole("button", { name: "Invite" }).click();
  await expect(invite.getByRole("status")).toContainText("Invited");
  await expect(leadPage.getByRole("listitem").filter({ hasText: teammateEmail })).toBeVisible();
  await expectAccessible(leadPage);

  const teammateMail = await waitForMail(teammateEmail, { containing: "Lee Invited Lead invited you" });
  const teammateContext = await browser.newContext();
  const teammatePage = await teammateContext.newPage();
  await setPasswordWith(teammatePage, linkInMail(teammateMail, "/set-password")!, "the teammate's passphrase");
  await signIn(teammatePage, teammateEmail, "the teammate's passphrase");
  await teammatePage.goto(`/projects/${project.slug}/members`);
  await expect(teammatePage.getByRole("listitem").filter({ hasText: teammateEmail })).toBeVisible();
  const teammate = await testDb().user.findUniqueOrThrow({ where: { email: teammateEmail }, select: { globalRoles: true, memberships: { select: { projectId: true, roles: true } } } });
  expect(teammate).toEqual({ globalRoles: [], memberships: [{ projectId: project.id, roles: ["DBA"] }] });
  await leadContext.close();
  await teammateContext.close();
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
  await expect(page).toHaveURL(/\/signin/);
  await signIn(page, user.email, "a brand new passphrase");
});

test("a person sees where they are signed in and ends the session of another browser, which is signed out at its next request", async ({ page, browser }) => {
  const user = await createUser("Two Browsers");
  const phoneContext = await browser.newContext({ userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1", viewport: { width: 390, height: 844 } });
  const phone = await phoneContext.newPage();
  await signIn(phone, user.email, TEST_PASSWORD);
  await signIn(page, user.email, TEST_PASSWORD);

  await page.goto("/settings");
  const sessions = page.getByRole("region", { name: "Where you are signed in" });
  await expect(sessions.getByTestId("session")).toHaveCount(2);
  await expect(sessions.getByTestId("session").filter({ hasText: "this browser" })).toHaveCount(1);
  const other = sessions.getByTestId("session").filter({ hasText: "Safari on iOS" });
  await expectAccessible(page);
  await other.getByRole("button", { name: /^End/ }).click();
  await expect(sessions.getByRole("status").filter({ hasText: "Session ended: that browser is signed out." })).toBeVisible();
  await expect(sessions.getByTestId("session")).toHaveCount(1);

  // The phone's next request finds its session ended.
  await phone.goto("/settings");
  await expect(phone).toHaveURL(/\/signin/);
  const ended = await testDb().auditEvent.findFirstOrThrow({ where: { entityId: user.id, action: "auth.sessions_ended" } });
  expect(ended.after).toMatchObject({ reason: "ended_by_user", sessions: 1 });
  await phoneContext.close();
});

test("forgot password: reached from sign-in, the same answer for an account and for an unknown email, accessible; the emailed link sets a new password once", async ({ page }) => {
  const user = await createUser("Forgets Things");
  await page.goto("/signin");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Forgot your password?" })).toBeVisible();
  const answers: string[] = [];
  for (const email of [user.email, `nobody.${randomUUID().slice(0, 8)}@e2e.test`]) {
    await page.goto("/forgot-password");
    const form = page.getByRole("form", { name: "Ask for a link" });
    await form.getByLabel("Email").fill(email);
    await form.getByRole("button", { name: "Send me a link" }).click();
    const status = form.getByRole("status");
    await expect(status).toContainText("If an account uses that email");
    answers.push((await status.textContent()) ?? "");
  }
  expect(answers[0]).toBe(answers[1]);
  await expectAccessible(page);
  expect(await testDb().signInLink.count({ where: { userId: user.id, purpose: "RESET_PASSWORD" } })).toBe(1);

  // The email arrives; its link sets a new password, and then works no more.
  const mail = await waitForMail(user.email, { containing: "Set a new password" });
  const link = linkInMail(mail, "/set-password")!;
  await setPasswordWith(page, link, "a password found again");
  await signIn(page, user.email, "a password found again");
  await page.goto(link);
  await expect(page.getByRole("alert").filter({ hasText: "This link has already been used." })).toBeVisible();
});
