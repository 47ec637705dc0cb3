import { expect, expectAccessible, expectNoHorizontalOverflow, expectNoRawCodes, signInAsDemo, test } from "./support/fixtures";
import type { DemoUserKey } from "@/lib/demo/seed";

// Every page, as the people who use it: an axe scan, no internal code in the visible text, and
// no sideways scrolling on a phone (390 px), a laptop (1366 px) or a wide screen (1920 px).
// Journeys check pages on the way too; this list makes sure none is missed, empty states included.

const pages: { as: DemoUserKey; paths: string[] }[] = [
  {
    as: "lead",
    paths: [
      "/",
      "/my/assigned",
      "/my/assigned?group=due",
      "/notifications",
      "/settings",
      "/templates",
      "/templates/vercel-mongodb-web-app",
      "/signoffs",
      "/projects/new",
      "/projects/railway-reservation",
      "/projects/railway-reservation?area=DBA&status=OPEN&assignee=none",
      "/projects/railway-reservation/overview",
      "/projects/railway-reservation/overview?area=SECURITY",
      "/projects/railway-reservation/signoffs",
      "/projects/railway-reservation/members",
      "/projects/railway-reservation/activity",
      "/projects/railway-reservation/tokens",
      "/projects/railway-reservation/import",
    ],
  },
  { as: "devops", paths: ["/my/area", "/my/area?group=due", "/projects/civiclens-api/overview"] },
  { as: "security", paths: ["/my/area?area=DBA", "/my/area?area=SECURITY"] },
  { as: "approver", paths: ["/signoffs", "/projects/railway-reservation/signoffs", "/my/assigned"] },
  { as: "admin", paths: ["/admin", "/admin/teams", "/campaigns", "/?group=team", "/activity", "/templates"] },
  {
    as: "auditor",
    paths: [
      "/",
      "/activity",
      "/activity?q=backup&entity=item",
      "/activity/verify",
      "/settings",
      "/projects/traffic-prediction",
      "/projects/traffic-prediction/overview",
      "/projects/traffic-prediction/activity",
      "/projects/traffic-prediction/as-of",
      "/projects/traffic-prediction/as-of?at=2020-01-01T00:00",
    ],
  },
];

const WIDTHS = [390, 1366, 1920] as const;

for (const { as, paths } of pages) {
  test(`every page ${as} uses is accessible, fits a phone and a wide screen, and shows no internal codes`, async ({ page }) => {
    test.slow();
    await signInAsDemo(page, as);
    for (const path of paths) {
      await page.setViewportSize({ width: 1366, height: 900 });
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      // Soft: one run reports every page that fails, not only the first.
      await expectAccessible(page, { soft: true });
      await expectNoRawCodes(page, { soft: true });
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 900 });
        await test.step(`${path} at ${width} px`, () => expectNoHorizontalOverflow(page, { soft: true }));
      }
    }
  });
}
