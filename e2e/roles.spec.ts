import { demoProjects } from "@/lib/demo/seed";
import { expect, expectAccessible, signInAsDemo, test, testDb } from "./support/fixtures";

// Each demo role signs in and sees exactly its projects and the actions it may take.

const allProjects = demoProjects.map((project) => project.name).sort();
// Admins and auditors see every project, including those other tests create meanwhile.
const expectations = [
  { key: "lead", projects: allProjects, nav: ["Projects", "My work", "Templates", "Sign-offs"], managesMembersOf: "Railway Reservation" },
  { key: "devops", projects: allProjects, nav: ["Projects", "My work", "Templates", "Sign-offs"], managesMembersOf: "CivicLens API" },
  { key: "dba", projects: ["Railway Reservation", "Traffic Prediction"], nav: ["Projects", "My work", "Templates", "Sign-offs"], managesMembersOf: null },
  { key: "security", projects: ["CivicLens API", "Railway Reservation"], nav: ["Projects", "My work", "Templates", "Sign-offs"], managesMembersOf: null },
  { key: "approver", projects: allProjects, nav: ["Projects", "My work", "Templates", "Sign-offs"], managesMembersOf: null },
  { key: "auditor", projects: allProjects, nav: ["Projects", "Templates", "Campaigns", "Activity"], managesMembersOf: null },
  { key: "admin", projects: allProjects, nav: ["Projects", "My work", "Templates", "Sign-offs", "Campaigns", "Activity", "Admin"], managesMembersOf: "CivicLens API" },
] as const;

for (const role of expectations) {
  test(`${role.key} sees exactly their projects and actions`, async ({ page }) => {
    const seesAll = role.key === "admin" || role.key === "auditor";
    const existing = seesAll ? (await testDb().project.findMany({ select: { name: true } })).map((project) => project.name) : [];
    await signInAsDemo(page, role.key);
    const shownProjects = page.getByTestId("portfolio-row").getByRole("link");
    if (seesAll) {
      await expect(page.getByTestId("portfolio-row").first()).toBeVisible();
      const shown = await shownProjects.allTextContents();
      expect(shown).toEqual(expect.arrayContaining(existing));
    } else {
      await expect(shownProjects).toHaveText([...role.projects]);
    }
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link")).toHaveText([...role.nav]);
    await expectAccessible(page);

    const firstProject = role.projects[0];
    await page.getByRole("link", { name: firstProject, exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(firstProject);
    await expectAccessible(page);
    await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Members" }).click();
    await expect(page.getByRole("heading", { name: "Members", level: 2 })).toBeVisible();
    if (role.managesMembersOf === firstProject) {
      await expect(page.getByRole("heading", { name: "Add a member" })).toBeVisible();
    } else {
      await expect(page.getByRole("heading", { name: "Add a member" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: /^Remove / })).toHaveCount(0);
    }
    await expectAccessible(page);

    if (role.managesMembersOf && role.managesMembersOf !== firstProject) {
      await page.goto("/");
      await page.getByRole("link", { name: role.managesMembersOf, exact: true }).click();
      await page.getByRole("navigation", { name: "Project" }).getByRole("link", { name: "Members" }).click();
      await expect(page.getByRole("heading", { name: "Add a member" })).toBeVisible();
    }

    const admin = await page.goto("/admin");
    expect(admin?.status()).toBe(role.key === "admin" ? 200 : 404);
  });
}

test("a project the user is not a member of is not found", async ({ page }) => {
  await signInAsDemo(page, "dba");
  const response = await page.goto("/projects/civiclens-api");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
});

test("signed-out visitors are sent to the sign-in page", async ({ page }) => {
  await page.goto("/projects/railway-reservation");
  await expect(page).toHaveURL(/\/signin$/);
  await expectAccessible(page);
});
