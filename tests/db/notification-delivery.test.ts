import { randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { createPool, prismaClientOver, type Tx } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ItemStatus } from "@/lib/generated/prisma/enums";
import { notify, type NotificationInput } from "@/lib/notifications/mutations";
import { sendDueReminders } from "@/lib/notifications/reminders";
import { startWorker, workerOptionsFromEnv, type RunningWorker, type WorkerOptions } from "@/lib/jobs/worker";
import { createTestDatabase } from "../support/database";
import { startMailSink } from "../support/mail-sink";

// The receivers below listen on 127.0.0.1, which the outbound guard refuses unless the operator
// allows it: this file's server allows exactly that address, as its environment says.
vi.hoisted(() => {
  process.env.OUTBOUND_ALLOW_PRIVATE = "127.0.0.1/32";
});

// Delivery against real servers: a PostgreSQL database of its own (so that no other test file's
// jobs are taken by these workers, and no worker here takes theirs), an SMTP sink (smtp-server)
// and an HTTP receiver for webhooks. Workers poll every 100 ms for retries; graphile-worker waits
// e^1 ≈ 2.7 s before a first retry, which the retry tests wait for. The workers vet webhook
// targets with the allowance of the environment, as the server's worker does.

const BASE_URL = "https://shipshape.test";
const SECRET = `secret-${randomUUID()}`;
const DAY_MS = 24 * 60 * 60 * 1000;

let database: { url: string; drop: () => Promise<void> };
let pool: pg.Pool;
let client: PrismaClient;

// ---- SMTP sink ----------------------------------------------------------------------------

type ReceivedMail = { to: string[]; headers: Record<string, string>; subject: string; text: string };
const mails: ReceivedMail[] = [];
/** Recipient address → how many more deliveries to refuse (451, temporary). */
const refuseMailTo = new Map<string, number>();
let smtp: Awaited<ReturnType<typeof startMailSink>>;
let smtpUrl: string;

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([bq])\?([^?]*)\?=/gi, (_match, encoding: string, text: string) =>
      encoding.toLowerCase() === "b" ? Buffer.from(text, "base64").toString("utf8") : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}

function parseMail(raw: string, to: string[]): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const headers: Record<string, string> = {};
  for (const line of raw.slice(0, split).replace(/\r\n[ \t]+/g, " ").split("\r\n")) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = raw.slice(split + 4);
  const encoding = headers["content-transfer-encoding"]?.toLowerCase();
  const text = encoding === "quoted-printable" ? decodeQuotedPrintable(body) : encoding === "base64" ? Buffer.from(body, "base64").toString("utf8") : body;
  return { to, headers, subject: decodeEncodedWords(headers.subject ?? ""), text };
}

function mailsTo(address: string): ReceivedMail[] {
  return mails.filter((mail) => mail.to.includes(address));
}

// ---- Webhook receiver -----------------------------------------------------------------------

type HookRequest = { path: string; headers: IncomingHttpHeaders; body: Record<string, unknown>; status: number | "hung"; at: number };
const hookRequests: HookRequest[] = [];
/** Path → what to answer the nth request to it (1-based): a status, or "hang" (no answer). */
const hookBehaviour = new Map<string, (nth: number) => number | "hang">();
const hungResponses: ServerResponse[] = [];
const http = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const path = request.url ?? "";
    const nth = hookRequests.filter((hook) => hook.path === path).length + 1;
    const answer = hookBehaviour.get(path)?.(nth) ?? 200;
    hookRequests.push({ path, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>, status: answer === "hang" ? "hung" : answer, at: Date.now() });
    if (answer === "hang") hungResponses.push(response);
    else response.writeHead(answer, { "Content-Type": "text/plain" }).end(answer < 300 ? "ok" : "no");
  });
});
let hookBase: string;

function hooksTo(path: string): HookRequest[] {
  return hookRequests.filter((hook) => hook.path === path);
}

/** A Slack-like webhook URL whose path is a secret that must never be logged. */
function hookPath(label: string): string {
  return `/services/${label}/${SECRET}/${randomUUID()}`;
}

// ---- Workers and logs -----------------------------------------------------------------------

const logs: string[] = [];
const running = new Set<RunningWorker>();

async function startTestWorker(overrides: Partial<WorkerOptions> = {}): Promise<RunningWorker> {
  const worker = await startWorker({
    connectionString: database.url,
    delivery: { baseUrl: BASE_URL, smtpUrl, smtpFrom: "Shipshape Test <noreply@shipshape.test>", outbound: workerOptionsFromEnv().delivery.outbound },
    concurrency: 3,
    pollInterval: 100,
    schedule: false,
    shutdownAbortMs: 300,
    log: (level, message) => logs.push(`${level}: ${message}`),
    ...overrides,
  });
  running.add(worker);
  return worker;
}

async function stopTestWorker(worker: RunningWorker): Promise<void> {
  await worker.stop();
  running.delete(worker);
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- Data -----------------------------------------------------------------------------------

type User = { id: string; name: string; email: string };
type Project = { id: string; slug: string; name: string; sectionId: string };

async function makeUser(options: { emailNotifications?: boolean; disabled?: boolean; timeZone?: string } = {}): Promise<User> {
  const id = randomUUID().slice(0, 8);
  return client.user.create({
    data: {
      email: `user-${randomUUID()}@shipshape.test`,
      name: `Delivery User ${id}`,
      emailNotifications: options.emailNotifications ?? true,
      disabledAt: options.disabled ? new Date() : null,
      timeZone: options.timeZone ?? null,
    },
    select: { id: true, name: true, email: true },
  });
}

async function makeProject(webhookPath?: string): Promise<Project> {
  const id = randomUUID().slice(0, 8);
  const project = await client.project.create({
    data: { slug: `delivery-${randomUUID()}`, name: `Delivery Project ${id}`, webhookUrl: webhookPath ? `${hookBase}${webhookPath}` : null },
    select: { id: true, slug: true, name: true },
  });
  const section = await client.checklistSection.create({ data: { projectId: project.id, title: "Operations", position: 0 }, select: { id: true } });
  return { ...project, sectionId: section.id };
}

async function makeItem(project: Project, fields: { title?: string; assigneeId?: string | null; dueAt?: Date | null; status?: ItemStatus; waiverExpiresAt?: Date | null } = {}) {
  return client.checklistItem.create({
    data: {
      projectId: project.id,
      sectionId: project.sectionId,
      position: 0,
      title: fields.title ?? `Item ${randomUUID().slice(0, 8)}`,
      assigneeId: fields.assigneeId ?? null,
      dueAt: fields.dueAt ?? null,
      status: fields.status ?? "TODO",
      waiverExpiresAt: fields.waiverExpiresAt ?? null,
      // A WAIVED item here is an accepted waiver (a request would still be open work).
      ...(fields.status === "WAIVED" ? { waiverGrantedByName: "Rory Requester", waiverAcceptedByName: "Ari Acceptor", waiverAcceptedAt: new Date(Date.now() - DAY_MS) } : {}),
    },
    select: { id: true, title: true },
  });
}

function notifyCommitted(input: NotificationInput): Promise<string[]> {
  return client.$transaction((tx) => notify(tx, input));
}

function commentOn(project: Project, itemId: string, actor: User, recipients: string[], title = `${actor.name} commented on “Backups tested”`) {
  return notifyCommitted({ kind: "COMMENTED", recipients, projectId: project.id, itemId, title, body: "Restore drill done on staging.", link: `/projects/${project.slug}#item-${itemId}`, actor });
}

type JobRow = { id: bigint; task: string; payload: Record<string, unknown>; attempts: number; maxAttempts: number; lastError: string | null; lockedAt: Date | null };

/** The jobs still in the queue (finished ones are deleted by graphile-worker). */
function queuedJobs(): Promise<JobRow[]> {
  return client.$queryRaw<JobRow[]>`
    SELECT j.id, t.identifier AS task, j.payload, j.attempts, j.max_attempts AS "maxAttempts", j.last_error AS "lastError", j.locked_at AS "lockedAt"
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    ORDER BY j.id`;
}

async function emailJobsFor(notificationIds: string[]): Promise<JobRow[]> {
  return (await queuedJobs()).filter((job) => job.task === "notification_email" && notificationIds.includes(String(job.payload.notificationId)));
}

async function webhookJobsFor(projectId: string): Promise<JobRow[]> {
  return (await queuedJobs()).filter((job) => job.task === "notification_webhook" && job.payload.projectId === projectId);
}

beforeAll(async () => {
  database = await createTestDatabase("delivery");
  pool = createPool(database.url, 5);
  client = prismaClientOver(pool);

  smtp = await startMailSink({
    refuse(to) {
      const refused = to.find((address) => (refuseMailTo.get(address) ?? 0) > 0);
      if (refused) refuseMailTo.set(refused, (refuseMailTo.get(refused) ?? 1) - 1);
      return refused !== undefined;
    },
    onMail: (mail) => mails.push(parseMail(mail.raw, mail.to)),
  });
  smtpUrl = smtp.url;

  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  hookBase = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all([...running].map((worker) => stopTestWorker(worker)));
  // Each test starts from an empty queue (no worker runs now, so nothing holds a job) and with
  // no due items left for the reminder scan, which looks at every project.
  await client.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
  await client.$executeRaw`UPDATE checklist_items SET due_at = NULL WHERE due_at IS NOT NULL`;
});

afterAll(async () => {
  await Promise.all([...running].map((worker) => worker.stop()));
  for (const response of hungResponses) response.destroy();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
  await smtp.close();
  await client?.$disconnect();
  await pool?.end();
  await database?.drop();
});

describe("email", () => {
  it("sends the notification to its recipient over SMTP with the full link, then records it as emailed", async () => {
    const [actor, recipient] = [await makeUser(), await makeUser()];
    const project = await makeProject();
    const item = await makeItem(project, { title: "Backups tested", assigneeId: recipient.id });
    const [notificationId] = await commentOn(project, item.id, actor, [recipient.id]);
    expect(await emailJobsFor([notificationId!])).toHaveLength(1);

    await startTestWorker();
    const [mail] = await waitFor("the email", () => (mailsTo(recipient.email).length > 0 ? mailsTo(recipient.email) : undefined));

    expect(mail!.to).toEqual([recipient.email]);
    expect(mail!.headers.to).toContain(recipient.email);
    expect(mail!.headers.from).toBe("Shipshape Test <noreply@shipshape.test>");
    expect(mail!.subject).toBe(`${actor.name} commented on “Backups tested”`);
    expect(mail!.text).toContain("Restore drill done on staging.");
    expect(mail!.text).toContain(`${BASE_URL}/projects/${project.slug}#item-${item.id}`);
    expect(mail!.headers["message-id"]).toBe(`<${notificationId}@shipshape.test>`);
    const row = await waitFor("emailedAt", async () => (await client.notification.findUniqueOrThrow({ where: { id: notificationId! } })).emailedAt ?? undefined);
    expect(row).toBeInstanceOf(Date);
    await waitFor("the job to finish", async () => ((await emailJobsFor([notificationId!])).length === 0 ? true : undefined));

    // A second run of the job (a retry after a lost acknowledgement) sends nothing more.
    await client.$executeRaw`SELECT graphile_worker.add_job('notification_email', json_build_object('notificationId', ${notificationId}::text))`;
    await waitFor("the repeated job to finish", async () => ((await emailJobsFor([notificationId!])).length === 0 ? true : undefined));
    expect(mailsTo(recipient.email)).toHaveLength(1);
  });

  it("queues no email for someone who turned email off, and sends none to who turned it off or was disabled since", async () => {
    const actor = await makeUser();
    const [off, laterOff, laterDisabled, wanted] = [await makeUser({ emailNotifications: false }), await makeUser(), await makeUser(), await makeUser()];
    const project = await makeProject();
    const ids = await commentOn(project, (await makeItem(project)).id, actor, [off.id, laterOff.id, laterDisabled.id, wanted.id]);
    expect(ids).toHaveLength(4);
    expect(await emailJobsFor(ids)).toHaveLength(3);

    await client.user.update({ where: { id: laterOff.id }, data: { emailNotifications: false } });
    await client.user.update({ where: { id: laterDisabled.id }, data: { disabledAt: new Date() } });
    await startTestWorker();
    await waitFor("the wanted email", () => (mailsTo(wanted.email).length > 0 ? true : undefined));
    await waitFor("all email jobs to finish", async () => ((await emailJobsFor(ids)).length === 0 ? true : undefined));

    expect(mailsTo(off.email)).toHaveLength(0);
    expect(mailsTo(laterOff.email)).toHaveLength(0);
    expect(mailsTo(laterDisabled.email)).toHaveLength(0);
    const rows = await client.notification.findMany({ where: { id: { in: ids } }, include: { user: { select: { email: true } } } });
    expect(rows.filter((row) => row.emailedAt).map((row) => row.user.email)).toEqual([wanted.email]);
  });

  it("does nothing when the worker has no SMTP: the job completes and the notification is not marked emailed", async () => {
    const [actor, recipient] = [await makeUser(), await makeUser()];
    const project = await makeProject();
    const ids = await commentOn(project, (await makeItem(project)).id, actor, [recipient.id]);
    await startTestWorker({ delivery: { baseUrl: BASE_URL, smtpUrl: undefined, smtpFrom: "x <x@shipshape.test>" } });
    await waitFor("the job to finish", async () => ((await emailJobsFor(ids)).length === 0 ? true : undefined));
    expect(mailsTo(recipient.email)).toHaveLength(0);
    expect((await client.notification.findUniqueOrThrow({ where: { id: ids[0]! } })).emailedAt).toBeNull();
  });

  it("a failing SMTP server leaves the change and its notification committed, and the email is retried until it goes through", async () => {
    const [actor, recipient] = [await makeUser(), await makeUser()];
    const project = await makeProject();
    const item = await makeItem(project);
    refuseMailTo.set(recipient.email, 1);
    const [notificationId] = await client.$transaction(async (tx) => {
      await tx.checklistItem.update({ where: { id: item.id }, data: { details: "Restore drill scheduled" } });
      return notify(tx, { kind: "COMMENTED", recipients: [recipient.id], projectId: project.id, itemId: item.id, title: "Retry me", body: "", link: `/projects/${project.slug}`, actor });
    });

    await startTestWorker();
    const [failed] = await waitFor("a failed attempt", async () => {
      const jobs = await emailJobsFor([notificationId!]);
      return jobs[0]?.attempts === 1 && jobs[0].lockedAt === null ? jobs : undefined;
    });
    expect(failed!.lastError).toMatch(/451|try again later/i);
    expect(mailsTo(recipient.email)).toHaveLength(0);
    expect((await client.checklistItem.findUniqueOrThrow({ where: { id: item.id } })).details).toBe("Restore drill scheduled");
    const notification = await client.notification.findUniqueOrThrow({ where: { id: notificationId! } });
    expect(notification.emailedAt).toBeNull();

    await waitFor("the retried email", () => (mailsTo(recipient.email).length > 0 ? true : undefined), 8_000);
    await waitFor("emailedAt", async () => (await client.notification.findUniqueOrThrow({ where: { id: notificationId! } })).emailedAt ?? undefined);
    expect(mailsTo(recipient.email)).toHaveLength(1);
  });
});

describe("webhook", () => {
  it("POSTs the event as JSON with a Slack-compatible text and the full link", async () => {
    const path = hookPath("T1");
    const [actor, recipient] = [await makeUser(), await makeUser()];
    const project = await makeProject(path);
    const item = await makeItem(project, { title: "TLS <everywhere> & HSTS" });
    await notifyCommitted({
      kind: "COMMENTED",
      recipients: [recipient.id],
      projectId: project.id,
      itemId: item.id,
      title: `${actor.name} commented on “${item.title}”`,
      body: "<!channel> looks done",
      link: `/projects/${project.slug}#item-${item.id}`,
      actor,
    });

    await startTestWorker();
    const [hook] = await waitFor("the webhook", () => (hooksTo(path).length > 0 ? hooksTo(path) : undefined));
    const url = `${BASE_URL}/projects/${project.slug}#item-${item.id}`;
    expect(hook!.headers["content-type"]).toBe("application/json");
    expect(hook!.body).toMatchObject({
      kind: "COMMENTED",
      title: `${actor.name} commented on “${item.title}”`,
      body: "<!channel> looks done",
      url,
      project: { slug: project.slug, name: project.name },
      itemId: item.id,
      recipients: [{ id: recipient.id, name: recipient.name }],
    });
    expect(hook!.body.text).toBe(`${actor.name} commented on “TLS &lt;everywhere&gt; &amp; HSTS”\n&lt;!channel&gt; looks done\n${url}`);
    expect(Number.isNaN(Date.parse(String(hook!.body.occurredAt)))).toBe(false);
    expect(hook!.body).not.toHaveProperty("webhookUrl");
  });

  it("a receiver that fails is retried with back-off; the logs name only the origin, never the secret path", async () => {
    const path = hookPath("T2");
    hookBehaviour.set(path, (nth) => (nth === 1 ? 500 : 200));
    const [actor, recipient] = [await makeUser(), await makeUser({ emailNotifications: false })];
    const project = await makeProject(path);
    await commentOn(project, (await makeItem(project)).id, actor, [recipient.id]);

    await startTestWorker();
    const hooks = await waitFor("the retried webhook", () => (hooksTo(path).length >= 2 ? hooksTo(path) : undefined), 8_000);
    await waitFor("the job to finish", async () => ((await webhookJobsFor(project.id)).length === 0 ? true : undefined));
    await sleep(300);

    expect(hooksTo(path).map((hook) => hook.status)).toEqual([500, 200]);
    expect(hooks[1]!.at - hooks[0]!.at).toBeGreaterThan(2_000);
    expect(hooks[1]!.headers["x-shipshape-delivery"]).toBe(hooks[0]!.headers["x-shipshape-delivery"]);
    const failure = logs.find((line) => line.includes("answered 500"));
    expect(failure).toContain(hookBase);
    expect(logs.filter((line) => line.includes(SECRET))).toEqual([]);
  });

  it("uses the project's webhook as it is when the job runs: a changed URL gets it, a removed one nothing", async () => {
    const [oldPath, newPath, removedPath] = [hookPath("T3"), hookPath("T3"), hookPath("T3")];
    const [actor, recipient] = [await makeUser(), await makeUser({ emailNotifications: false })];
    const [moved, removed] = [await makeProject(oldPath), await makeProject(removedPath)];
    await commentOn(moved, (await makeItem(moved)).id, actor, [recipient.id]);
    await commentOn(removed, (await makeItem(removed)).id, actor, [recipient.id]);
    await client.project.update({ where: { id: moved.id }, data: { webhookUrl: `${hookBase}${newPath}` } });
    await client.project.update({ where: { id: removed.id }, data: { webhookUrl: null } });

    await startTestWorker();
    await waitFor("the webhook at the new URL", () => (hooksTo(newPath).length > 0 ? true : undefined));
    await waitFor("both jobs to finish", async () => ((await webhookJobsFor(moved.id)).length + (await webhookJobsFor(removed.id)).length === 0 ? true : undefined));
    expect(hooksTo(oldPath)).toHaveLength(0);
    expect(hooksTo(removedPath)).toHaveLength(0);
  });
});

describe("webhook targets at delivery", () => {
  /** The job after its one attempt: failed, and never to be taken again (attempts reached max_attempts). */
  async function failedForGood(projectId: string): Promise<JobRow> {
    return waitFor("the job to fail for good", async () => {
      const [job] = await webhookJobsFor(projectId);
      return job && job.lockedAt === null && job.lastError !== null ? job : undefined;
    });
  }

  it("vets the URL set when the job runs: an internal one is refused, nothing reaches it, and the job fails for good", async () => {
    const paths = [hookPath("R1"), hookPath("R1"), hookPath("R1")];
    const [actor, recipient] = [await makeUser(), await makeUser({ emailNotifications: false })];
    const projects = await Promise.all(paths.map((path) => makeProject(path)));
    for (const project of projects) await commentOn(project, (await makeItem(project)).id, actor, [recipient.id]);
    // Changed behind the service's back (an older row, or the receiver's DNS changed since), to
    // spellings of the very listener that receives the other tests' webhooks.
    const port = new URL(hookBase).port;
    const internal = [`http://127.1:${port}`, `http://2130706433:${port}`, `http://[::ffff:127.0.0.1]:${port}`];
    for (const [index, project] of projects.entries()) {
      await client.project.update({ where: { id: project.id }, data: { webhookUrl: `${internal[index]}${paths[index]}` } });
    }

    // This worker has the operator's default: no allowance.
    await startTestWorker({ delivery: { baseUrl: BASE_URL, smtpUrl, smtpFrom: "x <x@shipshape.test>" } });
    for (const [index, project] of projects.entries()) {
      const job = await failedForGood(project.id);
      expect(job).toMatchObject({ attempts: 1, maxAttempts: 1 });
      const address = index === 2 ? "::ffff:7f00:1 (127.0.0.1)" : "127.0.0.1";
      expect(job.lastError).toBe(`Webhook ${new URL(internal[index]!).origin} refused: ${address} is a loopback address: not allowed unless the server's OUTBOUND_ALLOW_PRIVATE permits it (not retried)`);
    }
    for (const path of paths) expect(hooksTo(path)).toEqual([]);
    expect(logs.filter((line) => line.includes("refused: ") && line.includes("attempt 1 of 1)"))).toHaveLength(3);
    expect(logs.filter((line) => line.includes(SECRET))).toEqual([]);
  });

  it("never delivers to a metadata address, whatever the operator allows", async () => {
    const path = hookPath("R2");
    const [actor, recipient] = [await makeUser(), await makeUser({ emailNotifications: false })];
    const project = await makeProject(path);
    await commentOn(project, (await makeItem(project)).id, actor, [recipient.id]);
    await client.project.update({ where: { id: project.id }, data: { webhookUrl: `https://169.254.169.254/latest/meta-data${path}` } });

    await startTestWorker({ delivery: { baseUrl: BASE_URL, smtpUrl, smtpFrom: "x <x@shipshape.test>", outbound: { allowPrivate: true, allowance: workerOptionsFromEnv().delivery.outbound?.allowance } } });
    const job = await failedForGood(project.id);
    expect(job).toMatchObject({ attempts: 1, maxAttempts: 1 });
    expect(job.lastError).toBe("Webhook https://169.254.169.254 refused: 169.254.169.254 is a cloud metadata address: never allowed (not retried)");
    expect(logs.filter((line) => line.includes(SECRET))).toEqual([]);
  });
});

describe("transactions and restarts", () => {
  it("a rolled-back transaction leaves no notification and no job; a committed one leaves both", async () => {
    const [actor, recipient] = [await makeUser(), await makeUser()];
    const project = await makeProject(hookPath("T4"));
    const item = await makeItem(project);
    const commentOnTx = (tx: Tx) =>
      notify(tx, { kind: "COMMENTED", recipients: [recipient.id], projectId: project.id, itemId: item.id, title: "Rollback?", body: "", link: `/projects/${project.slug}`, actor });
    let rolledBackIds: string[] = [];
    await expect(
      client.$transaction(async (tx) => {
        rolledBackIds = await commentOnTx(tx);
        throw new Error("the change failed after notifying");
      }),
    ).rejects.toThrow("the change failed after notifying");
    expect(rolledBackIds).toHaveLength(1);
    expect(await client.notification.count({ where: { id: { in: rolledBackIds } } })).toBe(0);
    expect(await emailJobsFor(rolledBackIds)).toHaveLength(0);
    expect(await webhookJobsFor(project.id)).toHaveLength(0);

    const committedIds = await client.$transaction((tx) => commentOnTx(tx));
    expect(await client.notification.count({ where: { id: { in: committedIds } } })).toBe(1);
    expect(await emailJobsFor(committedIds)).toHaveLength(1);
    expect(await webhookJobsFor(project.id)).toHaveLength(1);
  });

  it("jobs queued while no worker runs are delivered when one starts", async () => {
    const path = hookPath("T5");
    const [actor, recipient] = [await makeUser(), await makeUser()];
    const project = await makeProject(path);
    const first = await startTestWorker();
    await stopTestWorker(first);
    const ids = await commentOn(project, (await makeItem(project)).id, actor, [recipient.id]);
    await sleep(300);
    expect(await emailJobsFor(ids)).toHaveLength(1);
    expect(await webhookJobsFor(project.id)).toHaveLength(1);
    expect(mailsTo(recipient.email)).toHaveLength(0);

    await startTestWorker();
    await waitFor("the email", () => (mailsTo(recipient.email).length > 0 ? true : undefined));
    await waitFor("the webhook", () => (hooksTo(path).length > 0 ? true : undefined));
  });

  it("a worker stopped during a delivery gives the job back, and another worker delivers it", async () => {
    const path = hookPath("T6");
    hookBehaviour.set(path, (nth) => (nth === 1 ? "hang" : 200));
    const [actor, recipient] = [await makeUser(), await makeUser({ emailNotifications: false })];
    const project = await makeProject(path);
    await commentOn(project, (await makeItem(project)).id, actor, [recipient.id]);

    const first = await startTestWorker({ shutdownAbortMs: 300 });
    await waitFor("the delivery in flight", () => (hooksTo(path).length > 0 ? true : undefined));
    await stopTestWorker(first);
    const [job] = await webhookJobsFor(project.id);
    expect(job).toMatchObject({ attempts: 1, lockedAt: null });
    expect(job!.lastError).toContain("interrupted");

    await startTestWorker();
    await waitFor("the second delivery", () => (hooksTo(path).some((hook) => hook.status === 200) ? true : undefined), 8_000);
    await waitFor("the job to finish", async () => ((await webhookJobsFor(project.id)).length === 0 ? true : undefined));
    expect(hooksTo(path).map((hook) => hook.status)).toEqual(["hung", 200]);
  });

  it("two workers on one database deliver each job exactly once", async () => {
    const path = hookPath("T7");
    const actor = await makeUser();
    const recipients = await Promise.all(Array.from({ length: 12 }, () => makeUser()));
    const project = await makeProject(path);
    const item = await makeItem(project);
    for (let round = 0; round < 8; round++) {
      await commentOn(project, item.id, actor, recipients.map((user) => user.id), `Comment ${round}`);
    }
    const [first, second] = [startTestWorker({ concurrency: 4 }), startTestWorker({ concurrency: 4 })];
    await Promise.all([first, second]);

    await waitFor("every delivery", async () => ((await queuedJobs()).length === 0 && hookRequests.filter((hook) => hook.path === path).length >= 8 ? true : undefined), 15_000);
    await sleep(500);
    for (const user of recipients) {
      expect(mailsTo(user.email).map((mail) => mail.subject).sort()).toEqual(Array.from({ length: 8 }, (_, round) => `Comment ${round}`));
    }
    expect(hooksTo(path).map((hook) => hook.body.title).sort()).toEqual(Array.from({ length: 8 }, (_, round) => `Comment ${round}`));
  });
});

describe("due reminders", () => {
  it("remind once per item, kind, due time and person, and never for what is ready", async () => {
    const now = new Date();
    const project = await makeProject();
    const [assignee, disabled] = [await makeUser({ timeZone: "Europe/Berlin" }), await makeUser({ disabled: true })];
    const dueSoon = await makeItem(project, { title: "Backups tested", assigneeId: assignee.id, dueAt: new Date(now.getTime() + DAY_MS) });
    const overdue = await makeItem(project, { title: "Alerts wired", assigneeId: assignee.id, dueAt: new Date(now.getTime() - 60 * 60 * 1000) });
    const expiredWaiver = await makeItem(project, { assigneeId: assignee.id, dueAt: new Date(now.getTime() - DAY_MS), status: "WAIVED", waiverExpiresAt: new Date(now.getTime() - 1000) });
    const waivedUntilTomorrow = await makeItem(project, { assigneeId: assignee.id, dueAt: new Date(now.getTime() - DAY_MS), status: "WAIVED", waiverExpiresAt: new Date(now.getTime() + DAY_MS) });
    const quiet = [
      waivedUntilTomorrow,
      await makeItem(project, { assigneeId: assignee.id, dueAt: new Date(now.getTime() - DAY_MS), status: "DONE" }),
      await makeItem(project, { assigneeId: assignee.id, dueAt: new Date(now.getTime() - DAY_MS), status: "NOT_APPLICABLE" }),
      await makeItem(project, { assigneeId: assignee.id, dueAt: new Date(now.getTime() + 5 * DAY_MS) }),
      await makeItem(project, { assigneeId: assignee.id }),
      await makeItem(project, { dueAt: new Date(now.getTime() - DAY_MS) }),
      await makeItem(project, { assigneeId: disabled.id, dueAt: new Date(now.getTime() - DAY_MS) }),
    ];
    const remindersOf = (itemId: string) => client.notification.findMany({ where: { itemId }, orderBy: { createdAt: "asc" } });

    const first = await sendDueReminders(client, now);
    expect(first).toEqual({ candidates: 3, created: 3 });
    const [soon] = await remindersOf(dueSoon.id);
    expect(soon).toMatchObject({
      userId: assignee.id,
      kind: "DUE_SOON",
      title: `“Backups tested” is due within two days in ${project.name}`,
      link: `/projects/${project.slug}#item-${dueSoon.id}`,
      actorName: null,
      projectId: project.id,
    });
    expect(soon!.body).toContain("(Europe/Berlin)");
    const [late] = await remindersOf(overdue.id);
    expect(late).toMatchObject({ kind: "OVERDUE", title: `“Alerts wired” is overdue in ${project.name}` });
    expect(late!.dedupeKey).toBe(`OVERDUE:${overdue.id}:${new Date(now.getTime() - 60 * 60 * 1000).toISOString()}:${assignee.id}`);
    expect((await remindersOf(expiredWaiver.id)).map((row) => row.kind)).toEqual(["OVERDUE"]);
    for (const item of quiet) expect(await remindersOf(item.id)).toEqual([]);
    // Each reminder queues its email like any notification.
    expect(await emailJobsFor([soon!.id, late!.id])).toHaveLength(2);

    // The scan's SQL finds nothing left to do (its dedupe key matches the one written), twice over.
    expect(await sendDueReminders(client, now)).toEqual({ candidates: 0, created: 0 });
    expect(await sendDueReminders(client, new Date(now.getTime() + 60_000))).toEqual({ candidates: 0, created: 0 });

    // A new due time is a new reminder; passing it turns "due soon" into "overdue"; a waiver that
    // expired meanwhile makes its item overdue again.
    const movedDueAt = new Date(now.getTime() + 1.5 * DAY_MS);
    await client.checklistItem.update({ where: { id: dueSoon.id }, data: { dueAt: movedDueAt } });
    expect(await sendDueReminders(client, now)).toEqual({ candidates: 1, created: 1 });
    expect((await remindersOf(dueSoon.id)).map((row) => row.kind)).toEqual(["DUE_SOON", "DUE_SOON"]);
    const later = new Date(movedDueAt.getTime() + 1000);
    expect(await sendDueReminders(client, later)).toEqual({ candidates: 2, created: 2 });
    expect((await remindersOf(dueSoon.id)).map((row) => row.kind)).toEqual(["DUE_SOON", "DUE_SOON", "OVERDUE"]);
    expect((await remindersOf(waivedUntilTomorrow.id)).map((row) => row.kind)).toEqual(["OVERDUE"]);
  });

  it("works through many items in batches, and concurrent scans write each reminder once", async () => {
    const now = new Date();
    const project = await makeProject();
    const assignee = await makeUser({ emailNotifications: false });
    const items = await Promise.all(Array.from({ length: 25 }, (_, n) => makeItem(project, { assigneeId: assignee.id, dueAt: new Date(now.getTime() - (n + 1) * 60_000) })));
    const scans = await Promise.all([sendDueReminders(client, now, { batchSize: 7 }), sendDueReminders(client, now, { batchSize: 7 })]);
    expect(scans[0]!.created + scans[1]!.created).toBe(25);
    expect(await client.notification.count({ where: { itemId: { in: items.map((item) => item.id) } } })).toBe(25);
  });

  it("the worker runs the due_reminders job, and schedules it by cron", async () => {
    const project = await makeProject();
    const assignee = await makeUser({ emailNotifications: false });
    const item = await makeItem(project, { assigneeId: assignee.id, dueAt: new Date(Date.now() - 60_000) });
    await client.$executeRaw`SELECT graphile_worker.add_job('due_reminders', '{}'::json)`;
    await startTestWorker({ schedule: true });
    const reminder = await waitFor("the reminder", async () => (await client.notification.findFirst({ where: { itemId: item.id } })) ?? undefined);
    expect(reminder.kind).toBe("OVERDUE");
    const crontabs = await waitFor("the crontab", async () => {
      const rows = await client.$queryRaw<{ identifier: string }[]>`SELECT identifier FROM graphile_worker._private_known_crontabs`;
      return rows.length > 0 ? rows.map((row) => row.identifier) : undefined;
    });
    expect(crontabs).toContain("due_reminders");
  });
});
