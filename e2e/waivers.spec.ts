import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createUser, expectAccessible, openItem, signIn, TEST_PASSWORD, testDb } from "./support/fixtures";

// A waiver journey: the security owner requests a waiver naming a member as risk owner; it does
// not count and they cannot accept it; the approver sees who asked and accepts it after a
// confirmation, on a phone-sized screen, with the page accessible throughout.

test("a waiver is requested by the area owner and accepted by the approver, not by the requester", async ({ page }) => {
  const [security, approver, risk] = await Promise.all([createUser("Waiving Owner"), createUser("Accepting Approver"), createUser("Risk Owning Lead")]);
  const project = await testDb().project.create({
    data: {
      slug: `e2e-${randomUUID().slice(0, 8)}`,
      name: "Waiver Journey",
      members: {
        create: [
          { userId: security.id, roles: ["SECURITY"] },
          { userId: approver.id, roles: ["APPROVER"], approverGrantedById: risk.id },
          { userId: risk.id, roles: ["LEAD"] },
        ],
      },
      sections: { create: { title: "Security", position: 0 } },
    },
    select: { id: true, slug: true, sections: { select: { id: true } } },
  });
  await testDb().checklistItem.create({ data: { projectId: project.id, sectionId: project.sections[0]?.id ?? "", position: 0, title: "Database TLS enforced", area: "SECURITY" } });

  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, security.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);
  await openItem(page, "Database TLS enforced");
  const form = page.getByRole("form", { name: "Update Database TLS enforced" });
  await form.getByLabel("Status").selectOption("WAIVED");
  await form.getByLabel("Risk accepted (reason)").fill("Internal traffic only until the mesh lands.");
  await form.getByLabel("Risk owner").selectOption({ label: risk.name });
  const expiry = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  await form.getByLabel("Waiver expires on").fill(expiry);
  await form.getByRole("button", { name: "Save" }).click();

  const request = page.getByRole("region", { name: "Waiver request" });
  await expect(request.getByText(`Waiver requested by ${security.name}, awaiting acceptance`)).toBeVisible();
  await expect(request.getByRole("button", { name: "Accept waiver" })).toHaveCount(0);
  await expect(page.getByTestId("checklist-item").first().getByText("Waiver requested", { exact: true })).toBeVisible();
  await expectAccessible(page);

  await page.context().clearCookies();
  await signIn(page, approver.email, TEST_PASSWORD);
  await page.goto(`/projects/${project.slug}`);
  await openItem(page, "Database TLS enforced");
  const pending = page.getByRole("region", { name: "Waiver request" });
  await expect(pending.getByText(`Waiver requested by ${security.name}, awaiting acceptance`)).toBeVisible();
  await expectAccessible(page);
  await pending.getByRole("button", { name: "Accept waiver" }).click();
  const dialog = page.getByRole("dialog", { name: "Accept this waiver?" });
  await expect(dialog.getByText(`owned by ${risk.name}`)).toBeVisible();
  await dialog.getByRole("button", { name: "Accept waiver" }).click();

  await expect(page.getByRole("region", { name: "Waiver request" })).toHaveCount(0);
  await expect(page.locator("dt", { hasText: "Accepted by" }).locator("xpath=following-sibling::dd[1]")).toHaveText(approver.name);
  const item = await testDb().checklistItem.findFirstOrThrow({ where: { projectId: project.id }, select: { waiverAcceptedById: true, waiverGrantedById: true, waiverRiskOwnerId: true } });
  expect(item).toEqual({ waiverAcceptedById: approver.id, waiverGrantedById: security.id, waiverRiskOwnerId: risk.id });
  // Sideways scrolling on a phone would hide the buttons.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});
