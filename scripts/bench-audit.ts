import { randomBytes } from "node:crypto";
import { loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { createPrismaClient, type Tx } from "@/lib/db";
import { GENESIS_HASH, hashEvent, type ChainedEventContent } from "@/lib/audit/chain";
import { auditActions } from "@/lib/audit/events";
import { getGlobalHistory } from "@/lib/audit/history";
import { recordAuditEvent } from "@/lib/audit/mutations";
import { readAuditChainStatus, readVerifiedChainStatus, verifyAuditChain } from "@/lib/audit/verify";
import { createTestDatabase } from "../tests/support/database";
import { measurePageVsReference, reportPage, sessionCookie, startServer } from "./bench-http";
import { appendChained } from "./bench-dataset";

// The audit hash chain's costs, printed, never pass/fail, on a database of its own
// (`npm run bench` runs it; alone: `npx tsx scripts/bench-audit.ts`).
//
//   write throughput: N writers appending for a few seconds, each event in its own transaction,
//   chained (recordAuditEvent: the content hash, the pending row, and at commit the deferred
//   append under the chain head's lock) against one INSERT into an unchained copy of the table
//   (what the writer did before); also with 2 ms of further work after the event inside the
//   transaction, as services do (marking sign-offs stale, notifications): a lock taken at the
//   event instead of at commit would serialize that work too;
//   verification: BENCH_AUDIT_EVENTS (default 1,000,000) valid events generated in batches
//   (hashed by lib/audit/chain.ts, inserted set-based with unnest), then the full
//   verifyAuditChain (target < 30 s) and the page's tail status.

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const SECONDS = Number(process.env.BENCH_AUDIT_SECONDS ?? 3);
const PORT = Number(process.env.BENCH_PORT ?? 3200) + 1;
const PROJECT_ID = "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const WRITERS = [1, 8];

type Client = ReturnType<typeof createPrismaClient>;

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000).toLocaleString("en-US");
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const eventFor = (writer: number, index: number) => ({
  actor: { id: "0f8fad5b-d9cb-469f-a165-70867728950e", name: "Bench Writer", email: "bench@shipshape.test" },
  action: auditActions.ITEM_UPDATED,
  entityType: "item",
  entityId: `item-${writer}-${index}`,
  projectId: "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
  before: { status: "IN_PROGRESS", version: index },
  after: { status: "DONE", version: index + 1, title: `Backups restore-tested (${writer}/${index})` },
  requestId: `bench-${writer}`,
});

/** Runs `writers` loops for SECONDS; each iteration is one transaction. Events/s and median latency. */
async function throughput(client: Client, writers: number, work: (tx: Tx, writer: number, index: number) => Promise<void>) {
  const deadline = performance.now() + SECONDS * 1000;
  const latencies: number[] = [];
  let count = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = 0; performance.now() < deadline; index++) {
        const t0 = performance.now();
        await client.$transaction((tx) => work(tx, writer, index), { timeout: 30_000, maxWait: 30_000 });
        latencies.push(performance.now() - t0);
        count++;
      }
    }),
  );
  return { perSecond: perSecond(count, performance.now() - started), median: median(latencies).toFixed(2) };
}

async function writeThroughput(client: Client) {
  await client.$executeRawUnsafe(`CREATE TABLE bench_unchained_events (LIKE audit_events INCLUDING DEFAULTS INCLUDING INDEXES)`);
  await client.$executeRawUnsafe(`ALTER TABLE bench_unchained_events ALTER seq DROP NOT NULL, ALTER prev_hash DROP NOT NULL, ALTER hash DROP NOT NULL`);
  const unchained = async (tx: Tx, writer: number, index: number) => {
    const event = eventFor(writer, index);
    await tx.$executeRaw`
      INSERT INTO bench_unchained_events (actor_id, actor_name, actor_email, action, entity_type, entity_id, project_id, before, after, request_id)
      VALUES (${event.actor.id}::uuid, ${event.actor.name}, ${event.actor.email}, ${event.action}, ${event.entityType}, ${event.entityId}, ${event.projectId}::uuid,
              ${JSON.stringify(event.before)}::jsonb, ${JSON.stringify(event.after)}::jsonb, ${event.requestId})`;
  };
  const chained = (tx: Tx, writer: number, index: number) => recordAuditEvent(tx, eventFor(writer, index));
  // The alternative design, for comparison: the head locked at the event and held to commit.
  const lockedAtEvent = async (tx: Tx, writer: number, index: number) => {
    await tx.$queryRaw`SELECT 1 FROM audit_chain_head WHERE id = 1 FOR UPDATE`;
    await recordAuditEvent(tx, eventFor(writer, index));
  };
  const thenWork = (append: typeof chained) => async (tx: Tx, writer: number, index: number) => {
    await append(tx, writer, index);
    await tx.$executeRaw`SELECT pg_sleep(0.002)`;
  };
  const line = (label: string, unit: string, plain: Awaited<ReturnType<typeof throughput>>, chain: typeof plain, early: typeof plain) =>
    console.log(
      `audit write, ${label}: unchained ${plain.perSecond} ${unit}/s (median ${plain.median} ms), chained at commit ${chain.perSecond} ${unit}/s (median ${chain.median} ms), ` +
        `head locked at the event instead ${early.perSecond} ${unit}/s (median ${early.median} ms)`,
    );
  for (const writers of WRITERS) {
    line(`${writers} writer${writers > 1 ? "s" : ""}, one event per transaction`, "events", await throughput(client, writers, unchained), await throughput(client, writers, chained), await throughput(client, writers, lockedAtEvent));
  }
  const writers = WRITERS.at(-1) ?? 8;
  line(
    `${writers} writers, event then 2 ms more work in the transaction`,
    "transactions",
    await throughput(client, writers, thenWork(unchained)),
    await throughput(client, writers, thenWork(chained)),
    await throughput(client, writers, thenWork(lockedAtEvent)),
  );
  const report = await verifyAuditChain({ client });
  console.log(`audit chain after the write runs: ${report.ok ? "intact" : `BROKEN (${report.firstBroken?.reason})`}, ${report.checked.toLocaleString("en-US")} events`);
}

/** Appends `count` valid events after the current head, hashed in TypeScript, inserted set-based. */
async function generateChain(databaseUrl: string, count: number) {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const head = (await sql.query<{ seq: string; hash: string }>("SELECT seq::text, hash FROM audit_chain_head")).rows[0] ?? { seq: "0", hash: GENESIS_HASH };
    // Bulk load as the owner: the per-row head trigger is what the bench measures elsewhere.
    await sql.query("SET session_replication_role = replica");
    let seq = BigInt(head.seq);
    let prevHash = head.hash;
    const base = Date.UTC(2026, 0, 1);
    const BATCH = 10_000;
    for (let done = 0; done < count; ) {
      const size = Math.min(BATCH, count - done);
      const columns = { seq: [] as string[], prev: [] as string[], hash: [] as string[], at: [] as string[], entity: [] as string[], before: [] as string[], after: [] as string[], request: [] as string[] };
      for (let index = 0; index < size; index++) {
        seq++;
        const n = done + index;
        const event: ChainedEventContent = {
          seq,
          prevHash,
          occurredAt: new Date(base + n * 1000),
          actorId: "0f8fad5b-d9cb-469f-a165-70867728950e",
          actorName: "Bench Writer",
          actorEmail: "bench@shipshape.test",
          action: auditActions.ITEM_UPDATED,
          entityType: "item",
          entityId: `item-${n % 5000}`,
          projectId: "6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
          before: { status: "IN_PROGRESS", version: n },
          after: { status: "DONE", version: n + 1, title: `Backups restore-tested (${n})` },
          requestId: `gen-${Math.floor(n / 7)}`,
        };
        const hash = hashEvent(event);
        columns.seq.push(seq.toString());
        columns.prev.push(prevHash);
        columns.hash.push(hash);
        columns.at.push(event.occurredAt.toISOString());
        columns.entity.push(event.entityId ?? "");
        columns.before.push(JSON.stringify(event.before));
        columns.after.push(JSON.stringify(event.after));
        columns.request.push(event.requestId ?? "");
        prevHash = hash;
      }
      await sql.query(
        `INSERT INTO audit_events (seq, prev_hash, hash, occurred_at, actor_id, actor_name, actor_email, action, entity_type, entity_id, project_id, before, after, request_id)
         SELECT s, p, h, a::timestamptz, '0f8fad5b-d9cb-469f-a165-70867728950e', 'Bench Writer', 'bench@shipshape.test', 'item.updated', 'item', e,
                '6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b', b::jsonb, f::jsonb, r
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS t(s, p, h, a, e, b, f, r)`,
        [columns.seq, columns.prev, columns.hash, columns.at, columns.entity, columns.before, columns.after, columns.request],
      );
      done += size;
    }
    await sql.query("UPDATE audit_chain_head SET seq = $1, hash = $2", [seq.toString(), prevHash]);
    await sql.query("SET session_replication_role = origin");
    await sql.query("ANALYZE audit_events");
  } finally {
    await sql.end();
  }
}

/** The history page's query over a million events: first and later pages, with filters and search. */
async function benchHistoryPages(client: ReturnType<typeof createPrismaClient>, databaseUrl: string): Promise<void> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    // The generated chain is one project's item updates: give it a project row to filter by.
    await sql.query("INSERT INTO projects (id, slug, name, updated_at) VALUES ('6f1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b', 'bench-history', 'Bench history', now()) ON CONFLICT DO NOTHING");
    await sql.query("ANALYZE audit_events");
  } finally {
    await sql.end();
  }
  const auditor = { id: "00000000-0000-4000-8000-00000000a0d1", name: "Bench Auditor", email: "auditor@shipshape.test", globalRoles: ["AUDITOR" as const], leadsAProject: false };
  const cases: { label: string; filter: Record<string, string> }[] = [
    { label: "no filter", filter: {} },
    { label: "project", filter: { project: "bench-history" } },
    { label: "action + actor", filter: { action: auditActions.ITEM_UPDATED, actor: "bench writer" } },
    { label: "actor that matches nothing", filter: { actor: "nobody-by-this-name" } },
    { label: "action that matches nothing", filter: { action: auditActions.TOKEN_REVOKED } },
    { label: "date range (one day)", filter: { from: "2026-01-05", to: "2026-01-05" } },
    { label: "text search (rare word)", filter: { q: "run 777777" } },
  ];
  for (const entry of cases) {
    const first: number[] = [];
    const later: number[] = [];
    let cursor: string | null = null;
    for (let run = 0; run < 7; run++) {
      const t0 = performance.now();
      const page = await getGlobalHistory(auditor, entry.filter, "UTC", 50, client);
      first.push(performance.now() - t0);
      cursor = page.nextCursor;
    }
    // A page deep into the history: follow the cursor 20 pages down, then time that page.
    for (let hop = 0; hop < 20 && cursor; hop++) cursor = (await getGlobalHistory(auditor, { ...entry.filter, before: cursor }, "UTC", 50, client)).nextCursor;
    for (let run = 0; run < 7 && cursor; run++) {
      const t0 = performance.now();
      await getGlobalHistory(auditor, { ...entry.filter, before: cursor }, "UTC", 50, client);
      later.push(performance.now() - t0);
    }
    console.log(`history page over ${EVENTS.toLocaleString("en-US")} events, ${entry.label}: first page median ${median(first).toFixed(1)} ms${later.length ? `, page 21 median ${median(later).toFixed(1)} ms` : " (one page only)"} (target < 100 ms)`);
  }
}

/**
 * Three big checklist imports at the top of the history (5,000 items each, about 1.7 MB of
 * `after` apiece), as a large project's import writes them: the first history page shows them.
 */
async function appendLargeImports(client: Client): Promise<void> {
  const now = Date.now();
  const events = Array.from({ length: 3 }, (_, index) => ({
    occurredAt: new Date(now - (3 - index) * 1000),
    actorId: "0f8fad5b-d9cb-469f-a165-70867728950e",
    actorName: "Bench Writer",
    actorEmail: "bench@shipshape.test",
    action: auditActions.CHECKLIST_IMPORTED,
    entityType: "project",
    entityId: PROJECT_ID,
    projectId: PROJECT_ID,
    before: null,
    after: {
      origin: { kind: "markdown", source: `big-${index}.md` },
      items: Array.from({ length: 5_000 }, (_, item) => ({
        id: `00000000-0000-4000-8000-${String(item).padStart(12, "0")}`,
        sectionId: "00000000-0000-4000-8000-000000000000",
        parentId: null,
        position: item,
        templateKey: null,
        title: `Item ${item + 1}: verify the backup for component ${item % 50}`,
        details: "Generated for the benchmark: a long enough description of what to check and how.",
        area: "DBA",
        required: true,
        status: "TODO",
      })),
    },
    requestId: `bench-import-${index}`,
  }));
  await appendChained(client as unknown as Parameters<typeof appendChained>[0], events);
}

/** The history pages over HTTP (production build), each as a ratio to the interleaved reference page. */
async function benchHistoryHttp(client: Client, databaseUrl: string): Promise<void> {
  const auditor = await client.user.create({ data: { email: "bench-auditor@shipshape.test", name: "Bench Auditor", globalRoles: ["AUDITOR"] }, select: { id: true, name: true, email: true } });
  const session = await client.userSession.create({ data: { userId: auditor.id, expiresAt: new Date(Date.now() + 3_600_000) }, select: { id: true } });
  const cookie = await sessionCookie(auditor.id, session.id);
  const actor = { ...auditor, globalRoles: ["AUDITOR" as const], leadsAProject: false };
  let cursor: string | null = null;
  for (let hop = 0; hop < 20; hop++) cursor = (await getGlobalHistory(actor, cursor ? { before: cursor } : {}, "UTC", 50, client)).nextCursor;
  const server = await startServer(databaseUrl, PORT);
  try {
    const events = EVENTS.toLocaleString("en-US");
    const cases: [string, string][] = [
      ["first page", "/activity"],
      ["page 21", `/activity?before=${encodeURIComponent(cursor ?? "")}`],
      ["project", "/activity?project=bench-history"],
      ["the project's own history page", "/projects/bench-history/activity"],
      ["action + actor", `/activity?action=${auditActions.ITEM_UPDATED}&actor=bench+writer`],
      ["actor that matches nothing", "/activity?actor=nobody-by-this-name"],
      ["action that matches nothing", `/activity?action=${auditActions.TOKEN_REVOKED}`],
      ["entity that matches nothing", "/activity?entity=api_token"],
      ["date range (one day)", "/activity?from=2026-01-05&to=2026-01-05"],
      ["text search (rare word)", "/activity?q=run+777777"],
    ];
    for (const [label, pagePath] of cases) reportPage(`history page over ${events} events, ${label}`, await measurePageVsReference(server.baseUrl, pagePath, cookie), 2);
  } finally {
    server.stop();
  }
}

export async function benchAuditChain(): Promise<void> {
  process.env.AUTH_SECRET ??= randomBytes(32).toString("base64url");
  const database = await createTestDatabase("bench_audit");
  const client = createPrismaClient(database.url, Math.max(...WRITERS) + 2);
  try {
    console.log(`audit bench: load average ${loadavg().map((value) => value.toFixed(1)).join(" ")} on this machine at the start`);
    if (SECONDS > 0) await writeThroughput(client);

    const generated = performance.now();
    await generateChain(database.url, EVENTS);
    const generateMs = performance.now() - generated;
    const total = Number((await client.$queryRaw<{ count: bigint }[]>`SELECT count(*) AS count FROM audit_events`)[0]?.count ?? 0);
    console.log(`audit chain generated: ${EVENTS.toLocaleString("en-US")} events hashed and inserted in ${(generateMs / 1000).toFixed(1)} s (${perSecond(EVENTS, generateMs)} events/s); ${total.toLocaleString("en-US")} in the table`);

    const rssBefore = process.memoryUsage().rss;
    const verifyStarted = performance.now();
    const report = await verifyAuditChain({ client });
    const verifyMs = performance.now() - verifyStarted;
    const rssAfter = process.memoryUsage().rss;
    console.log(
      `audit verify (full, keyset batches of 5,000): ${report.checked.toLocaleString("en-US")} events in ${(verifyMs / 1000).toFixed(1)} s ` +
        `(${perSecond(report.checked, verifyMs)} events/s, ${report.ok ? "intact" : `BROKEN: ${report.firstBroken?.reason}`}; ` +
        `RSS ${Math.round(rssBefore / 2 ** 20)} → ${Math.round(rssAfter / 2 ** 20)} MiB) (target < 30 s for 1,000,000)`,
    );

    const statusTimes: number[] = [];
    for (let run = 0; run < 5; run++) {
      const t0 = performance.now();
      const status = await readAuditChainStatus({ client });
      statusTimes.push(performance.now() - t0);
      if (!status.ok) throw new Error(`status not ok: ${status.firstBroken?.reason}`);
    }
    console.log(`audit chain tail check (newest 1,000 events and the head, re-hashed): median ${median(statusTimes).toFixed(1)} ms over ${statusTimes.length} runs`);
    await appendLargeImports(client);
    const badgeTimes: number[] = [];
    for (let run = 0; run < 7; run++) {
      const t0 = performance.now();
      const status = await readVerifiedChainStatus({ client });
      badgeTimes.push(performance.now() - t0);
      if (!status.ok) throw new Error(`verified status not ok: ${status.firstBroken?.reason}`);
    }
    console.log(`audit chain badge (incremental from the verified head, after 3 new events): first view ${badgeTimes[0]?.toFixed(1)} ms, then median ${median(badgeTimes.slice(1)).toFixed(1)} ms`);
    await benchHistoryPages(client, database.url);
    await benchHistoryHttp(client, database.url);
  } finally {
    await client.$disconnect();
    await database.drop();
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  benchAuditChain().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
