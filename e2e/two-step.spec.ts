import * as OTPAuth from "otpauth";
import { createProject, createUser, expect, expectAccessible, test, testDb, TEST_PASSWORD } from "./support/fixtures";

// Two-step sign-in as the production policy has it (the instance at E2E_STRICT_URL runs with
// MFA_ENROLMENT=required): an approver is sent to set up an authenticator at sign-in and can do
// nothing else until they have; the test is the authenticator app, computing codes from the key
// the page shows. Each code is for a later 30-second step than the one before (a code works once),
// so nothing waits for the clock.

function codeAt(secret: string, offsetSeconds: number): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" }).generate({ timestamp: Date.now() + offsetSeconds * 1_000 });
}

test("an approver is sent to set up an authenticator, signs in with a recovery code, and signs with a code once the proof is old", async ({ page }) => {
  const strict = process.env.E2E_STRICT_URL;
  if (!strict) throw new Error("E2E_STRICT_URL is not set: the Playwright global setup did not run.");
  const approver = await createUser("Robin Two-Step Approver");
  const project = await createProject([[approver.id, ["APPROVER"]]]);

  await page.goto(`${strict}/signin`);
  await page.getByLabel("Email").fill(approver.email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page).toHaveURL(`${strict}/two-step`);
  await expect(page.getByText("your role (admin or approver) requires a code from an authenticator app")).toBeVisible();
  // Nothing else opens until it is set up.
  await page.goto(`${strict}/projects/${project.slug}/signoffs`);
  await expect(page).toHaveURL(`${strict}/two-step`);

  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())?.trim() ?? "";
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expect(page.getByRole("img", { name: "QR code of the authenticator key" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Code from the app").fill(codeAt(secret, -600));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  await expect(page.getByText("That code does not match")).toBeVisible();
  await page.getByLabel("Code from the app").fill(codeAt(secret, 0));
  await page.getByRole("button", { name: "Turn on two-step sign-in" }).click();
  const codes = page.getByTestId("recovery-codes").getByRole("listitem");
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent())?.trim() ?? "";
  expect(recovery).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
  await page.getByRole("link", { name: "I have kept them: continue" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();

  // Signing in again asks for a code after the password; a wrong one is refused, a recovery code works once.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill(approver.email);
  await page.getByLabel("Password").fill(TEST_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const code = page.getByLabel("Code from your authenticator app");
  await expect(code).toBeVisible();
  await expectAccessible(page);
  await code.fill(codeAt(secret, -600));
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();
  await page.getByLabel("Code from your authenticator app").fill(recovery);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();

  // The proof grows old (aged in the database): signing asks for a code, and records it.
  await testDb().userSession.updateMany({ where: { userId: approver.id, revokedAt: null }, data: { lastProofAt: new Date(Date.now() - 10 * 60_000) } });
  await page.goto(`${strict}/projects/${project.slug}/signoffs`);
  const form = page.getByRole("form", { name: "Sign DBA" });
  const proof = form.getByLabel("Code from your authenticator app, to sign");
  await expect(proof).toBeVisible();
  await expect(form.getByRole("button", { name: "Use my password instead" })).toBeVisible();
  await proof.fill(codeAt(secret, 30));
  await form.getByRole("button", { name: "Approve DBA" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed: round 1" })).toBeVisible();
  await expect(page.getByTestId("slot-DBA").getByTestId("signoff-proof")).toContainText("authenticator code entered to sign");

  // The record: set up, a recovery code used (never the code itself), and the signature's proof.
  const actions = (await testDb().auditEvent.findMany({ where: { OR: [{ actorId: approver.id }, { entityId: approver.id }] }, orderBy: { id: "asc" }, select: { action: true, after: true } })).map((event) => event.action);
  expect(actions).toEqual(expect.arrayContaining(["auth.mfa_enrolled", "auth.recovery_code_used", "auth.sign_in_failed", "auth.reauthenticated", "signoff.given"]));
  const signIns = await testDb().auditEvent.findMany({ where: { actorId: approver.id, action: "auth.sign_in" }, orderBy: { id: "asc" }, select: { after: true } });
  expect(signIns.map((event) => (event.after as { method?: string }).method)).toEqual(["credentials", "credentials+recovery_code"]);
});
