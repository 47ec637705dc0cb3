import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { deliverAccountEmail, openToken, type AccountEmailJob } from "@/lib/users/account-email";
import { createUser, setPasswordWithLink } from "@/lib/users/mutations";
import { RESET_REQUESTED_MESSAGE, requestPasswordReset } from "@/lib/users/password-reset";
import { hashSignInLinkToken } from "@/lib/users/sign-in-links";
import { verifyPassword } from "@/lib/users/password";
import { actorFor, ctx, expectAppError, makeActor, makeProject, makeUser } from "./factories";
import { inviteMember } from "@/lib/projects/mutations";
import { linkInMail, startMailSink, type SunkMail } from "../support/mail-sink";

// "Forgot password" against a real SMTP sink: one answer whatever the email, a link that works
// once for an hour, its token sealed in the queue and emailed by the job's own code, limits.

const SECRET = `secret-${randomUUID()}-0123456789abcdef`;
const BASE_URL = "https://shipshape.test";
let mails: SunkMail[] = [];
let smtpUrl: string;
let closeSink: () => Promise<void>;

beforeAll(async () => {
  const sink = await startMailSink();
  ({ mails, url: smtpUrl, close: closeSink } = sink);
});

afterAll(async () => {
  await closeSink();
});

const request = () => ({ address: `192.0.2.${Math.floor(Math.random() * 250) + 1}-${randomUUID().slice(0, 6)}`, requestId: `test-${randomUUID()}`, secret: SECRET });

/** The queued account email for a user's newest reset link. */
async function queuedJobFor(userId: string): Promise<{ linkId: string; job: AccountEmailJob }> {
  const link = await db.signInLink.findFirstOrThrow({ where: { userId, purpose: "RESET_PASSWORD" }, orderBy: { createdAt: "desc" } });
  const rows = await db.$queryRaw<{ payload: AccountEmailJob }[]>`SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'account_email' AND j.payload->>'linkId' = ${link.id}`;
  expect(rows).toHaveLength(1);
  return { linkId: link.id, job: rows[0]!.payload };
}

/** The set-password link in an email. */
function linkIn(raw: string): string {
  const found = linkInMail(raw, "/set-password");
  if (!found || !found.startsWith(BASE_URL)) throw new Error(`no link in: ${raw}`);
  return found;
}

const settings = () => ({ baseUrl: BASE_URL, smtpUrl, smtpFrom: "Shipshape Test <noreply@shipshape.test>", secret: SECRET });

describe("forgot password", () => {
  it("emails an existing account a link that works once for an hour; the queue and the trail hold no usable token", async () => {
    const user = await makeUser();
    const req = request();
    expect(await requestPasswordReset({ email: user.email.toUpperCase() }, req)).toEqual({ message: RESET_REQUESTED_MESSAGE });

    const { linkId, job } = await queuedJobFor(user.id);
    const link = await db.signInLink.findUniqueOrThrow({ where: { id: linkId } });
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBeGreaterThan(59 * 60_000);
    expect(link.expiresAt.getTime() - link.createdAt.getTime()).toBeLessThanOrEqual(60 * 60_000 + 1_000);
    const token = openToken(job.sealed, SECRET);
    expect(token && hashSignInLinkToken(token)).toBe(link.tokenHash);
    expect(JSON.stringify(job)).not.toContain(token);
    expect(openToken(job.sealed, `${SECRET}-another`)).toBeNull();
    const [event] = await db.auditEvent.findMany({ where: { requestId: req.requestId } });
    expect(event).toMatchObject({ action: auditActions.AUTH_PASSWORD_RESET_REQUESTED, actorId: null, entityId: user.id });
    expect(JSON.stringify(event?.after)).not.toContain(token);

    expect(await deliverAccountEmail(db, settings(), job)).toBe("sent");
    const mail = mails.find((entry) => entry.to.includes(user.email));
    expect(mail?.raw).toContain("Subject: Set a new password for Shipshape");
    const url = new URL(linkIn(mail!.raw));
    expect(url.searchParams.get("token")).toBe(token);

    await setPasswordWithLink({ token, password: "a reset passphrase of mine", confirmPassword: "a reset passphrase of mine" }, null);
    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(await verifyPassword(stored.passwordHash!, "a reset passphrase of mine")).toBe(true);
    const again = await expectAppError(setPasswordWithLink({ token, password: "another passphrase here", confirmPassword: "another passphrase here" }, null), "CONFLICT");
    expect(again.message).toBe("This link has already been used.");
    // A used link's email, retried, is not sent again.
    expect(await deliverAccountEmail(db, settings(), job)).toBe("skipped");
  });

  it("answers the same for an unknown email, a disabled account and a request over the limit, and writes nothing for them", async () => {
    const unknown = `nobody.${randomUUID().slice(0, 8)}@example.test`;
    const before = await db.signInLink.count();
    const req = request();
    expect(await requestPasswordReset({ email: unknown }, req)).toEqual({ message: RESET_REQUESTED_MESSAGE });
    const disabled = await makeUser();
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    expect(await requestPasswordReset({ email: disabled.email }, request())).toEqual({ message: RESET_REQUESTED_MESSAGE });
    expect(await db.signInLink.count()).toBe(before);
    expect(await db.auditEvent.count({ where: { requestId: req.requestId } })).toBe(0);

    // Three an hour per email: the fourth is answered alike and makes no link.
    const user = await makeUser();
    for (let attempt = 0; attempt < 3; attempt++) await requestPasswordReset({ email: user.email }, request());
    expect(await db.signInLink.count({ where: { userId: user.id } })).toBe(3);
    expect(await requestPasswordReset({ email: user.email }, request())).toEqual({ message: RESET_REQUESTED_MESSAGE });
    expect(await db.signInLink.count({ where: { userId: user.id } })).toBe(3);
    // Only the newest link works: each request withdrew the one before, whose email is then not sent.
    const links = await db.signInLink.findMany({ where: { userId: user.id }, orderBy: { createdAt: "asc" } });
    expect(links.filter((link) => link.expiresAt.getTime() > Date.now())).toHaveLength(1);
    const rows = await db.$queryRaw<{ payload: AccountEmailJob }[]>`SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'account_email' AND j.payload->>'linkId' = ${links[0]!.id}`;
    expect(await deliverAccountEmail(db, settings(), rows[0]!.payload)).toBe("skipped");
  });

  it("refuses a malformed email, naming the field", async () => {
    const error = await expectAppError(requestPasswordReset({ email: "not an email" }, request()), "INVALID_INPUT");
    expect(error.fieldErrors).toHaveProperty("email");
  });

  it("an admin who gives no password invites the person by email; they set their own with the link", async () => {
    const { actor: admin } = await makeActor(["ADMIN"]);
    const email = `invited.${randomUUID().slice(0, 8)}@example.test`;
    const refused = await expectAppError(createUser(ctx(admin), { email, name: "Ines Invited" }), "INVALID_INPUT");
    expect(refused.fieldErrors).toHaveProperty("password");
    const c = ctx(admin);
    const { id, invited } = await createUser(c, { email, name: "Ines Invited", password: "" }, { secret: SECRET });
    expect(invited).toBe(true);
    expect((await db.user.findUniqueOrThrow({ where: { id } })).passwordHash).toBeNull();
    const link = await db.signInLink.findFirstOrThrow({ where: { userId: id, purpose: "SET_PASSWORD" } });
    const rows = await db.$queryRaw<{ payload: AccountEmailJob }[]>`SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'account_email' AND j.payload->>'linkId' = ${link.id}`;
    expect(rows[0]?.payload).toMatchObject({ kind: "invitation", invitedBy: admin.name });
    const [event] = await db.auditEvent.findMany({ where: { requestId: c.requestId } });
    expect(event).toMatchObject({ action: auditActions.USER_CREATED, after: { invited: true, signInLink: { id: link.id } } });

    expect(await deliverAccountEmail(db, settings(), rows[0]!.payload)).toBe("sent");
    const mail = mails.find((entry) => entry.to.includes(email));
    expect(mail?.raw).toContain(`${admin.name} invited you to Shipshape`);
    const token = new URL(linkIn(mail!.raw)).searchParams.get("token");
    await setPasswordWithLink({ token, password: "my very own passphrase", confirmPassword: "my very own passphrase" }, null);
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id } })).passwordHash!, "my very own passphrase")).toBe(true);
  });

  it("a lead invites someone new into their project: an account with those roles there only, emailed a link; refused for non-leads and for existing accounts", async () => {
    const lead = await makeUser();
    const viewer = await makeUser();
    const project = await makeProject([
      { user: lead, roles: ["LEAD"] },
      { user: viewer, roles: ["VIEWER"] },
    ]);
    const email = `teammate.${randomUUID().slice(0, 8)}@example.test`;
    const input = { projectId: project.id, email, name: "Tam Teammate", roles: ["DBA"] };

    await expectAppError(inviteMember(ctx(await actorFor(viewer)), input, { secret: SECRET }), "FORBIDDEN");
    expect(await db.user.count({ where: { email } })).toBe(0);
    const noRoles = await expectAppError(inviteMember(ctx(await actorFor(lead)), { ...input, roles: [] }, { secret: SECRET }), "INVALID_INPUT");
    expect(noRoles.fieldErrors).toHaveProperty("roles");

    const c = ctx(await actorFor(lead));
    const { userId } = await inviteMember(c, { ...input, email: email.toUpperCase() }, { secret: SECRET });
    const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { memberships: true } });
    expect(user).toMatchObject({ email, name: "Tam Teammate", globalRoles: [], passwordHash: null });
    expect(user.memberships.map((member) => [member.projectId, member.roles])).toEqual([[project.id, ["DBA"]]]);
    expect((await db.auditEvent.findMany({ where: { requestId: c.requestId }, orderBy: { id: "asc" } })).map((event) => [event.action, event.projectId])).toEqual([
      [auditActions.USER_CREATED, project.id],
      [auditActions.MEMBER_ADDED, project.id],
    ]);

    const link = await db.signInLink.findFirstOrThrow({ where: { userId, purpose: "SET_PASSWORD" } });
    const rows = await db.$queryRaw<{ payload: AccountEmailJob }[]>`SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE t.identifier = 'account_email' AND j.payload->>'linkId' = ${link.id}`;
    expect(await deliverAccountEmail(db, settings(), rows[0]!.payload)).toBe("sent");
    const mail = mails.find((entry) => entry.to.includes(email));
    expect(mail?.raw).toContain(`${lead.name} invited you to Shipshape`);
    const token = new URL(linkIn(mail!.raw)).searchParams.get("token");
    await setPasswordWithLink({ token, password: "a teammate's passphrase", confirmPassword: "a teammate's passphrase" }, null);
    expect(await verifyPassword((await db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash!, "a teammate's passphrase")).toBe(true);

    // Someone with an account is added from the list, not invited again.
    const again = await expectAppError(inviteMember(ctx(await actorFor(lead)), { ...input, email: viewer.email }, { secret: SECRET }), "CONFLICT");
    expect(again.fieldErrors).toHaveProperty("email");
  });
});
