import { randomUUID } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { createUser, expect, expectAccessible, openItem, signIn, test, TEST_PASSWORD, testDb } from "./support/fixtures";

// The whole review: a lead prepares, owners finish their areas, three approvers sign their
// slots, one item changes and its slot goes stale, the approver signs again, the go-live
// approver signs, the lead marks the project live, and the gate API answers open.

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email, TEST_PASSWORD);
  return page;
}

async function finishItem(page: Page, slug: string, title: string, note: string) {
  await page.goto(`/projects/${slug}`);
  await openItem(page, title);
  const form = page.getByRole("form", { name: `Update ${title}` });
  await form.getByLabel("Status").selectOption("DONE");
  await form.getByLabel("Note", { exact: true }).fill(note);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
}

async function sign(page: Page, slug: string, slot: "DevOps" | "DBA" | "Security" | "Go-live") {
  await page.goto(`/projects/${slug}/signoffs`);
  const form = page.getByRole("form", { name: `Sign ${slot}` });
  await form.getByLabel("Comment (optional)").fill(`Reviewed the ${slot} scope.`);
  await form.getByRole("button", { name: `Approve ${slot}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Signed: round" })).toBeVisible();
}

test("the full go-live review, from preparation to an open gate", async ({ page, browser }) => {
  // The longest journey: several people, every slot signed. Three times the usual bound.
  test.slow();
  const people = {
    lead: await createUser("Lee Lead"),
    devops: await createUser("Devon Ops"),
    dba: await createUser("Dana Base"),
    security: await createUser("Sasha Sec"),
    approverOps: await createUser("Avery Ops Approver"),
    approverDb: await createUser("Blake Db Approver"),
    approverSec: await createUser("Casey Sec Approver"),
    goLive: await createUser("Drew Go-live"),
  };
  await testDb().user.update({ where: { id: people.approverDb.id }, data: { title: "Head of Data" } });
  const roles: [keyof typeof people, ProjectRole[]][] = [
    ["lead", ["LEAD"]],
    ["devops", ["DEVOPS"]],
    ["dba", ["DBA"]],
    ["security", ["SECURITY"]],
    ["approverOps", ["APPROVER"]],
    ["approverDb", ["APPROVER"]],
    ["approverSec", ["APPROVER"]],
    ["goLive", ["APPROVER"]],
  ];
  const project = await testDb().project.create({
    data: {
      slug: `review-${randomUUID().slice(0, 8)}`,
      name: "Ticketing API",
      members: { create: roles.map(([key, memberRoles]) => ({ userId: people[key].id, roles: memberRoles })) },
      sections: { create: { title: "Go-live", position: 0 } },
    },
    select: { id: true, slug: true, sections: { select: { id: true } } },
  });
  const sectionId = project.sections[0]?.id ?? "";
  await testDb().checklistItem.createMany({
    data: [
      { projectId: project.id, sectionId, position: 0, title: "Deploy pipeline rolls back on failed health check", area: "DEVOPS" },
      { projectId: project.id, sectionId, position: 1, title: "Point-in-time recovery tested", area: "DBA" },
      { projectId: project.id, sectionId, position: 2, title: "TLS certificates monitored for expiry", area: "SECURITY" },
    ],
  });
  const slug = project.slug;

  // The lead prepares: the default slots, approvers only.
  await signIn(page, people.lead.email, TEST_PASSWORD);
  await page.goto(`/projects/${slug}/signoffs`);
  await expect(page.getByTestId("gate-status")).toHaveText("Gate closed: 7 reasons");
  const settings = page.getByRole("form", { name: "Sign-off settings" });
  await settings.getByRole("button", { name: "Save sign-off settings" }).click();
  await expect(settings.getByRole("status")).toHaveText("Sign-off settings saved.");
  await expectAccessible(page);

  // Before the owners finish, an approver cannot approve a scope with required items open.
  const approverOps = await as(browser, people.approverOps.email);
  await approverOps.goto(`/projects/${slug}/signoffs`);
  const early = approverOps.getByRole("form", { name: "Sign DevOps" });
  await expect(early.getByTestId("open-in-scope")).toContainText("1 required item of this scope is not ready");
  await expect(early.getByRole("radio", { name: "Approve" })).toBeDisabled();
  await expect(early.getByRole("radio", { name: "Reject" })).toBeChecked();

  // Owners finish their areas, with evidence.
  await finishItem(await as(browser, people.devops.email), slug, "Deploy pipeline rolls back on failed health check", "Rollback drill on staging, run 4512.");
  const dbaPage = await as(browser, people.dba.email);
  await finishItem(dbaPage, slug, "Point-in-time recovery tested", "Restored to 14:05 from WAL, 11 minutes.");
  await finishItem(await as(browser, people.security.email), slug, "TLS certificates monitored for expiry", "Alert at 21 days, tested.");

  // Three approvers sign their slots.
  await sign(approverOps, slug, "DevOps");
  const approverDb = await as(browser, people.approverDb.email);
  await sign(approverDb, slug, "DBA");
  await expect(approverDb.getByTestId("slot-DBA")).toContainText("approved by Blake Db Approver, Head of Data (as approver)");
  await expectAccessible(approverDb);
  const approverSec = await as(browser, people.approverSec.email);
  await sign(approverSec, slug, "Security");

  // The DBA adds evidence: the DBA sign-off goes stale, with what changed.
  await dbaPage.goto(`/projects/${slug}`);
  await openItem(dbaPage, "Point-in-time recovery tested");
  const evidence = dbaPage.getByRole("form", { name: "Add evidence link" });
  await evidence.getByLabel("Link", { exact: true }).fill("https://runbooks.example.com/pitr-drill");
  await evidence.getByRole("button", { name: "Add link" }).click();
  await expect(dbaPage.getByTestId("evidence")).toHaveCount(2);

  await approverDb.goto(`/projects/${slug}/signoffs`);
  await expect(approverDb.getByTestId("slot-DBA").getByTestId("slot-state")).toHaveText("Stale");
  await expect(approverDb.getByTestId("slot-DBA").getByTestId("changes-since")).toContainText("Point-in-time recovery tested: evidence changed");
  await expect(approverDb.getByTestId("slot-DEVOPS").getByTestId("slot-state")).toHaveText("Approved");
  const stale = await testDb().auditEvent.findFirstOrThrow({ where: { projectId: project.id, action: "signoff.stale" }, select: { after: true } });
  expect(stale.after).toMatchObject({ slot: "DBA", cause: { action: "evidence.added", title: "Point-in-time recovery tested" } });

  // The approver signs again: round 2; the history keeps round 1.
  await sign(approverDb, slug, "DBA");
  await expect(approverDb.getByTestId("slot-DBA")).toContainText("Round 2: approved by Blake Db Approver");
  expect(await testDb().signoff.findMany({ where: { projectId: project.id, slot: "DBA" }, orderBy: { round: "asc" }, select: { round: true, state: true } })).toEqual([
    { round: 1, state: "STALE" },
    { round: 2, state: "CURRENT" },
  ]);

  // Go-live approval, then the lead marks the project live.
  await sign(await as(browser, people.goLive.email), slug, "Go-live");
  await page.goto(`/projects/${slug}/signoffs`);
  await expect(page.getByTestId("gate-status")).toHaveText("Gate open: ready to go live");
  // Going live cannot be undone: the button asks first, and Cancel sends nothing.
  await page.getByRole("form", { name: "Mark live" }).getByRole("button", { name: "Mark the project live" }).click();
  const confirm = page.getByRole("dialog", { name: "Mark Ticketing API live?" });
  await expect(confirm).toContainText("4 current sign-offs");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toBeHidden();
  expect((await testDb().project.findUniqueOrThrow({ where: { id: project.id }, select: { liveAt: true } })).liveAt).toBeNull();
  await page.getByRole("form", { name: "Mark live" }).getByRole("button", { name: "Mark the project live" }).click();
  await confirm.getByRole("button", { name: "Mark live" }).click();
  await expect(page.getByTestId("gate-status")).toContainText("Live since");
  await page.getByRole("link", { name: /marked live by Lee Lead/ }).click();
  await expect(page.getByRole("heading", { name: "Go-live record" })).toBeVisible();
  await expect(page.getByRole("row", { name: /^Go-live 1 Approved/ })).toContainText("Drew Go-live");
  await expectAccessible(page);

  // The decision package, as a PDF and as Markdown: every round, and the record's integrity.
  const pdfDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "PDF" }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(new RegExp(`^${slug}-go-live-\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
  const { readFile } = await import("node:fs/promises");
  expect((await readFile((await pdf.path())!)).subarray(0, 5).toString()).toBe("%PDF-");
  await expect(page.getByTestId("export-status")).toContainText("PDF export downloaded.");
  const markdown = await (await page.request.get(new URL(await page.getByRole("link", { name: "Markdown" }).getAttribute("href") ?? "", page.url()).toString())).text();
  expect(markdown).toContain("DBA round 2: approved by Blake Db Approver, Head of Data as approver");
  expect(markdown).toContain("Intact: the audit chain verified");

  // The gate API, as a pipeline would ask it.
  const gate = await page.request.get(`/api/v1/projects/${slug}/gate`);
  expect(gate.status()).toBe(200);
  const body = await gate.json();
  expect(body.open).toBe(true);
  expect(body.reasons).toEqual([]);
  expect(body.signoffs.map((signoff: { slot: string; round: number; decision: string }) => `${signoff.slot}:${signoff.round}:${signoff.decision}`).sort()).toEqual([
    "DBA:2:APPROVED",
    "DEVOPS:1:APPROVED",
    "GO_LIVE:1:APPROVED",
    "SECURITY:1:APPROVED",
  ]);
});
