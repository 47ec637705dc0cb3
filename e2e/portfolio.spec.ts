import { randomUUID } from "node:crypto";
import type { ItemStatus } from "@/lib/generated/prisma/enums";
import { createUser, expect, expectAccessible, signIn, signInAsDemo, test, testDb, TEST_PASSWORD } from "./support/fixtures";

// The portfolio dashboard: each person sees exactly their projects with their progress and
// what blocks them, sorts the table through the URL, and an auditor sees every project.

function day(offset: number): Date {
  return new Date(`${new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
}

/** A project led by `leadId` with a checklist of the given statuses (one section, DBA and SECURITY items). */
async function projectWithItems(name: string, leadId: string, targetGoLive: Date, statuses: ItemStatus[]) {
  const db = testDb();
  const project = await db.project.create({
    data: { slug: `e2e-${randomUUID().slice(0, 8)}`, name, targetGoLive, members: { create: [{ userId: leadId, roles: ["LEAD"] }] } },
    select: { id: true, slug: true, name: true },
  });
  const section = await db.checklistSection.create({ data: { projectId: project.id, title: "Checks", position: 0 }, select: { id: true } });
  await db.checklistItem.createMany({
    data: statuses.map((status, position) => ({
      projectId: project.id,
      sectionId: section.id,
      position,
      title: `Check ${position + 1}`,
      area: position % 2 === 0 ? ("DBA" as const) : ("SECURITY" as const),
      status,
      statusReason: status === "BLOCKED" ? "Waiting" : null,
    })),
  });
  return project;
}

test("a lead sees their projects with progress and blockers, and sorts them by target date", async ({ page }) => {
  const lead = await createUser("Portfolio Lead");
  const other = await createUser("Someone Else");
  const suffix = randomUUID().slice(0, 6);
  // Alpha goes live later than Zulu, so sorting by target date reverses the name order.
  const alpha = await projectWithItems(`Alpha ${suffix}`, lead.id, day(40), ["DONE", "TODO", "DONE", "NOT_APPLICABLE"]);
  const zulu = await projectWithItems(`Zulu ${suffix}`, lead.id, day(-3), ["TODO", "BLOCKED"]);
  await projectWithItems(`Hidden ${suffix}`, other.id, day(10), ["TODO"]);

  await signIn(page, lead.email, TEST_PASSWORD);
  const rows = page.getByTestId("portfolio-row");
  const names = rows.getByRole("link");
  await expect(names).toHaveText([alpha.name, zulu.name]);

  const alphaRow = rows.filter({ hasText: alpha.name });
  await expect(alphaRow.getByRole("list", { name: "Your roles" })).toHaveText("Lead");
  await expect(alphaRow).toContainText("75%");
  await expect(alphaRow).toContainText("3/4 items");
  await expect(alphaRow.getByRole("img", { name: "DBA: 2 of 2 ready" })).toBeVisible();
  await expect(alphaRow.getByRole("img", { name: "Security: 1 of 2 ready" })).toBeVisible();
  await expect(alphaRow.getByTestId("blockers")).toHaveText(/1 required item open\s*No sign-offs yet/);

  const zuluRow = rows.filter({ hasText: zulu.name });
  await expect(zuluRow).toContainText("Past target");
  await expect(zuluRow.getByRole("img", { name: "Security: 0 of 1 ready, 1 blocked" })).toBeVisible();
  await expect(zuluRow.getByTestId("blockers")).toContainText("2 required items open");
  await expect(page.getByRole("img", { name: /^Percent of items ready per day/ })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("link", { name: "Target go-live", exact: true }).click();
  await expect(page).toHaveURL(/\/\?sort=target&dir=asc$/);
  await expect(names).toHaveText([zulu.name, alpha.name]);
  await expect(page.getByRole("columnheader", { name: "Target go-live" })).toHaveAttribute("aria-sort", "ascending");
  await expect(page.getByRole("columnheader", { name: "Project" })).not.toHaveAttribute("aria-sort");

  // The same header again reverses the order; the view survives a reload, so it can be shared.
  await page.getByRole("link", { name: "Target go-live", exact: true }).click();
  await expect(page).toHaveURL(/\/\?sort=target&dir=desc$/);
  await expect(names).toHaveText([alpha.name, zulu.name]);
  await page.reload();
  await expect(page.getByRole("columnheader", { name: "Target go-live" })).toHaveAttribute("aria-sort", "descending");
  await expect(names).toHaveText([alpha.name, zulu.name]);

  // By keyboard: the least progressed first.
  await page.getByRole("link", { name: "Ready", exact: true }).focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/\?sort=progress&dir=asc$/);
  await expect(names).toHaveText([zulu.name, alpha.name]);

  // The chart's figures are also a table.
  await page.getByText("Show the figures as a table").click();
  const figures = page.getByRole("table", { name: /^Percent of items ready at the end of each day/ });
  await expect(figures.getByRole("row")).toHaveCount(31);
  await expect(figures.getByRole("columnheader", { name: alpha.name })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole("link", { name: alpha.name }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(alpha.name);
});

test("an auditor sees every project, with no way to start one", async ({ page }) => {
  const existing = (await testDb().project.findMany({ select: { name: true } })).map((project) => project.name);
  await signInAsDemo(page, "auditor");
  await expect(page.getByTestId("portfolio-row").first()).toBeVisible();
  const shown = await page.getByTestId("portfolio-row").getByRole("link").allTextContents();
  expect(shown).toEqual(expect.arrayContaining(existing));
  await expect(page.getByTestId("portfolio-summary")).toContainText(`${shown.length} projects you can see`);
  await expect(page.getByRole("link", { name: "New project" })).toHaveCount(0);
  // An auditor holds no project roles.
  await expect(page.getByRole("list", { name: "Your roles" })).toHaveCount(0);
  await expectAccessible(page);
});

test("an unknown sort falls back to the default order", async ({ page }) => {
  await signInAsDemo(page, "dba");
  await page.goto("/?sort=owner&dir=sideways");
  await expect(page.getByTestId("portfolio-row").getByRole("link")).toHaveText(["Railway Reservation", "Traffic Prediction"]);
  await expect(page.getByRole("columnheader", { name: "Project" })).toHaveAttribute("aria-sort", "ascending");
});
