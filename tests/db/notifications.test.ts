import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { listNotifications, countUnread } from "@/lib/notifications/data";
import { markNotificationsRead, notify } from "@/lib/notifications/mutations";
import { setProjectWebhook } from "@/lib/projects/mutations";
import { updatePreferences } from "@/lib/users/mutations";
import { actorFor, ctx, eventsOf, expectAppError, makeTeam, makeUser } from "./factories";

// The person-facing side of notifications: reading and marking one's own, preferences, and a
// lead's project webhook, each validated, authorized and audited.

async function send(projectId: string, userId: string, count: number) {
  for (let index = 0; index < count; index++) {
    await db.$transaction((tx) => notify(tx, { kind: "COMMENTED", recipients: [userId], projectId, itemId: null, title: `Message ${index}`, link: "/", actor: null }));
  }
}

describe("reading notifications", () => {
  it("pages through one's own notifications newest first with a cursor, and counts the unread", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    await send(team.project.id, team.users.DBA.id, 35);
    await send(team.project.id, team.users.LEAD.id, 2);
    const actor = await team.as("DBA");
    const first = await listNotifications(actor);
    expect(first.notifications).toHaveLength(30);
    expect(first.notifications[0]?.title).toBe("Message 34");
    expect(first.unread).toBe(35);
    const second = await listNotifications(actor, { cursor: first.nextCursor! });
    expect(second.notifications.map((notification) => notification.title)).toEqual(["Message 4", "Message 3", "Message 2", "Message 1", "Message 0"]);
    expect(second.nextCursor).toBeNull();
    // A forged cursor is ignored rather than breaking the page.
    expect((await listNotifications(actor, { cursor: "'; DROP TABLE notifications; --" })).notifications).toHaveLength(30);
  });

  it("marks only one's own notifications read, audited; an auditor may too", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    await send(team.project.id, team.users.DBA.id, 3);
    await send(team.project.id, team.users.LEAD.id, 1);
    const leadsOwn = await db.notification.findFirstOrThrow({ where: { userId: team.users.LEAD.id }, select: { id: true } });
    const dba = await team.as("DBA");
    const c = ctx(dba);
    // Someone else's id is silently out of reach: nothing of theirs changes.
    expect(await markNotificationsRead(c, { ids: [leadsOwn.id] })).toEqual({ marked: 0 });
    expect(await countUnread({ id: team.users.LEAD.id })).toBe(1);
    expect(await markNotificationsRead(c, { ids: "all" })).toEqual({ marked: 3 });
    expect(await countUnread(dba)).toBe(0);
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => [event.action, event.after])).toEqual([[auditActions.NOTIFICATIONS_READ, { marked: 3, scope: "all" }]]);
    const bad = await expectAppError(markNotificationsRead(c, { ids: ["not-an-id"] }), "INVALID_INPUT");
    expect(Object.keys(bad.fieldErrors ?? {})[0]).toMatch(/^ids/);

    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    await db.notification.create({ data: { userId: auditor.id, kind: "COMMENTED", title: "For the auditor", link: "/" } });
    expect(await markNotificationsRead(ctx(await actorFor(auditor)), { ids: "all" })).toEqual({ marked: 1 });
  });

  it("leaves disabled people out, and never notifies the person who acted", async () => {
    const team = await makeTeam(["LEAD", "DBA", "SECURITY"]);
    await db.user.update({ where: { id: team.users.SECURITY.id }, data: { disabledAt: new Date() } });
    const lead = await team.as("LEAD");
    const ids = await db.$transaction((tx) => notify(tx, { kind: "COMMENTED", recipients: [team.users.DBA.id, team.users.SECURITY.id, team.users.LEAD.id, team.users.DBA.id], projectId: team.project.id, itemId: null, title: "Hello", link: "/", actor: lead }));
    expect(ids).toHaveLength(1);
    expect(await db.notification.findMany({ where: { id: { in: ids } }, select: { userId: true } })).toEqual([{ userId: team.users.DBA.id }]);
  });
});

describe("preferences", () => {
  it("saves a valid time zone and the email choice, audited; refuses an unknown zone by name", async () => {
    const user = await makeUser();
    const actor = await actorFor(user);
    const c = ctx(actor);
    await updatePreferences(c, { timeZone: "Europe/Berlin", emailNotifications: "" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { timeZone: true, emailNotifications: true } })).toEqual({ timeZone: "Europe/Berlin", emailNotifications: false });
    expect((await eventsOf(c.requestId)).map((event) => [event.action, event.before, event.after])).toEqual([
      [auditActions.USER_PREFERENCES_CHANGED, { timeZone: null, emailNotifications: true }, { timeZone: "Europe/Berlin", emailNotifications: false }],
    ]);
    const error = await expectAppError(updatePreferences(ctx(actor), { timeZone: "Atlantis/Capital", emailNotifications: "on" }), "INVALID_INPUT");
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["timeZone"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { timeZone: true } })).timeZone).toBe("Europe/Berlin");
  });
});

describe("project webhook", () => {
  it("a lead sets and removes it; the history keeps only the origin, never the secret path", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const c = ctx(await team.as("LEAD"));
    await setProjectWebhook(c, { projectId: team.project.id, webhookUrl: "https://hooks.slack.com/services/T000/B000/secretsecret" });
    expect((await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { webhookUrl: true } })).webhookUrl).toBe("https://hooks.slack.com/services/T000/B000/secretsecret");
    await setProjectWebhook(c, { projectId: team.project.id, webhookUrl: "" });
    expect((await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { webhookUrl: true } })).webhookUrl).toBeNull();
    const events = await eventsOf(c.requestId);
    expect(events.map((event) => [event.before, event.after])).toEqual([
      [{ webhook: null }, { webhook: "https://hooks.slack.com/…" }],
      [{ webhook: "https://hooks.slack.com/…" }, { webhook: null }],
    ]);
    expect(JSON.stringify(events.map((event) => [event.before, event.after]))).not.toContain("secretsecret");
  });

  it("refuses plain http to a public host, URLs with credentials, and anyone but a lead or admin", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const lead = ctx(await team.as("LEAD"));
    for (const webhookUrl of ["http://hooks.example.com/x", "http://93.184.215.14/x", "https://user:pass@hooks.example.com/x", "ftp://example.com", "not a url"]) {
      const error = await expectAppError(setProjectWebhook(lead, { projectId: team.project.id, webhookUrl }), "INVALID_INPUT");
      expect(Object.keys(error.fieldErrors ?? {})).toEqual(["webhookUrl"]);
    }
    await setProjectWebhook(lead, { projectId: team.project.id, webhookUrl: "https://93.184.215.14/hook" });
    await expectAppError(setProjectWebhook(ctx(await team.as("DBA")), { projectId: team.project.id, webhookUrl: "https://hooks.example.com/x" }), "FORBIDDEN");
    const auditor = await makeUser({ globalRoles: ["AUDITOR"] });
    await expectAppError(setProjectWebhook(ctx(await actorFor(auditor)), { projectId: team.project.id, webhookUrl: "https://hooks.example.com/x" }), "FORBIDDEN");
    expect((await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { webhookUrl: true } })).webhookUrl).toBe("https://93.184.215.14/hook");
  });

  it("refuses every spelling of an internal target, saying why, and writes nothing", async () => {
    const team = await makeTeam(["LEAD"]);
    const saved = "https://93.184.215.14/services/saved";
    await setProjectWebhook(ctx(await team.as("LEAD")), { projectId: team.project.id, webhookUrl: saved });
    const unlessAllowed = "not allowed unless the server's OUTBOUND_ALLOW_PRIVATE permits it.";
    const refusals: [string, string | RegExp][] = [
      ["https://169.254.169.254/latest/meta-data", "169.254.169.254 is a cloud metadata address: never allowed."],
      ["https://metadata.google.internal/", "metadata.google.internal is a cloud metadata name: never allowed."],
      ["https://10.0.0.5/", `10.0.0.5 is a private address: ${unlessAllowed}`],
      ["https://192.168.1.1/", `192.168.1.1 is a private address: ${unlessAllowed}`],
      ["https://172.16.0.1/", `172.16.0.1 is a private address: ${unlessAllowed}`],
      ["https://127.0.0.1:5432/", `127.0.0.1 is a loopback address: ${unlessAllowed}`],
      ["http://127.1:8080/", `127.0.0.1 is a loopback address: ${unlessAllowed}`],
      ["http://2130706433/", `127.0.0.1 is a loopback address: ${unlessAllowed}`],
      ["http://[::1]:3000/", `::1 is a loopback address: ${unlessAllowed}`],
      // The machine's own resolver answers for localhost: 127.0.0.1 or ::1 first.
      ["http://LOCALHOST:9/", /^localhost resolves to (127\.0\.0\.1|::1), a loopback address: not allowed unless the server's OUTBOUND_ALLOW_PRIVATE permits it\.$/],
      ["http://0x7f.1/", `127.0.0.1 is a loopback address: ${unlessAllowed}`],
      ["https://[::ffff:127.0.0.1]/", `::ffff:7f00:1 (127.0.0.1) is a loopback address: ${unlessAllowed}`],
      ["https://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address: never allowed."],
    ];
    const refused = ctx(await team.as("LEAD"));
    for (const [webhookUrl, reason] of refusals) {
      const error = await expectAppError(setProjectWebhook(refused, { projectId: team.project.id, webhookUrl: `${webhookUrl}services/T0/B0/s3cr3t` }), "INVALID_INPUT");
      expect(Object.keys(error.fieldErrors ?? {})).toEqual(["webhookUrl"]);
      if (typeof reason === "string") expect(error.fieldErrors?.webhookUrl).toEqual([reason]);
      else expect(error.fieldErrors?.webhookUrl?.[0]).toMatch(reason);
      expect(error.message).not.toContain("s3cr3t");
    }
    expect(await eventsOf(refused.requestId)).toEqual([]);
    expect((await db.project.findUniqueOrThrow({ where: { id: team.project.id }, select: { webhookUrl: true } })).webhookUrl).toBe(saved);
  });

  it("tells only someone who may set the webhook what an internal name resolves to", async () => {
    const team = await makeTeam(["LEAD", "DBA"]);
    const error = await expectAppError(setProjectWebhook(ctx(await team.as("DBA")), { projectId: team.project.id, webhookUrl: "http://LOCALHOST:9/" }), "FORBIDDEN");
    expect(error.message).not.toContain("127.0.0.1");
    const outsider = await makeUser();
    await expectAppError(setProjectWebhook(ctx(await actorFor(outsider)), { projectId: team.project.id, webhookUrl: "https://10.0.0.5/" }), "NOT_FOUND");
  });
});
