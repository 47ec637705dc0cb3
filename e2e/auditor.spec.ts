import { randomUUID } from "node:crypto";
import { expect, expectAccessible, signInAsDemo, test, testDb } from "./support/fixtures";

test("an auditor sees every project and the full activity, with no way to change anything", async ({ page }) => {
  await signInAsDemo(page, "auditor");
  for (const name of ["Railway Reservation", "Traffic Prediction", "CivicLens API"]) {
    await expect(page.getByTestId("portfolio-row").filter({ hasText: name })).toBeVisible();
  }
  await page.goto("/activity");
  await expect(page.getByTestId("audit-row").first()).toBeVisible();
  await expectAccessible(page);
  await page.goto("/projects/railway-reservation");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Railway Reservation");
  await expect(page.getByRole("link", { name: "Import Markdown" })).toHaveCount(0);
  await page.getByTestId("checklist-item").first().getByRole("button").first().click();
  await expect(page.getByText("You can read this item; its area owners and the project leads work it.")).toBeVisible();
  await expect(page.getByRole("form", { name: /^Update / })).toHaveCount(0);
  await expect(page.getByRole("form", { name: "Add comment" })).toHaveCount(0);
  await expect(page.getByRole("textbox")).toHaveCount(0);
  await page.goto("/projects/railway-reservation/members");
  await expect(page.getByRole("button")).toHaveText(["Sign out"]);
  await expect(page.getByRole("checkbox")).toHaveCount(0);
});

test("the server refuses an auditor's changes through the API", async ({ page }) => {
  await signInAsDemo(page, "auditor");
  const before = await testDb().project.count();
  const origin = new URL(page.url()).origin;

  const create = await page.request.post("/api/v1/projects", { data: { name: "Auditor Was Here" }, headers: { origin } });
  expect(create.status()).toBe(403);
  expect((await create.json()).error).toEqual({ code: "FORBIDDEN", message: "You are not allowed to do that." });

  const someone = await testDb().user.findUniqueOrThrow({ where: { email: "dba@example.com" } });
  const add = await page.request.post("/api/v1/projects/civiclens-api/members", { data: { userId: someone.id, roles: ["DBA"] }, headers: { origin } });
  expect(add.status()).toBe(403);

  const remove = await page.request.delete(`/api/v1/projects/railway-reservation/members/${someone.id}`, { headers: { origin } });
  expect(remove.status()).toBe(403);

  expect(await testDb().project.count()).toBe(before);
  expect(await testDb().projectMember.count({ where: { userId: someone.id, project: { slug: "railway-reservation" } } })).toBe(1);
  expect(await testDb().auditEvent.count({ where: { actorEmail: "auditor@example.com", action: { notIn: ["auth.sign_in", "auth.sign_out"] } } })).toBe(0);
});

test("the server refuses an auditor's replay of an admin's server action", async ({ page, browser }) => {
  // Capture the exact Server Action request the admin's browser would send, without sending it.
  await signInAsDemo(page, "admin");
  await page.goto("/admin");
  const form = page.getByRole("form", { name: "Add user" });
  const adminEmail = `captured.${randomUUID().slice(0, 8)}@e2e.test`;
  await form.getByLabel("Name").fill("Captured Request");
  await form.getByLabel("Email").fill(adminEmail);
  await form.getByLabel("Initial password").fill("a long enough password");
  let captured: { url: string; headers: Record<string, string>; body: string } | undefined;
  await page.route("**/admin", async (route) => {
    const request = route.request();
    if (request.method() === "POST" && request.headers()["next-action"]) {
      captured = { url: request.url(), headers: request.headers(), body: request.postData() ?? "" };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  await form.getByRole("button", { name: "Add user" }).click();
  await expect.poll(() => captured).toBeDefined();
  if (!captured) throw new Error("no Server Action request was captured");

  const auditor = await browser.newContext();
  const auditorPage = await auditor.newPage();
  await signInAsDemo(auditorPage, "auditor");
  const replayEmail = `replayed.${randomUUID().slice(0, 8)}@e2e.test`;
  const response = await auditorPage.request.post(captured.url, {
    headers: {
      "next-action": captured.headers["next-action"] ?? "",
      "content-type": captured.headers["content-type"] ?? "",
      origin: new URL(captured.url).origin,
    },
    data: captured.body.replace(adminEmail, replayEmail),
  });
  expect(await response.text()).toContain("You are not allowed to do that.");
  expect(await testDb().user.count({ where: { email: { in: [adminEmail, replayEmail] } } })).toBe(0);
  await auditor.close();
});

test("a state-changing request without a matching Origin is refused", async ({ page }) => {
  await signInAsDemo(page, "admin");
  const response = await page.request.post("/api/v1/projects", { data: { name: "Cross Site" }, headers: { origin: "https://evil.example" } });
  expect(response.status()).toBe(403);
  expect(await testDb().project.count({ where: { name: "Cross Site" } })).toBe(0);
});
