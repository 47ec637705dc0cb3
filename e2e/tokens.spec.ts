import { spawnSync } from "node:child_process";
import { createProject, createUser, expect, expectAccessible, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";

// A lead makes an API token in the browser and a pipeline (a cookie-less HTTP client, and the
// documented shell step itself) reads the go-live gate with it. Misused tokens get 401 or 404,
// and a 404 never tells whether the project exists.

const gatePath = (slug: string) => `/api/v1/projects/${slug}/gate`;
const notFoundBody = { error: { code: "NOT_FOUND", message: "Project not found." } };

/** Runs the pipeline step exactly as the page shows it, with the token as a secret variable. */
function runGateStep(command: string, token: string): number | null {
  return spawnSync("sh", ["-c", command], { env: { ...process.env, SHIPSHAPE_TOKEN: token }, encoding: "utf8", timeout: 30_000 }).status;
}

test("a lead creates a token, a pipeline reads the gate with it, and revoking it locks the pipeline out", async ({ page, playwright, baseURL }) => {
  const lead = await createUser("Token Lead");
  const project = await createProject([[lead.id, ["LEAD"]]]);
  const otherProject = await createProject([[lead.id, ["LEAD"]]]);
  const api = await playwright.request.newContext({ baseURL });

  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);
  await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens", level: 2 })).toBeVisible();
  await expect(page.getByText("No tokens yet.")).toBeVisible();

  const form = page.getByRole("form", { name: "Create token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByText("Name must be at least 2 characters.")).toBeVisible();

  await form.getByLabel("Token name").fill("CI deploy");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^ssp_[A-Za-z0-9_-]{43}$/);
  const command = (await page.getByTestId("gate-command").textContent()) ?? "";
  expect(command).toContain(`${baseURL}${gatePath(project.slug)}`);
  expect(command).not.toContain(token);
  const row = page.getByTestId("token-row").filter({ hasText: "CI deploy" });
  await expect(row).toContainText(`${token.slice(0, 12)}…`);
  await expect(row).toContainText("never");
  await expectAccessible(page);

  // The gate, as a pipeline sees it: closed (every sign-off slot is still missing).
  const headers = { authorization: `Bearer ${token}` };
  const gate = await api.get(gatePath(project.slug), { headers });
  expect(gate.status()).toBe(200);
  expect(gate.headers()["cache-control"]).toBe("no-store");
  const body = await gate.json();
  expect(body).toMatchObject({ open: false, signoffs: [], project: { slug: project.slug, name: project.name }, liveAt: null });
  expect(body.reasons.map((reason: { code: string }) => reason.code)).toEqual(["SIGNOFF_MISSING", "SIGNOFF_MISSING", "SIGNOFF_MISSING", "SIGNOFF_MISSING"]);
  expect(Date.parse(body.checkedAt)).not.toBeNaN();

  // The page's own step fails the pipeline while the gate is closed, and passes once it opens.
  expect(runGateStep(command, token)).toBe(1);
  await testDb().project.update({ where: { id: project.id }, data: { requiredSlots: [] } });
  expect((await (await api.get(gatePath(project.slug), { headers })).json()).open).toBe(true);
  expect(runGateStep(command, token)).toBe(0);

  // The token is shown once: after a reload only its prefix is left, and its last use is recorded.
  await page.reload();
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(token);
  await expect(row).not.toContainText("never");

  // Another project, or one that does not exist: the same 404.
  const foreign = await api.get(gatePath(otherProject.slug), { headers });
  const missing = await api.get(gatePath(`no-such-${otherProject.slug}`), { headers });
  expect([foreign.status(), missing.status()]).toEqual([404, 404]);
  expect(await foreign.json()).toEqual(notFoundBody);
  expect(await missing.json()).toEqual(notFoundBody);

  await row.getByRole("button", { name: "Revoke CI deploy" }).click();
  await expect(row).toContainText("Revoked");
  const revoked = await api.get(gatePath(project.slug), { headers });
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.code).toBe("UNAUTHORIZED");
  expect(runGateStep(command, token)).not.toBe(0);

  const actions = await testDb().auditEvent.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" }, select: { action: true, actorName: true, after: true } });
  expect(actions.map(({ action, actorName }) => ({ action, actorName }))).toEqual([
    { action: "token.created", actorName: lead.name },
    { action: "token.revoked", actorName: lead.name },
  ]);
  expect(JSON.stringify(actions)).not.toContain(token);
  await api.dispose();
});

test("malformed or missing credentials get 401; a person's session reads the gates they may see", async ({ page, playwright, baseURL }) => {
  const lead = await createUser("Gate Reader");
  const project = await createProject([[lead.id, ["LEAD"]]]);
  const hidden = await createProject([]);
  const api = await playwright.request.newContext({ baseURL });

  for (const authorization of ["Bearer nope", `Bearer ssp_${"A".repeat(43)}`, "Basic dXNlcjpwYXNz", "Bearer "]) {
    const response = await api.get(gatePath(project.slug), { headers: { authorization } });
    expect(response.status(), authorization).toBe(401);
    expect((await response.json()).error.code).toBe("UNAUTHORIZED");
  }
  const anonymous = await api.get(gatePath(project.slug));
  expect(anonymous.status()).toBe(401);
  expect((await anonymous.json()).error.code).toBe("UNAUTHORIZED");
  await api.dispose();

  await signIn(page, lead.email, TEST_PASSWORD);
  const own = await page.request.get(gatePath(project.slug));
  expect(own.status()).toBe(200);
  expect((await own.json()).project).toEqual({ slug: project.slug, name: project.name });
  const other = await page.request.get(gatePath(hidden.slug));
  expect(other.status()).toBe(404);
  expect(await other.json()).toEqual(notFoundBody);
});

test("members below lead see no Tokens tab and get the 404 page at /tokens", async ({ page }) => {
  const lead = await createUser("Tab Lead");
  const dba = await createUser("Tab Dba");
  const project = await createProject([
    [lead.id, ["LEAD"]],
    [dba.id, ["DBA"]],
  ]);
  await signIn(page, dba.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);
  await expect(page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Members" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Tokens" })).toHaveCount(0);
  const response = await page.goto(`/projects/${project.slug}/tokens`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});
