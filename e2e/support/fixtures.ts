import { randomUUID } from "node:crypto";
import { expect, test as base, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { createPrismaClient } from "@/lib/db";
import { DEMO_PASSWORD, demoEmail, type DemoUserKey } from "@/lib/demo/seed";
import { hashPassword } from "@/lib/users/password";

// Test data is made per test (unique emails and slugs), so tests run in parallel against one
// server without stepping on each other. The demo accounts are only read, never changed.

export const TEST_PASSWORD = "correct horse battery";

let client: ReturnType<typeof createPrismaClient> | undefined;
export function testDb() {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set: the Playwright global setup did not run.");
  client ??= createPrismaClient(url, 2);
  return client;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("current-user")).toBeVisible();
}

export function signInAsDemo(page: Page, key: DemoUserKey): Promise<void> {
  return signIn(page, demoEmail(key), DEMO_PASSWORD);
}

export async function createUser(name: string): Promise<{ id: string; email: string; name: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${randomUUID().slice(0, 8)}@e2e.test`;
  return testDb().user.create({
    data: { email, name, passwordHash: await hashPassword(TEST_PASSWORD) },
    select: { id: true, email: true, name: true },
  });
}

/** A fresh user who leads a project of their own, and so may start new projects. */
export async function createLead(name: string): Promise<{ id: string; email: string; name: string }> {
  const user = await createUser(name);
  await createProject([[user.id, ["LEAD"]]]);
  return user;
}

export async function createProject(members: [string, ProjectRole[]][]): Promise<{ id: string; slug: string; name: string }> {
  const suffix = randomUUID().slice(0, 8);
  return testDb().project.create({
    data: { slug: `e2e-${suffix}`, name: `E2E Project ${suffix}`, members: { create: members.map(([userId, roles]) => ({ userId, roles })) } },
    select: { id: true, slug: true, name: true },
  });
}

/** Fails on any serious or critical accessibility violation of the current page. */
export async function expectAccessible(page: Page): Promise<void> {
  // Next streams a dynamic page's metadata: wait until the title has arrived.
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  expect(serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`)).toEqual([]);
}

export const test = base;
export { expect };
