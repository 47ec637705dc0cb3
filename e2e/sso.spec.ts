import { expect, test, type Page } from "@playwright/test";
import { auditActions } from "@/lib/audit/events";
import { createUser, testDb } from "./support/fixtures";

// Single sign-on through a real OpenID Provider (oidc-provider on loopback, started by the
// global setup; its development login page takes any login: see e2e/support/oidc-provider.ts).
// The provider's certificate is made for the run, so the browser is told to accept it.
test.use({ ignoreHTTPSErrors: true });

/** From the sign-in page through the provider's login and consent, back to the app. */
async function signInThroughProvider(page: Page, login: string): Promise<void> {
  await page.goto("/signin");
  await page.getByRole("button", { name: "Sign in with Test provider" }).click();
  await expect(page).toHaveURL(new RegExp(`^${process.env.E2E_OIDC_ISSUER}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill("any");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a person an admin added signs in through the provider; another account there with the same email is refused", async ({ page, browser }) => {
  const person = await createUser("Sso Person");

  await signInThroughProvider(page, person.email);

  await expect(page.getByTestId("current-user")).toContainText(person.name);
  const identities = await testDb().userIdentity.findMany({ where: { userId: person.id }, select: { issuer: true, subject: true } });
  expect(identities).toEqual([{ issuer: process.env.E2E_OIDC_ISSUER, subject: person.email }]);
  const session = await testDb().auditEvent.findFirstOrThrow({ where: { actorId: person.id, action: auditActions.AUTH_SIGN_IN }, orderBy: { seq: "desc" } });
  expect(session.after).toMatchObject({ method: "oidc" });

  // Someone else at the provider (another subject) presenting the same email.
  const other = await browser.newContext({ ignoreHTTPSErrors: true });
  const impostor = await other.newPage();
  await signInThroughProvider(impostor, `impostor/${person.email}`);
  await expect(impostor).toHaveURL(/\/signin/);
  await expect(impostor.getByText("Sign-in was refused")).toBeVisible();
  await expect(impostor.getByTestId("current-user")).toHaveCount(0);
  expect(await testDb().userIdentity.count({ where: { userId: person.id } })).toBe(1);
  const refused = await testDb().auditEvent.findFirstOrThrow({ where: { action: auditActions.AUTH_SIGN_IN_FAILED, entityId: person.id }, orderBy: { seq: "desc" } });
  expect(refused.after).toMatchObject({ reason: "sso_identity_conflict" });
  await other.close();
});

test("a person of an allowed domain gets an account with no role at their first sign-in; an unknown domain gets none", async ({ page }) => {
  const email = `new.${crypto.randomUUID().slice(0, 8)}@jit.example.com`;

  await signInThroughProvider(page, email);

  await expect(page.getByTestId("current-user")).toBeVisible();
  const user = await testDb().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
  expect(user).toMatchObject({ globalRoles: [], passwordHash: null, memberships: [] });

  await page.context().clearCookies();
  const stranger = `someone.${crypto.randomUUID().slice(0, 8)}@elsewhere.example.com`;
  await signInThroughProvider(page, stranger);
  await expect(page).toHaveURL(/\/signin/);
  await expect(page.getByText("Sign-in was refused")).toBeVisible();
  expect(await testDb().user.count({ where: { email: stranger } })).toBe(0);
});
