import type { Page } from "@playwright/test";
import { openApiDocument } from "@/lib/rest/openapi";
import { shipshapeClient, type ShipshapeClient } from "@/lib/rest/client";
import { apiHistoryPageSchema, apiItemDetailSchema, apiItemsPageSchema, apiSignoffsSchema, apiTemplateVersionSchema } from "@/lib/rest/schemas";
import { createProject, createUser, expect, expectAccessible, openItem, signIn, test, TEST_PASSWORD, testDb } from "./support/fixtures";

// The work itself over REST, through the typed client generated from the API's own document:
// items read a page at a time with the checklist's filters, changed on the version seen (409 with
// the current state otherwise), evidenced, commented and assigned all or nothing; sign-offs and
// history read back. Every answer is also checked against the schema the document gives for it.

/** A typed client that carries this page's session, as a script holding the cookie would. */
async function clientFor(page: Page): Promise<ShipshapeClient> {
  const origin = new URL(page.url()).origin;
  const cookie = (await page.context().cookies(origin)).map((entry) => `${entry.name}=${entry.value}`).join("; ");
  return shipshapeClient({ baseUrl: origin, headers: { cookie, origin } });
}

async function projectWithItems() {
  const lead = await createUser("Rest Lead");
  const dba = await createUser("Rest Dba");
  const project = await createProject([
    [lead.id, ["LEAD"]],
    [dba.id, ["DBA"]],
  ]);
  const section = await testDb().checklistSection.create({ data: { projectId: project.id, title: "Data", position: 0 }, select: { id: true } });
  const titles = ["Backups restore tested", "Connection pool sized", "Replica lag alert", "On-call rota published", "Runbook linked"];
  await testDb().checklistItem.createMany({
    data: titles.map((title, position) => ({ projectId: project.id, sectionId: section.id, position, title, area: position < 3 ? ("DBA" as const) : ("GENERAL" as const) })),
  });
  return { lead, dba, project };
}

test("items over REST: pages and filters, a change on a stale version is 409 with the current state, evidence, comments, assignments, sign-offs and history", async ({ page, browser }) => {
  const { lead, dba, project } = await projectWithItems();
  await signIn(page, lead.email, TEST_PASSWORD);
  const api = await clientFor(page);
  const slug = project.slug;

  // The document the server serves is the one the client was generated from.
  const served = await api.GET("/api/v1/openapi.json");
  expect(served.response.status).toBe(200);
  expect(JSON.stringify(served.data)).toBe(JSON.stringify(openApiDocument(new URL(page.url()).origin)));

  // Two at a time, in checklist order, until the cursor runs out.
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const { data, response } = await api.GET("/api/v1/projects/{slug}/items", { params: { path: { slug }, query: { limit: 2, ...(cursor ? { cursor } : {}) } } });
    expect(response.status).toBe(200);
    const pageOfItems = apiItemsPageSchema.parse(data);
    expect(pageOfItems.total).toBe(5);
    seen.push(...pageOfItems.items.map((item) => item.title));
    cursor = pageOfItems.nextCursor ?? undefined;
  } while (cursor);
  expect(seen).toEqual(["Backups restore tested", "Connection pool sized", "Replica lag alert", "On-call rota published", "Runbook linked"]);
  const dbaItems = await api.GET("/api/v1/projects/{slug}/items", { params: { path: { slug }, query: { area: "DBA" } } });
  expect(dbaItems.data?.items.map((item) => item.area)).toEqual(["DBA", "DBA", "DBA"]);
  const badFilter = await api.GET("/api/v1/projects/{slug}/items", { params: { path: { slug }, query: { limit: 0 } } });
  expect(badFilter.response.status).toBe(422);
  expect(badFilter.error?.error.fieldErrors).toHaveProperty("limit");

  // Done needs evidence: refused naming the field, nothing written.
  const item = dbaItems.data!.items[0]!;
  const refused = await api.PATCH("/api/v1/items/{id}", { params: { path: { id: item.id } }, body: { expectedVersion: item.version, status: "DONE" } });
  expect(refused.response.status).toBe(422);
  expect(refused.error?.error.fieldErrors).toHaveProperty("note");
  const saved = await api.PATCH("/api/v1/items/{id}", { params: { path: { id: item.id } }, body: { expectedVersion: item.version, status: "DONE", note: "Restored last night's backup to staging in 12 minutes." } });
  expect(saved.response.status).toBe(200);
  expect(saved.data).toMatchObject({ changed: true, item: { status: "DONE", version: item.version + 1, evidenceCount: 1 } });
  // The same change again on the old version: 409, and the item as it is now beside it.
  const stale = await api.PATCH("/api/v1/items/{id}", { params: { path: { id: item.id } }, body: { expectedVersion: item.version, status: "IN_PROGRESS" } });
  expect(stale.response.status).toBe(409);
  expect(stale.error?.error.data).toMatchObject({ current: { id: item.id, status: "DONE", version: item.version + 1 } });
  expect((await testDb().checklistItem.findUniqueOrThrow({ where: { id: item.id } })).status).toBe("DONE");
  // Only the status (and version) is recorded, with the evidence.
  const updated = await testDb().auditEvent.findFirstOrThrow({ where: { entityId: item.id, action: "item.updated" }, orderBy: { seq: "desc" } });
  expect(Object.keys(updated.before as object).sort()).toEqual(["status", "title", "version"]);

  // Evidence in and out, and a comment.
  const link = await api.POST("/api/v1/items/{id}/evidence", { params: { path: { id: item.id } }, body: { expectedVersion: item.version + 1, kind: "LINK", url: "https://runbooks.example.com/restore" } });
  expect(link.response.status).toBe(201);
  const removed = await api.DELETE("/api/v1/items/{id}/evidence/{evidenceId}", { params: { path: { id: item.id, evidenceId: link.data!.evidenceId }, query: { expectedVersion: link.data!.version } } });
  expect(removed.data).toEqual({ version: link.data!.version + 1 });
  const comment = await api.POST("/api/v1/items/{id}/comments", { params: { path: { id: item.id } }, body: { body: "Restore time is within the objective." } });
  expect(comment.response.status).toBe(201);
  const detail = apiItemDetailSchema.parse((await api.GET("/api/v1/items/{id}", { params: { path: { id: item.id } } })).data);
  expect(detail.evidence.map((entry) => entry.kind)).toEqual(["NOTE"]);
  expect(detail.comments.map((entry) => entry.body)).toEqual(["Restore time is within the objective."]);

  // Assignments are all or nothing: one item on an old version refuses the lot.
  const all = (await api.GET("/api/v1/projects/{slug}/items", { params: { path: { slug }, query: { area: "DBA" } } })).data!.items;
  const outdated = all.map((entry) => ({ itemId: entry.id, expectedVersion: entry.id === item.id ? 1 : entry.version }));
  const refusedLot = await api.POST("/api/v1/projects/{slug}/assignments", { params: { path: { slug } }, body: { items: outdated, assigneeId: dba.id, dueDate: "2030-06-30" } });
  expect(refusedLot.response.status).toBe(409);
  expect(await testDb().checklistItem.count({ where: { projectId: project.id, assigneeId: dba.id } })).toBe(0);
  const assigned = await api.POST("/api/v1/projects/{slug}/assignments", {
    params: { path: { slug } },
    body: { items: all.map((entry) => ({ itemId: entry.id, expectedVersion: entry.version })), assigneeId: dba.id, dueDate: "2030-06-30" },
  });
  expect(assigned.data).toEqual({ changed: 3 });
  const mine = (await api.GET("/api/v1/projects/{slug}/items", { params: { path: { slug }, query: { assignee: dba.id } } })).data!;
  expect(mine.items.map((entry) => entry.assignee?.name)).toEqual([dba.name, dba.name, dba.name]);

  // Sign-offs and history read back.
  const signoffs = apiSignoffsSchema.parse((await api.GET("/api/v1/projects/{slug}/signoffs", { params: { path: { slug } } })).data);
  expect(signoffs.gate.open).toBe(false);
  expect(signoffs.slots.map((slot) => [slot.slot, slot.rounds.length])).toEqual([
    ["DEVOPS", 0],
    ["DBA", 0],
    ["SECURITY", 0],
    ["GO_LIVE", 0],
  ]);
  const history = apiHistoryPageSchema.parse((await api.GET("/api/v1/projects/{slug}/history", { params: { path: { slug }, query: { action: "item.updated" } } })).data);
  expect(history.events.map((event) => [event.action, event.actorName])).toEqual([["item.updated", lead.name]]);

  // Someone outside the project finds nothing there.
  const outsider = await createUser("Rest Outsider");
  const outsiderContext = await browser.newContext();
  const outsiderPage = await outsiderContext.newPage();
  await signIn(outsiderPage, outsider.email, TEST_PASSWORD);
  const outsiderApi = await clientFor(outsiderPage);
  expect((await outsiderApi.GET("/api/v1/items/{id}", { params: { path: { id: item.id } } })).response.status).toBe(404);
  expect((await outsiderApi.PATCH("/api/v1/items/{id}", { params: { path: { id: item.id } }, body: { expectedVersion: item.version + 3, status: "TODO" } })).response.status).toBe(404);
  await outsiderContext.close();
});

test("templates over REST: the library, a version as JSON and as Markdown, and a new version published from that Markdown on the version seen", async ({ page }) => {
  const owner = await createUser("Template Owner");
  await createProject([[owner.id, ["LEAD"]]]);
  const slug = `rest-template-${Date.now().toString(36)}`;
  const content = {
    title: "Service launch",
    sections: [{ title: "Operations", items: [{ key: "oncall", title: "On-call rota published", details: "", area: "GENERAL", required: true, status: "TODO", children: [] }] }],
  };
  const template = await testDb().template.create({
    data: { slug, name: "Service launch", versions: { create: { version: 1, content, itemCount: 1, createdById: owner.id } } },
    select: { id: true, versions: { select: { id: true } } },
  });
  await signIn(page, owner.email, TEST_PASSWORD);
  const api = await clientFor(page);

  const library = await api.GET("/api/v1/templates");
  expect(library.data?.templates.find((entry) => entry.slug === slug)).toMatchObject({ name: "Service launch", latestVersion: 1, itemCount: 1, builtIn: false });
  const versionId = template.versions[0]!.id;
  const asJson = await api.GET("/api/v1/templates/{slug}/versions/{id}", { params: { path: { slug, id: versionId } } });
  expect(asJson.data).toMatchObject({ version: 1, latest: true, sections: [{ title: "Operations", items: [{ key: "oncall", title: "On-call rota published", area: "GENERAL", children: [] }] }] });
  const asMarkdown = await page.request.get(`/api/v1/templates/${slug}/versions/${versionId}?format=md`);
  expect(asMarkdown.headers()["content-type"]).toContain("text/markdown");
  const markdown = await asMarkdown.text();
  expect(markdown).toContain("On-call rota published");

  // Edited into version 2; a second publish on version 1 is refused.
  const edited = `${markdown.trimEnd()}\n- [ ] Runbook linked from the alert\n`;
  const published = await api.POST("/api/v1/templates/{slug}/versions", { params: { path: { slug } }, body: { expectedVersion: 1, markdown: edited } });
  expect(published.response.status).toBe(201);
  expect(published.data).toEqual({ version: 2 });
  const again = await api.POST("/api/v1/templates/{slug}/versions", { params: { path: { slug } }, body: { expectedVersion: 1, markdown: edited } });
  expect(again.response.status).toBe(409);
  const detail = await api.GET("/api/v1/templates/{slug}", { params: { path: { slug } } });
  expect(detail.data?.versions.map((version) => [version.version, version.itemCount])).toEqual([
    [2, 2],
    [1, 1],
  ]);
  const older = await api.GET("/api/v1/templates/{slug}/versions/{id}", { params: { path: { slug, id: versionId } } });
  expect(apiTemplateVersionSchema.parse(older.data).latest).toBe(false);
});

test("a pipeline with an items:write token marks an item done with a link to its build, once however often it retries, and reads the gate", async ({ page }) => {
  const { lead, project } = await projectWithItems();
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}/tokens`);
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill("Deploy pipeline");
  await form.getByRole("checkbox", { name: /work items/ }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^ssp_/);
  await expect(page.getByRole("row", { name: /Deploy pipeline/ })).toContainText("work items: status, evidence, comments");

  // What the pipeline does, with nothing but the token.
  const pipeline = shipshapeClient({ baseUrl: new URL(page.url()).origin, token });
  const open = await pipeline.GET("/api/v1/projects/{slug}/items", { params: { path: { slug: project.slug }, query: { status: "OPEN", area: "DBA" } } });
  expect(open.response.status).toBe(200);
  const item = open.data!.items[0]!;
  const key = `build-4512-${item.id}`;
  const body = { expectedVersion: item.version, kind: "LINK" as const, url: "https://ci.example.com/builds/4512", note: "Restore drill passed." };
  const first = await pipeline.POST("/api/v1/items/{id}/evidence", { params: { path: { id: item.id } }, body, headers: { "idempotency-key": key } });
  expect(first.response.status).toBe(201);
  const retried = await pipeline.POST("/api/v1/items/{id}/evidence", { params: { path: { id: item.id } }, body, headers: { "idempotency-key": key } });
  expect(retried.response.status).toBe(201);
  expect(retried.response.headers.get("idempotent-replayed")).toBe("true");
  expect(retried.data).toEqual(first.data);
  const reused = await pipeline.POST("/api/v1/items/{id}/evidence", { params: { path: { id: item.id } }, body: { ...body, url: "https://ci.example.com/builds/4513" }, headers: { "idempotency-key": key } });
  expect(reused.response.status).toBe(422);
  const done = await pipeline.PATCH("/api/v1/items/{id}", { params: { path: { id: item.id } }, body: { expectedVersion: first.data!.version, status: "DONE" } });
  expect(done.data?.item).toMatchObject({ status: "DONE", evidenceCount: 1 });
  expect(await testDb().evidence.count({ where: { itemId: item.id } })).toBe(1);
  const event = await testDb().auditEvent.findFirstOrThrow({ where: { entityId: item.id, action: "item.updated" }, orderBy: { seq: "desc" } });
  expect(event.actorName).toBe(`Deploy pipeline (token ${token.slice(0, 12)}…)`);

  // What the token was not given: renaming items, assigning them; its gate is readable (gate:read by default).
  const renamed = await pipeline.PATCH("/api/v1/items/{id}", { params: { path: { id: item.id } }, body: { expectedVersion: item.version + 2, title: "Renamed" } });
  expect(renamed.response.status).toBe(403);
  const assigned = await pipeline.POST("/api/v1/projects/{slug}/assignments", { params: { path: { slug: project.slug } }, body: { items: [{ itemId: item.id, expectedVersion: item.version + 2 }], assigneeId: "none" } });
  expect(assigned.response.status).toBe(401);
  const gate = await pipeline.GET("/api/v1/projects/{slug}/gate", { params: { path: { slug: project.slug } } });
  expect(gate.response.status).toBe(200);
});

test("a pipeline with a results:write token proves an item with a pass and reopens it with a failure; the item shows its results", async ({ page }) => {
  const { lead, project } = await projectWithItems();
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}/tokens`);
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill("Restore drill");
  await form.getByRole("checkbox", { name: /record results/ }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^ssp_/);

  const pipeline = shipshapeClient({ baseUrl: new URL(page.url()).origin, token });
  const listed = await pipeline.GET("/api/v1/projects/{slug}/items", { params: { path: { slug: project.slug }, query: { area: "DBA" } } });
  const item = listed.data!.items.find((entry) => entry.title === "Backups restore tested")!;
  const path = { slug: project.slug, id: item.id };
  const pass = { status: "pass" as const, summary: "Restored the nightly snapshot in 7 min.", url: "https://ci.example.com/drills/31", facts: { restoredRows: 1204332 }, markDone: true };
  const first = await pipeline.POST("/api/v1/projects/{slug}/items/{id}/results", { params: { path }, body: pass, headers: { "idempotency-key": "drill-31" } });
  expect(first.response.status).toBe(201);
  expect(first.data?.item).toMatchObject({ status: "DONE", statusChanged: true });
  const retried = await pipeline.POST("/api/v1/projects/{slug}/items/{id}/results", { params: { path }, body: pass, headers: { "idempotency-key": "drill-31" } });
  expect(retried.response.headers.get("idempotent-replayed")).toBe("true");
  expect(retried.data).toEqual(first.data);
  expect(await testDb().itemResult.count({ where: { itemId: item.id } })).toBe(1);

  const fail = await pipeline.POST("/api/v1/projects/{slug}/items/{id}/results", { params: { path }, body: { status: "fail", summary: "Checksum mismatch on table orders." }, headers: { "idempotency-key": "drill-32" } });
  expect(fail.data?.item).toMatchObject({ status: "BLOCKED", statusChanged: true });
  const bad = await pipeline.POST("/api/v1/projects/{slug}/items/{id}/results", { params: { path }, body: { status: "maybe" as "pass", summary: "" } });
  expect(bad.response.status).toBe(422);
  // The token records results; it does not work items otherwise.
  const patched = await pipeline.PATCH("/api/v1/items/{id}", { params: { path: { id: item.id } }, body: { expectedVersion: fail.data!.item.version, status: "DONE" } });
  expect(patched.response.status).toBe(403);

  const detail = await pipeline.GET("/api/v1/items/{id}", { params: { path: { id: item.id } } });
  expect(detail.data?.results.map((result) => result.outcome)).toEqual(["FAIL", "PASS"]);

  // What the lead sees on the checklist: blocked, with the failure first and the pass behind it.
  await page.goto(`/projects/${project.slug}`);
  await openItem(page, "Backups restore tested");
  const results = page.getByRole("region", { name: "Results" });
  await expect(results.getByTestId("latest-result")).toContainText("Failed");
  await expect(results.getByTestId("latest-result")).toContainText("Checksum mismatch on table orders.");
  await results.getByText("1 earlier result").click();
  await expect(results.getByTestId("result")).toContainText("Restored the nightly snapshot in 7 min.");
  await expectAccessible(page);
});

test("the API reference: reached from Settings, one entry per operation of the document, accessible", async ({ page }) => {
  const reader = await createUser("Docs Reader");
  await signIn(page, reader.email, TEST_PASSWORD);
  await page.goto("/settings");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  const document = openApiDocument();
  const count = Object.values(document.paths).reduce((sum, methods) => sum + Object.keys(methods).length, 0);
  await expect(page.locator("article")).toHaveCount(count);
  await expect(page.getByRole("heading", { level: 3, name: "patch /api/v1/items/{id}" })).toBeVisible();
  await expectAccessible(page);
});

test("the API reference's Try it sends a request with the token entered, and only with it", async ({ page }) => {
  const { lead, project } = await projectWithItems();
  await signIn(page, lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}/tokens`);
  const form = page.getByRole("form", { name: "Create token" });
  await form.getByLabel("Token name").fill("Docs trial");
  await form.getByRole("checkbox", { name: /read items/ }).check();
  await form.getByRole("button", { name: "Create token" }).click();
  const token = (await page.getByTestId("new-token").textContent()) ?? "";
  expect(token).toMatch(/^ssp_/);

  await page.goto("/api/docs");
  const gate = page.locator("article#getProjectsBySlugGate");
  await gate.getByText("Try it", { exact: true }).click();
  const tryGate = gate.getByRole("form", { name: "Try GET /api/v1/projects/{slug}/gate" });
  // Without a token the request carries no credentials, although this browser is signed in.
  await tryGate.getByRole("button", { name: "Send request" }).click();
  await expect(tryGate.getByText("Enter slug: the request needs it.")).toBeVisible();
  await tryGate.getByLabel(/^slug/).fill(project.slug);
  await tryGate.getByRole("button", { name: "Send request" }).click();
  await expect(tryGate.getByTestId("try-it-status")).toHaveText("401");

  await page.getByLabel("Token for “Try it”").fill(token);
  await tryGate.getByRole("button", { name: "Send request" }).click();
  await expect(tryGate.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryGate.getByTestId("try-it-body")).toContainText('"open": false');
  await expect(tryGate.getByTestId("try-it-body")).toContainText(project.slug);

  const items = page.locator("article#getProjectsBySlugItems");
  await items.getByText("Try it", { exact: true }).click();
  const tryItems = items.getByRole("form", { name: "Try GET /api/v1/projects/{slug}/items" });
  await tryItems.getByLabel(/^slug/).fill(project.slug);
  await tryItems.getByLabel(/^area/).fill("DBA");
  await tryItems.getByRole("button", { name: "Send request" }).click();
  await expect(tryItems.getByTestId("try-it-status")).toHaveText("200");
  await expect(tryItems.getByTestId("try-it-body")).toContainText("Backups restore tested");
  await expect(tryItems.getByTestId("try-it-body")).not.toContainText("On-call rota published");
  await tryItems.getByText("As a shell command").click();
  await expect(tryItems.getByText(/Authorization: Bearer \$SHIPSHAPE_TOKEN/)).toBeVisible();
  await expect(page.getByText(token)).toHaveCount(0);

  // A change the token was not given is refused, with the answer shown as it came.
  const patch = page.locator("article#patchItemsById");
  await patch.getByText("Try it", { exact: true }).click();
  const tryPatch = patch.getByRole("form", { name: "Try PATCH /api/v1/items/{id}" });
  const item = await testDb().checklistItem.findFirstOrThrow({ where: { projectId: project.id, title: "Backups restore tested" }, select: { id: true } });
  await tryPatch.getByLabel(/^id/).fill(item.id);
  await expect(tryPatch.getByLabel(/^Body/)).toHaveValue(/"expectedVersion": 1/);
  await tryPatch.getByRole("button", { name: "Send request" }).click();
  await expect(tryPatch.getByTestId("try-it-status")).toHaveText("403");
  expect(await testDb().checklistItem.findUniqueOrThrow({ where: { id: item.id }, select: { status: true } })).toEqual({ status: "TODO" });
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByLabel("Token for “Try it”")).toHaveValue("");
});
