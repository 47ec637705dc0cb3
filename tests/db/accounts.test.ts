import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { db, createPrismaClient } from "@/lib/db";
import { auditActions } from "@/lib/audit/events";
import { firstAdminNotice, getSignInLink, loadActorBySession } from "@/lib/users/data";
import { changePassword, setPasswordWithLink } from "@/lib/users/mutations";
import { hashPassword, verifyPassword } from "@/lib/users/password";
import { signInRetryAfter } from "@/lib/users/sign-in-limits";
import { createSetPasswordLink, SIGN_IN_LINK_MESSAGES } from "@/lib/users/sign-in-links";
import { createTestDatabase } from "../support/database";
import { ctx, eventsOf, expectAppError, makeUser, signIn, type TestUser } from "./factories";

// Accounts without default credentials: the command line creates a user and prints a single-use
// link; the link sets the password once; a signed-in person changes theirs with the current one.

const PASSWORD = "walrus ledger tangerine";

function cli(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [path.join("node_modules", "tsx", "dist", "cli.mjs"), "scripts/cli.ts", ...args], {
    env: { ...process.env, AUTH_URL: "https://shipshape.example.test", ...env },
    encoding: "utf8",
    timeout: 90_000,
  });
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

const newEmail = (label: string) => `${label}.${crypto.randomUUID().slice(0, 8)}@shipshape.test`;

/** A user with a fresh SET_PASSWORD link, as the command line makes them. */
async function userWithLink(): Promise<{ user: TestUser; token: string; linkId: string }> {
  const user = await makeUser();
  const link = await db.$transaction((tx) => createSetPasswordLink(tx, user.id));
  return { user, token: link.token, linkId: link.id };
}

describe("npm run cli -- user create", () => {
  it("creates an admin without a password, prints a single-use link under AUTH_URL, stores only its hash, and records the command line", async () => {
    const email = newEmail("First.Admin");
    const result = cli(["user", "create", "--email", email, "--name", "First Admin", "--admin"]);
    expect(result.status, result.stderr).toBe(0);
    const url = /https:\/\/shipshape\.example\.test\/set-password\?token=([A-Za-z0-9_-]{43})\b/.exec(result.stdout);
    expect(url, result.stdout).not.toBeNull();
    const token = url?.[1] ?? "";
    expect(result.stdout).toContain("expires in 24 hours");

    const user = await db.user.findUniqueOrThrow({ where: { email: email.toLowerCase() }, include: { signInLinks: true } });
    expect(user).toMatchObject({ name: "First Admin", globalRoles: ["ADMIN"], passwordHash: null, disabledAt: null });
    expect(user.signInLinks).toHaveLength(1);
    const [link] = user.signInLinks;
    expect(link?.tokenHash).toBe(createHash("sha256").update(token).digest("hex"));
    expect(link?.purpose).toBe("SET_PASSWORD");
    expect(link?.usedAt).toBeNull();
    const hours = ((link?.expiresAt.getTime() ?? 0) - (link?.createdAt.getTime() ?? 0)) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24.01);
    // The token itself is nowhere in the database: not in the link row, not in the audit trail.
    const everywhere = await db.$queryRaw<{ hits: bigint }[]>`
      SELECT (SELECT count(*) FROM sign_in_links WHERE row_to_json(sign_in_links)::text LIKE ${`%${token}%`})
           + (SELECT count(*) FROM audit_events WHERE row_to_json(audit_events)::text LIKE ${`%${token}%`}) AS hits`;
    expect(Number(everywhere[0]?.hits)).toBe(0);

    const [event] = await db.auditEvent.findMany({ where: { entityId: user.id } });
    expect(event).toMatchObject({ action: auditActions.USER_CREATED, actorId: null, entityType: "user" });
    expect(event?.requestId).toMatch(/^cli-/);
    expect(event?.after).toMatchObject({ email: email.toLowerCase(), globalRoles: ["ADMIN"], via: "command line", signInLink: { id: link?.id, purpose: "SET_PASSWORD" } });
    expect(await getSignInLink(token)).toEqual({ ok: true, name: "First Admin", email: email.toLowerCase() });
  });

  it("without --admin creates a user with no global role", async () => {
    const email = newEmail("later");
    const result = cli(["user", "create", "--email", email, "--name", "Later User"]);
    expect(result.status, result.stderr).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { email } })).globalRoles).toEqual([]);
  });

  it("refuses an email that exists (exit 1, saying so) and changes nothing", async () => {
    const existing = await makeUser();
    const result = cli(["user", "create", "--email", existing.email.toUpperCase(), "--name", "Someone Else", "--admin"]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: A user with the email ${existing.email} already exists. Nothing was changed.`);
    expect(result.stdout).toBe("");
    const user = await db.user.findUniqueOrThrow({ where: { id: existing.id }, include: { signInLinks: true } });
    expect(user.name).toBe(existing.name);
    expect(user.globalRoles).toEqual([]);
    expect(user.signInLinks).toEqual([]);
  });

  // Each CLI run starts a process (seconds on a busy machine): a few per test.
  async function expectExit2(cases: [string[], Record<string, string | undefined>, RegExp][]) {
    const email = newEmail("never");
    for (const [args, env, message] of cases) {
      const withEmail = args.map((arg) => (arg === "EMAIL" ? email : arg));
      const result = cli(withEmail, env);
      expect(result.status, withEmail.join(" ")).toBe(2);
      expect(result.stderr.split("\n")[0], withEmail.join(" ")).toMatch(message);
    }
    expect(await db.user.count({ where: { email } })).toBe(0);
  }

  it("exits 2 on usage errors, saying which", async () => {
    await expectExit2([
      [["user", "create", "--name", "No Email"], {}, /user create needs --email EMAIL/],
      [["user", "create", "--email", "EMAIL"], {}, /user create needs --name NAME/],
      [["user", "create", "--email", "EMAIL", "--name", "X", "--password", "hunter2hunter2"], {}, /takes no password/],
    ]);
  });

  it("exits 2 on bad input, naming the option", async () => {
    await expectExit2([
      [["user", "create", "--email", "not-an-email", "--name", "X"], {}, /^error: --email: Enter a valid email address\.$/],
      [["user", "remove", "--email", "EMAIL"], {}, /unknown user command "remove"/],
    ]);
  });

  it("exits 2 without a database, saying why", async () => {
    await expectExit2([
      [["user", "create", "--email", "EMAIL", "--name", "X"], { DATABASE_URL: "" }, /^error: DATABASE_URL is not set/],
      [["user", "create", "--email", "EMAIL", "--name", "X"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nothing" }, /^error: cannot reach the database at 127\.0\.0\.1:1\/nothing/],
    ]);
  });
});

describe("npm run cli -- user link", () => {
  it("makes a new link for an existing user, withdraws the earlier ones, keeps the password until used, and records it", async () => {
    const { user, token: earlier } = await userWithLink();
    const result = cli(["user", "link", "--email", user.email.toUpperCase()]);
    expect(result.status, result.stderr).toBe(0);
    const token = /\/set-password\?token=([A-Za-z0-9_-]{43})\b/.exec(result.stdout)?.[1] ?? "";
    expect(await getSignInLink(token)).toEqual({ ok: true, name: user.name, email: user.email });
    expect(await getSignInLink(earlier)).toEqual({ ok: false, refusal: "expired" });
    const [event] = await db.auditEvent.findMany({ where: { entityId: user.id, action: auditActions.SIGN_IN_LINK_CREATED } });
    expect(event?.actorId).toBeNull();
    expect(event?.after).toMatchObject({ email: user.email, via: "command line", earlierLinksWithdrawn: 1 });
  });

  it("refuses an email no enabled user has (exit 1) and makes no link", async () => {
    const disabled = await makeUser();
    await db.user.update({ where: { id: disabled.id }, data: { disabledAt: new Date() } });
    const result = cli(["user", "link", "--email", disabled.email]);
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`error: No enabled user has the email ${disabled.email}. Nothing was changed.`);
    expect(await db.signInLink.count({ where: { userId: disabled.id } })).toBe(0);
  });
});

describe("setting a password with a sign-in link", () => {
  it("sets the password, uses the link, ends any session and records it, all in one transaction", async () => {
    const { user, token, linkId } = await userWithLink();
    const { sessionId } = await signIn(user);
    const requestId = `test-${crypto.randomUUID()}`;

    expect(await setPasswordWithLink({ token, password: PASSWORD, confirmPassword: PASSWORD }, requestId)).toEqual({ email: user.email });

    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(await verifyPassword(stored.passwordHash ?? "", PASSWORD)).toBe(true);
    expect((await db.signInLink.findUniqueOrThrow({ where: { id: linkId } })).usedAt).not.toBeNull();
    expect(await loadActorBySession(sessionId)).toBeNull();
    expect(await eventsOf(requestId)).toEqual([
      expect.objectContaining({ action: auditActions.USER_PASSWORD_SET, actorId: user.id, actorEmail: user.email, entityId: user.id, after: { method: "sign_in_link", signInLinkId: linkId, sessionsEnded: 1 } }),
    ]);
    const [users, links, events] = await Promise.all([
      db.$queryRaw<{ xmin: string }[]>`SELECT xmin::text AS xmin FROM users WHERE id = ${user.id}::uuid`,
      db.$queryRaw<{ xmin: string }[]>`SELECT xmin::text AS xmin FROM sign_in_links WHERE id = ${linkId}::uuid`,
      db.$queryRaw<{ xmin: string }[]>`SELECT xmin::text AS xmin FROM audit_events WHERE request_id = ${requestId}`,
    ]);
    expect(links[0]?.xmin).toBe(users[0]?.xmin);
    expect(events[0]?.xmin).toBe(users[0]?.xmin);
  });

  it("works once: a second use is refused as used and changes nothing", async () => {
    const { user, token } = await userWithLink();
    await setPasswordWithLink({ token, password: PASSWORD, confirmPassword: PASSWORD }, null);
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });

    const error = await expectAppError(setPasswordWithLink({ token, password: "another fine password", confirmPassword: "another fine password" }, null), "CONFLICT");
    expect(error.message).toBe("This link has already been used.");
    expect(await getSignInLink(token)).toEqual({ ok: false, refusal: "used" });
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })).toEqual(before);
  });

  it("of two uses at the same moment, exactly one succeeds", async () => {
    for (let round = 0; round < 3; round++) {
      const { user, token } = await userWithLink();
      const passwords = ["first racing password", "second racing password"];
      const outcomes = await Promise.allSettled(passwords.map((password) => setPasswordWithLink({ token, password, confirmPassword: password }, `race-${round}`)));
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
      const winner = passwords[outcomes.findIndex((outcome) => outcome.status === "fulfilled")] ?? "";
      const loser = outcomes.find((outcome) => outcome.status === "rejected");
      expect(loser?.status === "rejected" && (loser.reason as Error).message).toBe("This link has already been used.");
      const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
      expect(await verifyPassword(stored.passwordHash ?? "", winner)).toBe(true);
      expect(await db.auditEvent.count({ where: { entityId: user.id, action: auditActions.USER_PASSWORD_SET } })).toBe(1);
    }
  });

  it("refuses an expired link, saying so, and changes nothing", async () => {
    const { user, token, linkId } = await userWithLink();
    await db.signInLink.update({ where: { id: linkId }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await getSignInLink(token)).toEqual({ ok: false, refusal: "expired" });
    const error = await expectAppError(setPasswordWithLink({ token, password: PASSWORD, confirmPassword: PASSWORD }, null), "CONFLICT");
    expect(error.message).toBe(SIGN_IN_LINK_MESSAGES.expired);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id }, include: { signInLinks: true } });
    expect(after.passwordHash).toBeNull();
    expect(after.signInLinks[0]?.usedAt).toBeNull();
    expect(await db.auditEvent.count({ where: { entityId: user.id, action: auditActions.USER_PASSWORD_SET } })).toBe(0);
  });

  it("uses the database's clock: a link that expires between the check and the write is refused", async () => {
    const { user, token, linkId } = await userWithLink();
    // Expired by the database's clock, though the app's clock (shifted back here) thinks otherwise.
    await db.$executeRaw`UPDATE sign_in_links SET expires_at = now() - interval '1 second' WHERE id = ${linkId}::uuid`;
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() - 60_000);
    try {
      const error = await expectAppError(setPasswordWithLink({ token, password: PASSWORD, confirmPassword: PASSWORD }, null), "CONFLICT");
      expect(error.message).toBe(SIGN_IN_LINK_MESSAGES.expired);
    } finally {
      vi.useRealTimers();
    }
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
  });

  it("refuses an unknown or malformed link, a disabled user's link, the email as password and a password typed differently", async () => {
    const unknown = await expectAppError(setPasswordWithLink({ token: "A".repeat(43), password: PASSWORD, confirmPassword: PASSWORD }, null), "NOT_FOUND");
    expect(unknown.message).toBe("This link is not valid.");
    expect(await getSignInLink("nonsense")).toEqual({ ok: false, refusal: "unknown" });
    expect(await getSignInLink(undefined)).toEqual({ ok: false, refusal: "unknown" });

    const disabled = await userWithLink();
    await db.user.update({ where: { id: disabled.user.id }, data: { disabledAt: new Date() } });
    expect((await expectAppError(setPasswordWithLink({ token: disabled.token, password: PASSWORD, confirmPassword: PASSWORD }, null), "NOT_FOUND")).message).toBe("This link is not valid.");

    const { user, token, linkId } = await userWithLink();
    const asEmail = await expectAppError(setPasswordWithLink({ token, password: user.email.toUpperCase(), confirmPassword: user.email.toUpperCase() }, null), "INVALID_INPUT");
    expect(asEmail.fieldErrors).toEqual({ password: ["The password must not be your email address."] });
    const differ = await expectAppError(setPasswordWithLink({ token, password: PASSWORD, confirmPassword: `${PASSWORD}!` }, null), "INVALID_INPUT");
    expect(differ.fieldErrors).toEqual({ confirmPassword: ["The two passwords differ."] });
    expect((await db.signInLink.findUniqueOrThrow({ where: { id: linkId } })).usedAt).toBeNull();
  });
});

describe("changing one's own password", () => {
  async function userWithPassword(password = PASSWORD): Promise<TestUser> {
    const user = await makeUser();
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
    return user;
  }

  it("needs the current password, ends every other session, keeps this one, and records it", async () => {
    const user = await userWithPassword();
    const current = await signIn(user);
    const others = [await signIn(user), await signIn(user)];
    const stranger = await signIn(await makeUser());
    const context = ctx(current.actor);
    const next = "a brand new passphrase";

    expect(await changePassword(context, { currentPassword: PASSWORD, password: next, confirmPassword: next }, { sessionId: current.sessionId, address: "203.0.113.9" })).toEqual({ otherSessionsEnded: 2 });

    const stored = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(await verifyPassword(stored.passwordHash ?? "", next)).toBe(true);
    expect(await verifyPassword(stored.passwordHash ?? "", PASSWORD)).toBe(false);
    expect((await loadActorBySession(current.sessionId))?.id).toBe(user.id);
    for (const other of others) expect(await loadActorBySession(other.sessionId)).toBeNull();
    expect((await loadActorBySession(stranger.sessionId))?.id).not.toBeUndefined();
    expect(await eventsOf(context.requestId)).toEqual([
      expect.objectContaining({ action: auditActions.USER_PASSWORD_CHANGED, actorId: user.id, entityId: user.id, after: { otherSessionsEnded: 2 } }),
    ]);
  });

  it("refuses a wrong current password on its field, changes nothing, and counts it toward the account's sign-in limit", async () => {
    const user = await userWithPassword();
    const current = await signIn(user);
    const other = await signIn(user);
    const before = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    const address = "203.0.113.10";
    const attempt = { currentPassword: "not the password at all", password: "a brand new passphrase", confirmPassword: "a brand new passphrase" };

    for (let count = 0; count < 10; count++) {
      const error = await expectAppError(changePassword(ctx(current.actor), attempt, { sessionId: current.sessionId, address }), "INVALID_INPUT");
      expect(error.fieldErrors).toEqual({ currentPassword: ["This is not your current password."] });
    }
    expect(await signInRetryAfter({ email: user.email, address: "198.51.100.200" })).toBeGreaterThan(0);
    // Past the limit even the right password is refused until it lifts.
    await expectAppError(changePassword(ctx(current.actor), { ...attempt, currentPassword: PASSWORD }, { sessionId: current.sessionId, address }), "RATE_LIMITED");

    expect(await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } })).toEqual(before);
    expect((await loadActorBySession(other.sessionId))?.id).toBe(user.id);
    expect(await db.auditEvent.count({ where: { entityId: user.id, action: auditActions.USER_PASSWORD_CHANGED } })).toBe(0);
  });

  it("applies the rules for new passwords: not common, not the email, typed the same twice", async () => {
    const user = await userWithPassword();
    const { actor, sessionId } = await signIn(user);
    const session = { sessionId, address: "203.0.113.11" };
    const common = await expectAppError(changePassword(ctx(actor), { currentPassword: PASSWORD, password: "qwertyuiop123", confirmPassword: "qwertyuiop123" }, session), "INVALID_INPUT");
    expect(common.fieldErrors).toEqual({ password: ["This password is one of the most common ones: choose another."] });
    const email = await expectAppError(changePassword(ctx(actor), { currentPassword: PASSWORD, password: user.email, confirmPassword: user.email }, session), "INVALID_INPUT");
    expect(email.fieldErrors).toEqual({ password: ["The password must not be your email address."] });
    const differ = await expectAppError(changePassword(ctx(actor), { currentPassword: PASSWORD, password: "a brand new passphrase", confirmPassword: "a brand new passphrase." }, session), "INVALID_INPUT");
    expect(differ.fieldErrors).toEqual({ confirmPassword: ["The two passwords differ."] });
  });
});

describe("npm start on an empty database", () => {
  it("says how to create the first admin, and stops saying it once an account exists", async () => {
    const database = await createTestDatabase("first_admin");
    const client = createPrismaClient(database.url, 2);
    try {
      const notice = await firstAdminNotice(client);
      expect(notice).toContain('npm run cli -- user create --email you@example.com --name "Your Name" --admin');
      await client.user.create({ data: { email: "first@shipshape.test", name: "First" } });
      expect(await firstAdminNotice(client)).toBeNull();
    } finally {
      await client.$disconnect();
      await database.drop();
    }
  });
});
