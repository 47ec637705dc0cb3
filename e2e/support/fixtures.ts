import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test as base, type Locator, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import * as prismaEnums from "@/lib/generated/prisma/enums";
import type { ProjectRole } from "@/lib/generated/prisma/enums";
import { auditActions } from "@/lib/audit/events";
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

/** The newest email the app sent to `to` (through the test SMTP server), once it has arrived. */
export async function waitForMail(to: string, options: { containing?: string } = {}): Promise<string> {
  const dir = process.env.E2E_MAIL_DIR;
  if (!dir) throw new Error("E2E_MAIL_DIR is not set: the Playwright global setup did not run.");
  let found = "";
  await expect
    .poll(
      () => {
        const files = readdirSync(dir).sort((a, b) => parseInt(b) - parseInt(a));
        for (const file of files) {
          const raw = readFileSync(path.join(dir, file), "utf8");
          const recipients = raw.slice("X-Sink-To: ".length, raw.indexOf("\r\n")).split(", ");
          if (recipients.includes(to.toLowerCase()) && (!options.containing || raw.includes(options.containing))) {
            found = raw;
            return true;
          }
        }
        return false;
      },
      { message: `an email to ${to}`, timeout: 60_000 },
    )
    .toBe(true);
  return found;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
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
export async function expectAccessible(page: Page, options: { soft?: boolean } = {}): Promise<void> {
  // Next streams a dynamic page's metadata: wait until the title has arrived.
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
  (options.soft ? expect.soft(serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`), page.url()) : expect(serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length})`))).toEqual([]);
}

/**
 * Every code the database stores that a person must never read as is: the values of every enum of
 * the schema, and every audit action. A code that is also the word people use ("DBA") is no leak.
 */
export const RAW_CODES: readonly string[] = [
  ...new Set([
    ...Object.values(prismaEnums).flatMap((values) => (typeof values === "object" && values !== null ? Object.values(values as Record<string, string>) : [])),
    ...Object.values(auditActions),
  ]),
].filter((code) => code !== "DBA");

/** Fails when a code from RAW_CODES appears in the page's visible text (as written, before CSS changes its case). */
export async function expectNoRawCodes(page: Page, options: { soft?: boolean } = {}): Promise<void> {
  const found = await findRawCodes(page);
  (options.soft ? expect.soft(found, page.url()) : expect(found, page.url())).toEqual([]);
}

export async function findRawCodes(page: Page): Promise<string[]> {
  return page.evaluate((codes) => {
    const patterns = codes.map((code) => ({ code, pattern: new RegExp(`(^|[^A-Za-z0-9_.])${code.replace(/[.]/g, "\\.")}(?![A-Za-z0-9_])`) }));
    const hits: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      const text = node.nodeValue ?? "";
      if (!parent || !text.trim() || parent.closest("script, style, template, code, pre, [data-raw]")) continue;
      if (!parent.checkVisibility()) continue;
      for (const { code, pattern } of patterns) if (pattern.test(text)) hits.push(`${code} in “${text.trim().slice(0, 80)}”`);
    }
    return [...new Set(hits)];
  }, RAW_CODES);
}

/** Fails when the page is wider than the window: nothing may scroll sideways but elements made to (tables in a scroller). */
export async function expectNoHorizontalOverflow(page: Page, options: { soft?: boolean } = {}): Promise<void> {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const page = document.documentElement.scrollWidth;
    if (page <= width) return null;
    // Name the widest culprit that is not inside a scroll container of its own.
    const culprits = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .filter((element) => {
        for (let ancestor = element.parentElement; ancestor; ancestor = ancestor.parentElement) {
          const style = getComputedStyle(ancestor);
          if (style.overflowX === "auto" || style.overflowX === "scroll" || style.overflowX === "hidden") return false;
        }
        return true;
      })
      .slice(0, 3)
      .map((element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}.${[...element.classList].slice(0, 3).join(".")} “${(element.textContent ?? "").trim().slice(0, 40)}”`);
    return { width, page, culprits };
  });
  (options.soft ? expect.soft(overflow, page.url()) : expect(overflow, page.url())).toBeNull();
}

/**
 * Opens a checklist item by its title and waits until its panel has loaded. An open panel grows
 * when its evidence, comments and checks arrive, moving everything below it: clicking the next
 * item while one is still loading can land on whatever moved under the pointer.
 */
export async function openItem(scope: Page | Locator, title: string | RegExp): Promise<Locator> {
  const page = "page" in scope ? scope.page() : scope;
  await expect(page.locator('[data-testid="item-panel"][aria-busy="true"]')).toHaveCount(0);
  const button = scope.getByRole("button", { name: title });
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  const panel = page.locator(`[id="${await button.getAttribute("aria-controls")}"]`).getByTestId("item-panel");
  await expect(panel).toBeVisible();
  await expect(panel).not.toHaveAttribute("aria-busy", "true");
  return panel;
}

export const test = base;
export { expect };
