import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/policy";
import { countQueries } from "../tests/support/query-count";

// Scheduled checks at an organisation's scale, printed, never pass/fail (`npm run bench` runs it
// on the portfolio dataset): CHECKS_PER_PROJECT checks on each project (four http, one tcp),
// every 5 minutes, against a local server that answers in about 20 ms, their first runs spread
// over the 5 minutes as they would be once checks are added over time. Then the scheduler's
// ticks (runDueChecks, what the job queue runs each minute) for two full cycles, at the minutes
// they would run: how many each tick ran, how long it took (it must end well within its minute,
// or checks pile up), and whether any were still due after it; and what one result costs the
// database: SQL statements, and the table and index space per kept result.

const CHECKS_PER_PROJECT = Number(process.env.BENCH_CHECKS_PER_PROJECT ?? 5);
const INTERVAL_MINUTES = 5;
const TICKS = 2 * INTERVAL_MINUTES;
const MINUTE = 60_000;

export async function benchScheduledChecks(db: PrismaClient, options: { projectIds: string[]; actor: Actor }): Promise<void> {
  const { addItemCheck, runDueChecks } = await import("@/lib/checks/item-checks");
  const target = createServer((_request, response) => {
    setTimeout(() => response.end("ok"), 20);
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  const base = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  try {
    const items = await db.$queryRaw<{ id: string; projectId: string }[]>`
      SELECT id, "projectId" FROM (
        SELECT i.id, i.project_id AS "projectId", row_number() OVER (PARTITION BY i.project_id ORDER BY i.id) AS n
        FROM checklist_items i WHERE i.project_id = ANY(${options.projectIds}::uuid[])
      ) ranked WHERE n <= ${CHECKS_PER_PROJECT}`;
    const ctx = { actor: options.actor, requestId: "bench-checks" };
    const added = performance.now();
    for (const [index, item] of items.entries()) {
      const tcp = index % CHECKS_PER_PROJECT === CHECKS_PER_PROJECT - 1;
      await addItemCheck(ctx, tcp ? { itemId: item.id, kind: "tcp", target: base, expect: "open", intervalMinutes: String(INTERVAL_MINUTES) } : { itemId: item.id, kind: "http", target: `http://${base}/health`, intervalMinutes: String(INTERVAL_MINUTES) });
    }
    console.log(`scheduled checks: ${items.length} on ${options.projectIds.length} projects, every ${INTERVAL_MINUTES} minutes, added through the service in ${Math.round(performance.now() - added)} ms`);

    // The first runs spread over one interval, a fifth of them at each minute.
    const start = new Date(Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE);
    await db.$executeRaw`
      UPDATE item_checks SET next_run_at = ${start}::timestamptz + ((abs(hashtext(id::text)) % ${INTERVAL_MINUTES}) * interval '1 minute')`;
    const resultsBefore = await db.itemResult.count();
    const auditBytes = async () => Number((await db.$queryRaw<{ bytes: bigint }[]>`SELECT pg_total_relation_size('audit_events') AS bytes`)[0]!.bytes);
    const auditBefore = await auditBytes();
    const rows: string[] = [];
    let worstMs = 0;
    let statements = 0;
    for (let tick = 0; tick < TICKS; tick++) {
      const now = new Date(start.getTime() + tick * MINUTE);
      const dueAtStart = await db.itemCheck.count({ where: { nextRunAt: { lte: now } } });
      const started = performance.now();
      const { result: ran, queries } = await countQueries(() => runDueChecks(db, now));
      const tookMs = performance.now() - started;
      const left = await db.itemCheck.count({ where: { nextRunAt: { lte: now } } });
      worstMs = Math.max(worstMs, tookMs);
      statements += queries;
      rows.push(`  minute ${String(tick).padStart(2)}: ${String(dueAtStart).padStart(4)} due, ${String(ran).padStart(4)} ran in ${String(Math.round(tookMs)).padStart(5)} ms (${(tookMs / Math.max(ran, 1)).toFixed(1)} ms each), ${left} still due after`);
    }
    console.log(rows.join("\n"));
    const results = (await db.itemResult.count()) - resultsBefore;
    const [size] = await db.$queryRaw<{ bytes: bigint; rows: bigint }[]>`
      SELECT pg_total_relation_size('item_results') AS bytes, (SELECT count(*) FROM item_results) AS rows`;
    const perResult = Number(size!.bytes) / Math.max(Number(size!.rows), 1);
    const auditPerResult = (await auditBytes() - auditBefore) / Math.max(results, 1);
    const perDay = (bytes: number) => `${((bytes * (24 * 60 / INTERVAL_MINUTES) * items.length) / 1024 / 1024).toFixed(0)} MiB a day`;
    console.log(
      `  ${results} results in ${TICKS} ticks; slowest tick ${Math.round(worstMs)} ms of its ${MINUTE / 1000} s (the tick stops claiming at 45 s); ` +
        `${(statements / Math.max(results, 1)).toFixed(1)} SQL statements per result (claiming, the result, its audit event); ` +
        `item_results with its indexes: ${Math.round(perResult)} bytes per kept result (${perDay(perResult)} for these checks), ` +
        `and the audit trail about ${Math.round(auditPerResult)} bytes more per result (${perDay(auditPerResult)})`,
    );
  } finally {
    await new Promise<void>((resolve) => target.close(() => resolve()));
  }
}
