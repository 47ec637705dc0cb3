import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { createTestDatabase } from "../tests/support/database";
import { benchAuditChain } from "./bench-audit";
import { buildIfNeeded } from "./serve";

// `npm run bench`: performance figures, printed, never pass/fail. Runs against its own fresh
// database on the local PostgreSQL (TEST_DATABASE_URL, like the tests) and a production build.
//
//   checklist import: a generated 5,000-item Markdown checklist into a project, all writes
//   included (sections, items, evidence for checked items, the audit event), in one transaction;
//   checklist page: server response time of /projects/<slug> for that project, signed in;
//   then the audit hash chain's figures (scripts/bench-audit.ts, on a database of its own).

const PORT = Number(process.env.BENCH_PORT ?? 3200);
const ITEMS = Number(process.env.BENCH_ITEMS ?? 5000);

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

async function main() {
  const database = await createTestDatabase("bench");
  process.env.DATABASE_URL = database.url;
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  const { db, closeDb } = await import("@/lib/db");
  const { importChecklist } = await import("@/lib/checklists/mutations");
  const { getChecklist } = await import("@/lib/checklists/data");
  const { startSession } = await import("@/lib/users/sessions");
  const { loadActorBySession } = await import("@/lib/users/data");
  let server: ReturnType<typeof spawn> | undefined;
  try {
    const user = await db.user.create({ data: { email: "bench@shipshape.test", name: "Bench Lead", globalRoles: [] }, select: { id: true, name: true, email: true } });
    const project = await db.project.create({ data: { slug: "bench", name: "Bench", members: { create: { userId: user.id, roles: ["LEAD"] } } }, select: { id: true, slug: true } });
    const sessionId = await startSession(user, 1, null, "bench");
    const actor = await loadActorBySession(sessionId);
    if (!actor) throw new Error("bench session did not load");
    const ctx = { actor, requestId: "bench" };

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

    const dataTimes: number[] = [];
    for (let run = 0; run < 10; run++) {
      const t0 = performance.now();
      await getChecklist(actor, project.slug);
      dataTimes.push(performance.now() - t0);
    }
    console.log(`checklist data (getChecklist, ${summary.items} items): median ${ms(median(dataTimes))}, p90 ${ms(percentile(dataTimes, 0.9))} over ${dataTimes.length} runs`);

    const env = { ...process.env, NODE_ENV: "production" as const, PORT: String(PORT), AUTH_URL: "" };
    await buildIfNeeded(env);
    server = spawn(process.execPath, [path.join("node_modules", "next", "dist", "bin", "next"), "start", "--port", String(PORT)], { env, stdio: "ignore" });
    for (let attempt = 0; attempt < 120; attempt++) {
      const ok = await fetch(`http://localhost:${PORT}/api/health`).then((response) => response.ok, () => false);
      if (ok) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const token = await encode({ token: { sub: user.id, sid: sessionId }, secret: process.env.AUTH_SECRET, salt: "shipshape.session" });
    const cookie = `shipshape.session=${token}`;
    const pageTimes: number[] = [];
    let bytes = 0;
    for (let run = 0; run < 12; run++) {
      const t0 = performance.now();
      const response = await fetch(`http://localhost:${PORT}/projects/${project.slug}`, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`checklist page answered ${response.status}`);
      if (run >= 2) pageTimes.push(performance.now() - t0); // the first two warm the server up
      bytes = body.length;
    }
    console.log(`checklist page (${summary.items} items, ${(bytes / 1024 / 1024).toFixed(1)} MiB of HTML): median ${ms(median(pageTimes))}, p90 ${ms(percentile(pageTimes, 0.9))} over ${pageTimes.length} runs (target < 300 ms)`);
  } finally {
    server?.kill("SIGTERM");
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
