import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createProject, createUser, expect, expectAccessible, signIn, test, testDb, TEST_PASSWORD } from "./support/fixtures";

// A lead makes an API token in the browser and a pipeline (a cookie-less HTTP client, and the
// documented shell step itself) reads the go-live gate with it. Misused tokens get 401 or 404,
// and a 404 never tells whether the project exists.

const gatePath = (slug: string) => `/api/v1/projects/${slug}/gate`;
const notFoundBody = { error: { code: "NOT_FOUND", message: "Project not found." } };

/**
 * Runs the pipeline step exactly as the page shows it, in a fresh directory, with the token as a
 * secret variable. Asynchronously: a server in this process (the fake one below) must answer it.
 */
function runStep(command: string, token: string | undefined): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const cwd = mkdtempSync(path.join(tmpdir(), "gate-step-"));
  const environment = { ...process.env, SHIPSHAPE_TOKEN: token };
  if (token === undefined) delete environment.SHIPSHAPE_TOKEN;
  const child = spawn("sh", ["-c", command], { cwd, env: environment });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on("close", (status) => resolve({ status, stdout, stderr })));
}

async function runGateStep(command: string, token: string): Promise<number | null> {
  return (await runStep(command, token)).status;
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
  expect(command).toContain(`SHIPSHAPE_URL="${baseURL}" sh shipshape-gate.sh ${project.slug}`);
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
  expect(await runGateStep(command, token)).toBe(1);
  await testDb().project.update({ where: { id: project.id }, data: { requiredSlots: [] } });
  expect((await (await api.get(gatePath(project.slug), { headers })).json()).open).toBe(true);
  expect(await runGateStep(command, token)).toBe(0);

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
  await page.getByRole("dialog", { name: "Revoke the token “CI deploy”?" }).getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("Revoked");
  const revoked = await api.get(gatePath(project.slug), { headers });
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.code).toBe("UNAUTHORIZED");
  expect(await runGateStep(command, token)).toBe(2);

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

test("the pipeline step tells an open gate (0), a closed one (1) and a failed call (2) apart, with the cause on one line", async ({ page, baseURL, request }) => {
  const lead = await createUser("Step Lead");
  const project = await createProject([[lead.id, ["LEAD"]]]);
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}/tokens`);
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill("Step check");
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  const command = (await page.getByTestId("gate-command").textContent()) ?? "";
  expect(command).toContain(`${baseURL}/api/v1/gate.sh`);

  const closed = await runStep(command, token);
  expect(closed.status).toBe(1);
  expect(closed.stderr).toContain("is closed");
  expect(closed.stderr).toContain("DevOps sign-off has not been given.");

  await testDb().project.update({ where: { id: project.id }, data: { requiredSlots: [] } });
  const open = await runStep(command, token);
  expect(open).toMatchObject({ status: 0, stderr: "" });
  expect(open.stdout).toContain(`the go-live gate of ${project.slug} is open`);

  const failures = [
    { name: "no token", result: await runStep(command, undefined), cause: "SHIPSHAPE_TOKEN is not set" },
    { name: "a refused token", result: await runStep(command, `ssp_${"A".repeat(43)}`), cause: "HTTP 401" },
    { name: "a wrong project", result: await runStep(command.replace(new RegExp(`${project.slug}$`), "no-such-project"), token), cause: "HTTP 404" },
    { name: "the server down", result: await runStep(command.replaceAll(baseURL!, "http://127.0.0.1:9"), token), cause: "" },
  ];
  for (const { name, result, cause } of failures) {
    expect(result.status, name).toBe(2);
    expect(result.stderr.trim().split("\n"), name).toHaveLength(1);
    expect(result.stderr, name).toContain(cause);
  }

  // A server that fails, or answers something that is not a gate: the same step, served the real script.
  const script = await (await request.get("/api/v1/gate.sh")).text();
  let answer: { status: number; body: string } = { status: 500, body: "Internal Server Error" };
  const fake = createServer((incoming, response) => {
    if (incoming.url === "/api/v1/gate.sh") response.writeHead(200).end(script);
    else response.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
  });
  await new Promise<void>((resolve) => fake.listen(0, "127.0.0.1", resolve));
  const fakeOrigin = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
  const elsewhere = command.replaceAll(baseURL!, fakeOrigin);
  try {
    const serverError = await runStep(elsewhere, token);
    expect(serverError.status).toBe(2);
    expect(serverError.stderr).toContain("HTTP 500");
    answer = { status: 200, body: "<html>Sign in</html>" };
    const notAGate = await runStep(elsewhere, token);
    expect(notAGate.status).toBe(2);
    expect(notAGate.stderr).toContain("not a gate");
  } finally {
    await new Promise((resolve) => fake.close(resolve));
  }
});
