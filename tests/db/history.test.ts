import { describe, expect, it, vi } from "vitest";
import { auditActions } from "@/lib/audit/events";
import { getGlobalHistory, getProjectHistory } from "@/lib/audit/history";
import { assignItems } from "@/lib/checklists/assignments";
import { addComment, importChecklist, updateItem } from "@/lib/checklists/mutations";
import { db } from "@/lib/db";
import { describeAuditEvent } from "@/lib/audit/format";
import { countQueries } from "../support/query-count";
import { createApiToken } from "@/lib/tokens/mutations";
import { GET as getHistoryRoute } from "@/app/api/v1/projects/[slug]/history/route";
import { actorFor, ctx, expectAppError, makeTeam, makeUser } from "./factories";

// The history an auditor reads, against the real database: each filter, the text search over
// item titles and comments, dates in the viewer's zone, and keyset pages that neither skip nor
// repeat while new events keep arriving.

const CHECKLIST = `# Payments

## Database

- [ ] Nightly backups verified
- [ ] Replica failover rehearsed

## Security

- [ ] TLS certificates rotated
`;

// The REST route is called with a project token; the session-cookie path (next-auth) is stood in
// for, refusing as the real one does without a cookie.
vi.mock("@/lib/auth", async () => {
  const { AppError } = await import("@/lib/errors");
  return {
    requireContext: async () => {
      throw new AppError("UNAUTHORIZED", "Please sign in again.");
    },
  };
});

async function reviewedProject() {
  const team = await makeTeam(["LEAD", "DBA", "SECURITY"]);
  const lead = await team.as("LEAD");
  await importChecklist(ctx(lead), { projectId: team.project.id, markdown: CHECKLIST, source: "payments.md" });
  const items = await db.checklistItem.findMany({ where: { projectId: team.project.id }, select: { id: true, title: true, version: true } });
  const byTitle = (title: string) => items.find((item) => item.title === title)!;
  const dba = await team.as("DBA");
  await updateItem(ctx(dba), { itemId: byTitle("Nightly backups verified").id, expectedVersion: 1, status: "IN_PROGRESS" });
  await addComment(ctx(await team.as("SECURITY")), { itemId: byTitle("TLS certificates rotated").id, body: "Waiting on the load balancer vendor" });
  await assignItems(ctx(lead), { projectId: team.project.id, items: [`${byTitle("Replica failover rehearsed").id}:1`], assigneeId: team.users.DBA.id });
  return { team, byTitle };
}

describe("project history", () => {
  it("filters by action, entity and actor, and searches item titles and comments by word prefix", async () => {
    const { team } = await reviewedProject();
    const auditor = await actorFor(await makeUser({ globalRoles: ["AUDITOR"] }));
    const titles = async (input: Record<string, string>) => (await getProjectHistory(auditor, team.project.slug, input, "UTC")).events.map((event) => event.action);

    expect(await titles({ action: auditActions.ITEM_UPDATED })).toEqual([auditActions.ITEM_UPDATED]);
    expect(await titles({ entity: "member" })).toEqual([]);
    expect((await titles({ entity: "item" })).sort()).toEqual([auditActions.COMMENT_ADDED, auditActions.ITEM_ASSIGNED, auditActions.ITEM_UPDATED].sort());
    expect(await titles({ actor: team.users.SECURITY.name })).toEqual([auditActions.COMMENT_ADDED]);
    expect(await titles({ actor: team.users.SECURITY.email.toUpperCase() })).toEqual([auditActions.COMMENT_ADDED]);

    // Words of item titles, wherever the title sits in the event, and of comments.
    expect(await titles({ q: "backup" })).toEqual(expect.arrayContaining([auditActions.ITEM_UPDATED, auditActions.CHECKLIST_IMPORTED]));
    expect(await titles({ q: "failover" })).toEqual(expect.arrayContaining([auditActions.ITEM_ASSIGNED]));
    expect(await titles({ q: "vendor balancer" })).toEqual([auditActions.COMMENT_ADDED]);
    expect(await titles({ q: "vendor kubernetes" })).toEqual([]);
    // Search input is words, never SQL or tsquery syntax.
    expect(await titles({ q: "'); DROP TABLE audit_events; --" })).toEqual([]);
    expect(await titles({ q: "!!! & | :*" })).toHaveLength(4);
  });

  it("reads dates as whole days in the viewer's zone", async () => {
    const { team } = await reviewedProject();
    const lead = await team.as("LEAD");
    const latest = (await getProjectHistory(lead, team.project.slug, {}, "UTC")).events[0]!;
    const instant = new Date(latest.occurredAt);
    const day = (zone: string) => new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
    for (const zone of ["UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago"]) {
      const today = day(zone);
      expect((await getProjectHistory(lead, team.project.slug, { from: today, to: today }, zone)).events.map((event) => event.id)).toContain(latest.id);
      const nextDay = new Date(`${today}T12:00:00Z`);
      nextDay.setUTCDate(nextDay.getUTCDate() + 1);
      expect((await getProjectHistory(lead, team.project.slug, { from: nextDay.toISOString().slice(0, 10) }, zone)).events).toEqual([]);
    }
  });

  it("is for the project's members (and admins and auditors) only", async () => {
    const { team } = await reviewedProject();
    const outsider = await actorFor(await makeUser());
    await expectAppError(getProjectHistory(outsider, team.project.slug, {}, "UTC"), "NOT_FOUND");
    await expectAppError(getGlobalHistory(await team.as("LEAD"), {}, "UTC"), "FORBIDDEN");
  });
});

describe("global history", () => {
  it("filters by project slug; an unknown slug matches nothing rather than everything", async () => {
    const first = await reviewedProject();
    const second = await reviewedProject();
    const admin = await actorFor(await makeUser({ globalRoles: ["ADMIN"] }));
    const page = await getGlobalHistory(admin, { project: first.team.project.slug }, "UTC");
    expect(page.events.length).toBeGreaterThan(0);
    expect(page.events.every((event) => event.projectId === first.team.project.id && event.project?.slug === first.team.project.slug)).toBe(true);
    expect((await getGlobalHistory(admin, { project: "no-such-project" }, "UTC")).events).toEqual([]);
    expect((await getGlobalHistory(admin, { project: second.team.project.slug, q: "vendor" }, "UTC")).events).toHaveLength(1);
  });

  it("pages newest first without skipping or repeating while new events keep arriving", async () => {
    const { team, byTitle } = await reviewedProject();
    const auditor = await actorFor(await makeUser({ globalRoles: ["AUDITOR"] }));
    const security = await team.as("SECURITY");
    const item = byTitle("TLS certificates rotated");
    for (let index = 0; index < 12; index++) await addComment(ctx(security), { itemId: item.id, body: `Progress note ${index}` });
    const expected = (await getProjectHistory(auditor, team.project.slug, {}, "UTC", 100)).events.map((event) => event.id);

    const seen: string[] = [];
    let before: string | undefined;
    let written = 0;
    do {
      const page = await getGlobalHistory(auditor, { project: team.project.slug, ...(before ? { before } : {}) }, "UTC", 4);
      seen.push(...page.events.map((event) => event.id));
      before = page.nextCursor ?? undefined;
      // Someone keeps working meanwhile: their events are newer than every page still to come.
      await addComment(ctx(security), { itemId: item.id, body: `Written while paging ${written++}` });
    } while (before);
    expect(seen).toEqual(expected);
  });
});

describe("the history's queries", () => {
  // The badge's own count (a few queries, however long the history) is in audit-verified-head.test.ts,
  // on a database where no other test appends events meanwhile.
  it("are as many for a page of many events as for a page of a few", async () => {
    const { team, byTitle } = await reviewedProject();
    const auditor = await actorFor(await makeUser({ globalRoles: ["AUDITOR"] }));
    const view = async () => {
      const global = await getGlobalHistory(auditor, { project: team.project.slug }, "UTC");
      const project = await getProjectHistory(auditor, team.project.slug, { entity: "item" }, "UTC");
      return { global: global.events.length, project: project.events.length };
    };
    const few = await countQueries(view);
    const security = await team.as("SECURITY");
    for (let index = 0; index < 60; index++) await addComment(ctx(security), { itemId: byTitle("TLS certificates rotated").id, body: `Note ${index}` });
    const many = await countQueries(view);
    expect(many.result.global).toBe(50);
    expect(many.result.project).toBe(50);
    expect(few.result.global).toBeLessThan(10);
    expect(many.queries).toBe(few.queries);
  });

  it("show bounded excerpts of large payloads, and the fields that changed on the whole values", async () => {
    const team = await makeTeam(["LEAD"]);
    const lead = await team.as("LEAD");
    const items = Array.from({ length: 400 }, (_, index) => `- [ ] Check number ${index} with a title long enough to make the import large`).join("\n");
    await importChecklist(ctx(lead), { projectId: team.project.id, markdown: `# Big\n\n## Section\n\n${items}\n`, source: "big.md" });
    const [item] = await db.checklistItem.findMany({ where: { projectId: team.project.id }, select: { id: true }, take: 1 });
    const long = "x".repeat(3_000);
    await updateItem(ctx(lead), { itemId: item!.id, expectedVersion: 1, details: `${long}a` });
    await updateItem(ctx(lead), { itemId: item!.id, expectedVersion: 2, details: `${long}b` });
    const page = await getProjectHistory(lead, team.project.slug, {}, "UTC");
    const imported = page.events.find((event) => event.action === auditActions.CHECKLIST_IMPORTED)!;
    expect(JSON.stringify(imported.after).length).toBeLessThan(3_000);
    expect((imported.after as { items: unknown }).items).toMatchObject({ type: "array", length: 400 });
    expect(describeAuditEvent(imported)).toBe("Added 400 checklist items");
    const [latest] = page.events;
    expect(latest?.action).toBe(auditActions.ITEM_UPDATED);
    // Same first 200 characters before and after, yet changed: decided on the whole values.
    expect(latest?.changed).toContain("details");
    expect((latest?.after as { details: unknown }).details).toMatchObject({ type: "string", length: 3_001 });
  });
});

describe("a malformed `before` cursor", () => {
  // Through the route handler of GET /api/v1/projects/{slug}/history with a project token (the
  // token, its permissions and the route are the real ones), and through the services.
  const historyOf = (slug: string, query: string, token: string) =>
    getHistoryRoute(new Request(`http://localhost/api/v1/projects/${slug}/history${query}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ slug }) });

  it("is refused with 422 naming `before` on the REST route, where a cursor it gave out pages on", async () => {
    const { team } = await reviewedProject();
    const lead = await team.as("LEAD");
    const { token } = await createApiToken(ctx(lead), { name: "History reader", projectId: team.project.id, permissions: ["items:read"] });

    const first = await historyOf(team.project.slug, "", token);
    expect(first.status).toBe(200);
    const [latest, ...older] = (await first.json()).events as { id: string; occurredAt: string }[];
    const paged = await historyOf(team.project.slug, `?before=${encodeURIComponent(`${latest!.occurredAt}_${latest!.id}`)}`, token);
    expect(paged.status).toBe(200);
    expect(((await paged.json()).events as { id: string }[]).map((event) => event.id)).toEqual(older.map((event) => event.id));

    for (const before of [`${latest!.occurredAt}_9999999999999999999`, "2026-01-01T00:00:00.000Z_9999999999999999999", "garbage", "x".repeat(300)]) {
      const refused = await historyOf(team.project.slug, `?before=${encodeURIComponent(before)}`, token);
      expect(refused.status).toBe(422);
      expect(await refused.json()).toEqual({ error: { code: "INVALID_INPUT", message: expect.stringContaining("before"), fieldErrors: { before: [expect.any(String)] } } });
    }
    // Repeated, the last one counts, and is refused as well.
    expect((await historyOf(team.project.slug, `?before=${encodeURIComponent(`${latest!.occurredAt}_${latest!.id}`)}&before=garbage`, token)).status).toBe(422);
  });

  it("is INVALID_INPUT naming `before` from both services, never the first page", async () => {
    const { team } = await reviewedProject();
    const auditor = await actorFor(await makeUser({ globalRoles: ["AUDITOR"] }));
    const before = "2026-01-01T00:00:00.000Z_9999999999999999999";
    expect((await expectAppError(getProjectHistory(auditor, team.project.slug, { before }, "UTC"), "INVALID_INPUT")).fieldErrors).toEqual({ before: [expect.any(String)] });
    expect((await expectAppError(getGlobalHistory(auditor, { before: "garbage" }, "UTC"), "INVALID_INPUT")).fieldErrors).toEqual({ before: [expect.any(String)] });
    expect((await expectAppError(getGlobalHistory(auditor, { before: [before, before] }, "UTC"), "INVALID_INPUT")).fieldErrors).toEqual({ before: [expect.any(String)] });
  });
});
