import { randomBytes } from "node:crypto";
import { createTestDatabase } from "../tests/support/database";
import { countQueries } from "../tests/support/query-count";
import { benchAuditChain } from "./bench-audit";
import { benchScheduledChecks } from "./bench-checks";
import { benchCampaign } from "./bench-campaigns";
import { seedPortfolioDataset } from "./bench-dataset";
import { measurePageVsReference, reportPage, sessionCookie, startServer } from "./bench-http";

// `npm run bench`: performance figures, printed, never pass/fail. Runs against its own fresh
// database on the local PostgreSQL (TEST_DATABASE_URL, like the tests) and a production build.
//
//   checklist import: a generated 5,000-item Markdown checklist into a project, all writes
//   included (sections, items, evidence for checked items, the audit event), in one transaction;
//   checklist page: server response time of /projects/<slug> for that project, signed in;
//   portfolio: a dataset of 200 projects of 150 items, 50 users and a month of audit history
//   (scripts/bench-dataset.ts); the dashboard's data loading in-process (time and SQL queries)
//   and its server response time, as an admin who sees every project and as a member of 20.
//
//   my work: "My area" and "Assigned to me" for a DBA owner on a quarter of those projects who
//   holds a third of their DBA items: data loading (time and SQL queries) and server response.
//
//   scheduled checks: 1,000 checks on those 200 projects, every 5 minutes, against a local
//   server; the scheduler's ticks over two cycles and the database cost per result
//   (scripts/bench-checks.ts).
//
//   then the audit hash chain's figures (scripts/bench-audit.ts, on a database of its own).
//
//   Every page figure is printed as a ratio to the sign-in page, fetched alternately with it in
//   the same run (scripts/bench-http.ts), so that a busy machine moves both.

const PORT = Number(process.env.BENCH_PORT ?? 3200);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 5000);
const PORTFOLIO = { projects: Number(process.env.BENCH_PROJECTS ?? 200), itemsPerProject: 150, users: 50 };

function generateChecklist(items: number): string {
  const lines = ["# Generated production-readiness checklist", ""];
  let written = 0;
  for (let section = 1; written < items; section++) {
    lines.push(`## Section ${section}: ${["Database", "Security", "Deployment", "Monitoring", "Testing"][section % 5]}`, "");
    for (let index = 0; index < 50 && written < items; index++) {
      const checked = written % 7 === 0 ? "x" : " ";
      lines.push(`- [${checked}] **Item ${written + 1}** - verify the ${["backup", "TLS certificate", "deploy pipeline", "alert", "load test"][written % 5]} for component ${index}`);
      written++;
      if (index % 5 === 0 && written < items) {
        lines.push(`  - [ ] Sub-check ${written + 1} of item ${written}`);
        written++;
      }
    }
    lines.push("");
  }
  return lines.join("\n");
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ?? NaN;
const ms = (value: number) => `${value.toFixed(1)} ms`;

type Timing = { median: number; p90: number; runs: number };

/** Times `run` after `warmup` unmeasured calls. */
async function measure(run: () => Promise<unknown>, { runs = 10, warmup = 2 } = {}): Promise<Timing> {
  for (let index = 0; index < warmup; index++) await run();
  const times: number[] = [];
  for (let index = 0; index < runs; index++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  return { median: median(times), p90: percentile(times, 0.9), runs };
}

/** The in-process time and the number of SQL statements of a data-loading function. */
async function measureData(run: () => Promise<unknown>): Promise<Timing & { queries: number }> {
  const timing = await measure(run);
  const { queries } = await countQueries(run);
  return { ...timing, queries };
}

function report(label: string, timing: Timing & { queries?: number }, target?: number): void {
  const queries = timing.queries === undefined ? "" : `, ${timing.queries} SQL queries`;
  const goal = target === undefined ? "" : ` (target < ${target} ms)`;
  console.log(`${label}: median ${ms(timing.median)}, p90 ${ms(timing.p90)} over ${timing.runs} runs${queries}${goal}`);
}

async function main() {
  const database = await createTestDatabase("bench");
  process.env.DATABASE_URL = database.url;
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  // The scheduled-checks bench probes a server of its own on loopback (scripts/bench-checks.ts).
  process.env.OUTBOUND_ALLOW_PRIVATE ??= "127.0.0.1/32";
  const { db, closeDb } = await import("@/lib/db");
  const { importChecklist } = await import("@/lib/checklists/mutations");
  const { getChecklist } = await import("@/lib/checklists/data");
  const { getPortfolio } = await import("@/lib/portfolio/data");
  const { getMyWork } = await import("@/lib/checklists/my-work");
  const { startSession } = await import("@/lib/users/sessions");
  const { loadActorBySession } = await import("@/lib/users/data");
  let stopServer: (() => void) | undefined;

  /** A signed-in session for the user: its actor (as a request loads it) and its cookie. */
  const signIn = async (user: { id: string; name: string; email: string }) => {
    const sessionId = await startSession(user, 1, null, "bench");
    const actor = await loadActorBySession(sessionId);
    if (!actor) throw new Error(`the bench session of ${user.email} did not load`);
    return { actor, sessionId, cookie: await sessionCookie(user.id, sessionId) };
  };

  try {
    const user = await db.user.create({ data: { email: "bench@shipshape.test", name: "Bench Lead", globalRoles: [] }, select: { id: true, name: true, email: true } });
    const project = await db.project.create({ data: { slug: "bench", name: "Bench", members: { create: { userId: user.id, roles: ["LEAD"] } } }, select: { id: true, slug: true } });
    const lead = await signIn(user);
    const ctx = { actor: lead.actor, requestId: "bench" };

    const markdown = generateChecklist(ITEMS);
    const { parseChecklistMarkdown } = await import("@/lib/import/markdown");
    const parseTimes: number[] = [];
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      parseChecklistMarkdown(markdown);
      parseTimes.push(performance.now() - t0);
    }
    console.log(`markdown parse alone (${ITEMS} items): median ${ms(median(parseTimes))} over ${parseTimes.length} runs`);
    const started = performance.now();
    const summary = await importChecklist(ctx, { projectId: project.id, markdown, source: "bench.md" });
    const importMs = performance.now() - started;
    console.log(`checklist import: ${summary.items} items in ${summary.sections} sections (${summary.checked} checked, ${(Buffer.byteLength(markdown) / 1024).toFixed(0)} KiB): ${ms(importMs)} (target < 2000 ms)`);

    const dataTiming = await measure(() => getChecklist(lead.actor, project.slug), { runs: 10, warmup: 0 });
    report(`checklist data (getChecklist, ${summary.items} items)`, dataTiming);

    // The portfolio dataset. The 5,000-item project above is one more project the admin sees.
    const seedStarted = performance.now();
    const dataset = await seedPortfolioDataset(db, { ...PORTFOLIO, now: new Date() });
    await db.$executeRawUnsafe("ANALYZE");
    const counts = dataset.counts;
    console.log(
      `portfolio dataset: ${counts.projects} projects, ${counts.items} items, ${counts.users} users, ${counts.memberships} memberships, ${counts.signoffs} sign-offs, ${counts.auditEvents} audit events: written in ${ms(performance.now() - seedStarted)}`,
    );
    const admin = await signIn(dataset.admin);
    const member = await signIn(dataset.member);
    const cookies = { admin: admin.cookie, member: member.cookie };
    const seen = { admin: (await getPortfolio(admin.actor)).rows.length, member: (await getPortfolio(member.actor)).rows.length };
    report(`portfolio data (getPortfolio, admin, ${seen.admin} projects)`, await measureData(() => getPortfolio(admin.actor)));
    report(`portfolio data (getPortfolio, member of ${seen.member} projects)`, await measureData(() => getPortfolio(member.actor)));
    // "My work": a DBA owner on a quarter of the projects who holds a third of their DBA items,
    // due over the next weeks (some overdue), as leads would hand them out.
    const owner = await db.user.create({ data: { email: "bench-dba@shipshape.test", name: "Bench DBA Owner", globalRoles: [] }, select: { id: true, name: true, email: true } });
    const ownedProjects = (await db.project.findMany({ where: { slug: { not: "bench" } }, select: { id: true }, orderBy: { slug: "asc" } })).filter((_, index) => index % 4 === 0);
    await db.projectMember.createMany({ data: ownedProjects.map((entry) => ({ projectId: entry.id, userId: owner.id, roles: ["DBA" as const] })) });
    const dbaItems = await db.checklistItem.findMany({ where: { projectId: { in: ownedProjects.map((entry) => entry.id) }, area: "DBA" }, select: { id: true }, orderBy: { id: "asc" } });
    const held = dbaItems.filter((_, index) => index % 3 === 0);
    await db.$executeRaw`UPDATE checklist_items SET assignee_id = ${owner.id}::uuid, due_at = now() + ((random() * 30 - 5) * interval '1 day') WHERE id = ANY(${held.map((item) => item.id)}::uuid[])`;
    const dba = await signIn(owner);
    const areaWork = await getMyWork(dba.actor, { view: "area", group: "project" }, "UTC");
    const assignedWork = await getMyWork(dba.actor, { view: "assigned", group: "due" }, "UTC");
    console.log(`my work dataset: a DBA owner on ${ownedProjects.length} projects; My area lists ${areaWork.total} open items, Assigned to me ${assignedWork.total}`);
    report(`my area data (getMyWork, ${areaWork.total} items)`, await measureData(() => getMyWork(dba.actor, { view: "area", group: "project" }, "UTC")));
    report(`assigned to me data (getMyWork by due date, ${assignedWork.total} items)`, await measureData(() => getMyWork(dba.actor, { view: "assigned", group: "due" }, "UTC")));

    const session = await countQueries(() => loadActorBySession(admin.sessionId));
    console.log(`  plus the session lookup every page makes (loadActorBySession): ${session.queries} SQL queries`);

    const server = await startServer(database.url, PORT);
    stopServer = server.stop;
    const page = async (label: string, pagePath: string, cookie: string) => reportPage(label, await measurePageVsReference(server.baseUrl, pagePath, cookie));
    await page(`checklist page (${summary.items} items)`, `/projects/${project.slug}`, lead.cookie);
    await page(`portfolio page (admin, ${seen.admin} projects)`, "/", cookies.admin);
    await page(`portfolio page (member of ${seen.member} projects)`, "/", cookies.member);
    await page(`my area page (DBA owner of ${ownedProjects.length} projects, ${areaWork.total} items)`, "/my/area", dba.cookie);
    await page(`assigned to me page (by due date, ${assignedWork.total} items)`, "/my/assigned?group=due", dba.cookie);

    await benchCampaign(db, { projectIds: dataset.projectIds, actor: admin.actor });
    await page(`portfolio page grouped by team (admin, ${seen.admin} projects)`, "/?group=team", cookies.admin);

    await benchScheduledChecks(db, { projectIds: dataset.projectIds, actor: admin.actor });
  } finally {
    stopServer?.();
    await closeDb();
    await database.drop();
  }
}

main()
  .then(() => benchAuditChain())
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
