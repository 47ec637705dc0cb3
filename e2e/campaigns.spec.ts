import { randomUUID } from "node:crypto";
import { createProject, createUser, expect, expectAccessible, openItem, signIn, test, TEST_PASSWORD, testDb } from "./support/fixtures";

// A campaign end to end: an admin makes a team with a DBA in it, drafts a campaign for the
// team's two projects, adds an item and starts it; the DBA, who holds the role through the team
// alone, finds the item in My area on both projects and finishes one; the campaign page then
// counts 1 of 2 done.

test("an admin runs a campaign over a team's two projects; the team's DBA finishes one and the campaign shows 1 of 2 done", async ({ browser, page }) => {
  const admin = await createUser("Camp Admin");
  await testDb().user.update({ where: { id: admin.id }, data: { globalRoles: ["ADMIN"] } });
  const dba = await createUser("Team Dba");
  const first = await createProject([]);
  const second = await createProject([]);
  const suffix = randomUUID().slice(0, 6);

  await signIn(page, admin.email, TEST_PASSWORD);
  await page.goto("/admin/teams");
  const newTeam = page.getByRole("form", { name: "New team" });
  await newTeam.getByRole("textbox", { name: /^Name/ }).fill(`Storage ${suffix}`);
  await newTeam.getByRole("button", { name: /Create/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Storage ${suffix}` })).toBeVisible();
  const addMember = page.getByRole("form", { name: "Add to team" });
  await addMember.getByLabel("Email").fill(dba.email);
  await addMember.getByRole("checkbox", { name: "DBA" }).check();
  await addMember.getByRole("button", { name: /Add/ }).click();
  await expect(page.getByRole("region", { name: "Members" }).getByText(dba.email)).toBeVisible();
  const team = await testDb().team.findFirstOrThrow({ where: { name: `Storage ${suffix}` }, select: { id: true } });
  await testDb().project.updateMany({ where: { id: { in: [first.id, second.id] } }, data: { teamId: team.id } });

  await page.goto("/campaigns");
  const draft = page.getByRole("form", { name: "New campaign" });
  await draft.getByRole("textbox", { name: /^Name/ }).fill(`Rotate credentials ${suffix}`);
  await draft.getByLabel("Due on").fill(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10));
  await draft.getByRole("checkbox", { name: `Storage ${suffix}` }).check();
  await draft.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Rotate credentials ${suffix}` })).toBeVisible();
  await expect(page.getByTestId("campaign-reach")).toContainText("2 projects match");
  const addItem = page.getByRole("form", { name: "Add campaign item" });
  await addItem.getByLabel("Item").fill("Database credentials rotate every 90 days");
  await addItem.getByLabel("Area").selectOption("DBA");
  await addItem.getByRole("button", { name: "Add item" }).click();
  await expect(page.getByText("Database credentials rotate every 90 days")).toBeVisible();
  await page.getByRole("form", { name: `Start Rotate credentials ${suffix}` }).getByRole("button", { name: "Start campaign" }).click();
  await page.getByRole("dialog", { name: `Start “Rotate credentials ${suffix}”?` }).getByRole("button", { name: "Start campaign" }).click();
  await expect(page.getByText("Campaign started: its items were added to 2 projects.")).toBeVisible();
  await expect(page.getByTestId("campaign-done")).toContainText("0 of 2 items done");
  await expectAccessible(page);

  const dbaContext = await browser.newContext();
  const dbaPage = await dbaContext.newPage();
  await signIn(dbaPage, dba.email, TEST_PASSWORD);
  await dbaPage.goto("/my/area");
  const rows = dbaPage.getByTestId("checklist-item").filter({ hasText: "Database credentials rotate every 90 days" });
  await expect(rows).toHaveCount(2);
  // My area groups items by project.
  const row = dbaPage.getByRole("region", { name: first.name }).getByTestId("checklist-item").filter({ hasText: "Database credentials rotate every 90 days" });
  await openItem(row, "Database credentials rotate every 90 days");
  const form = row.getByRole("form", { name: "Update Database credentials rotate every 90 days" });
  await form.getByLabel("Status").selectOption("DONE");
  await form.getByLabel("Note", { exact: true }).fill("Rotated with the vault's new lease.");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(dbaPage.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();
  await dbaContext.close();

  await page.reload();
  await expect(page.getByTestId("campaign-done")).toContainText("1 of 2 items done");
  await expect(page.getByRole("img", { name: `${first.name}: 1 of 1 done, 0 overdue` })).toBeVisible();
  await expect(page.getByRole("img", { name: `Storage ${suffix}: 1 of 2 done, 0 overdue` })).toBeVisible();
});
