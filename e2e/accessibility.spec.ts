import { expect, expectAccessible, signInAsDemo, test } from "./support/fixtures";
import type { DemoUserKey } from "@/lib/demo/seed";

// An axe scan of every page, as the people who use it. Journeys scan pages on the way too;
// this list makes sure none is missed, including empty states.

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
  { as: "admin", paths: ["/admin", "/activity"] },
  { as: "auditor", paths: ["/", "/activity", "/activity?q=backup&entity=item", "/settings", "/projects/traffic-prediction", "/projects/traffic-prediction/overview", "/projects/traffic-prediction/activity", "/projects/traffic-prediction/as-of", "/projects/traffic-prediction/as-of?at=2020-01-01T00:00"] },
];

for (const { as, paths } of pages) {
  test(`every page ${as} uses has no serious accessibility violations`, async ({ page }) => {
    await signInAsDemo(page, as);
    for (const path of paths) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expectAccessible(page);
    }
  });
}
