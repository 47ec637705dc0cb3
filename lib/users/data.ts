import { db } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { assertCan, type Actor } from "@/lib/policy";
import type { ServiceContext } from "@/lib/request";
import { hashSignInLinkToken, signInLinkRefusal, type SignInLinkRefusal } from "@/lib/users/sign-in-links";
import { signInLinkTokenSchema } from "@/lib/users/schema";
import { endIdleSession, idleLimitMinutes } from "@/lib/users/session-control";
import { pendingMfaStep, type MfaEnrolment } from "@/lib/users/mfa-policy";

/** A team that owns at least one project: its members hold their team roles there. */
const ownsAProject = { projects: { some: {} } } as const;

/** Whether someone holds LEAD on a project: their own membership's, or their team's on a project it owns. */
const leadershipSelect = {
  memberships: { where: { roles: { has: "LEAD" } }, select: { id: true }, take: 1 },
  teamMemberships: { where: { roles: { has: "LEAD" }, team: ownsAProject }, select: { id: true }, take: 1 },
} as const;

function leadsAProject(user: { memberships: unknown[]; teamMemberships: unknown[] }): boolean {
  return user.memberships.length > 0 || user.teamMemberships.length > 0;
}

/** How often a session's last use is written: a request within this of the last write writes nothing. */
const LAST_SEEN_GRANULARITY_MS = 60_000;

/**
 * The actor behind a session cookie, or null when the session was revoked or expired or the
 * user was disabled. Called on every authenticated request, so that disabling a user or
 * changing their roles takes effect on their very next request. With idle limits, a session
 * unused for longer than the person's limit (lib/users/session-control.ts) ends here, audited,
 * and its request is not signed in; otherwise its last use is noted (to the minute).
 */
export async function loadActorBySession(sessionId: string, options: { idle?: { admin: number; everyone: number }; mfaEnrolment?: MfaEnrolment; requestId?: string | null } = {}): Promise<Actor | null> {
  const now = new Date();
  const session = await db.userSession.findFirst({
    where: { id: sessionId, revokedAt: null, expiresAt: { gt: now }, user: { disabledAt: null } },
    select: {
      lastSeenAt: true,
      lastProofMethod: true,
      user: {
        select: {
          id: true,
          name: true,
          email: true,
          globalRoles: true,
          timeZone: true,
          totpEnabledAt: true,
          ...leadershipSelect,
          _count: { select: { memberships: { where: { roles: { has: "APPROVER" } } }, teamMemberships: { where: { roles: { has: "APPROVER" }, team: ownsAProject } } } },
        },
      },
    },
  });
  if (!session) return null;
  const { user } = session;
  const mfaStep = pendingMfaStep(options.mfaEnrolment ?? "optional", { globalRoles: user.globalRoles, approves: user._count.memberships + user._count.teamMemberships > 0, enrolled: user.totpEnabledAt !== null, sessionProof: session.lastProofMethod });
  const idleMinutes = options.idle ? idleLimitMinutes(user.globalRoles, options.idle) : 0;
  if (idleMinutes > 0 && now.getTime() - session.lastSeenAt.getTime() > idleMinutes * 60_000) {
    await endIdleSession(sessionId, user, idleMinutes, options.requestId ?? null);
    return null;
  }
  if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_GRANULARITY_MS) {
    await db.userSession.updateMany({ where: { id: sessionId, lastSeenAt: session.lastSeenAt }, data: { lastSeenAt: now } });
  }
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    globalRoles: user.globalRoles,
    leadsAProject: leadsAProject(user),
    timeZone: user.timeZone,
    sessionId,
    ...(mfaStep ? { mfaStep } : {}),
  };
}

/** The owner of a read-only API token, as they stand now: an enabled user, or null. */
export async function loadActorById(id: string): Promise<Actor | null> {
  const user = await db.user.findFirst({
    where: { id, disabledAt: null },
    select: { id: true, name: true, email: true, globalRoles: true, timeZone: true, ...leadershipSelect },
  });
  return user ? { id: user.id, name: user.name, email: user.email, globalRoles: user.globalRoles, leadsAProject: leadsAProject(user), timeZone: user.timeZone } : null;
}

/** The actor for a command-line run: an enabled user, named by email. */
export async function loadActorByEmail(email: string): Promise<Actor | null> {
  const user = await db.user.findFirst({
    where: { email: email.trim().toLowerCase(), disabledAt: null },
    select: { id: true, name: true, email: true, globalRoles: true, ...leadershipSelect },
  });
  return user ? { id: user.id, name: user.name, email: user.email, globalRoles: user.globalRoles, leadsAProject: leadsAProject(user) } : null;
}

export type UserRow = {
  id: string;
  email: string;
  name: string;
  title: string;
  globalRoles: string[];
  disabled: boolean;
  projectCount: number;
  /** Whether they sign in with an authenticator app as a second step. */
  twoStep: boolean;
};

export async function listUsers(ctx: ServiceContext): Promise<UserRow[]> {
  assertCan(ctx.actor, "user.list", { kind: "global" });
  const users = await db.user.findMany({
    orderBy: { name: "asc" },
    select: {
      id: true,
      email: true,
      name: true,
      title: true,
      globalRoles: true,
      disabledAt: true,
      totpEnabledAt: true,
      _count: { select: { memberships: true } },
    },
  });
  return users.map((user) => ({
    id: user.id,
    email: user.email,
    name: user.name,
    title: user.title,
    globalRoles: user.globalRoles,
    disabled: user.disabledAt !== null,
    projectCount: user._count.memberships,
    twoStep: user.totpEnabledAt !== null,
  }));
}

/** For sign-in only: the credentials of an email, whatever its state. */
export function findUserForSignIn(email: string) {
  return db.user.findUnique({
    where: { email },
    select: { id: true, name: true, email: true, passwordHash: true, disabledAt: true },
  });
}

export type AuthActor = Pick<Actor, "id" | "name" | "email">;

/** The actor's own preferences. */
export async function getPreferences(actor: Pick<Actor, "id">): Promise<{ timeZone: string | null; emailNotifications: boolean }> {
  return db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { timeZone: true, emailNotifications: true } });
}

export type SignInLinkView = { ok: true; name: string; email: string } | { ok: false; refusal: SignInLinkRefusal };

/** What the set-password page shows for a token: whose account it is, or why the link does not work. */
export async function getSignInLink(token: unknown): Promise<SignInLinkView> {
  const parsed = signInLinkTokenSchema.safeParse(token);
  if (!parsed.success) return { ok: false, refusal: "unknown" };
  const link = await db.signInLink.findUnique({
    where: { tokenHash: hashSignInLinkToken(parsed.data) },
    select: { usedAt: true, expiresAt: true, user: { select: { name: true, email: true, disabledAt: true } } },
  });
  const refusal = signInLinkRefusal(link, new Date());
  return refusal || !link ? { ok: false, refusal: refusal ?? "unknown" } : { ok: true, name: link.user.name, email: link.user.email };
}

/** Whether any account exists: none means a new installation, which needs its first admin. */
export async function hasAnyUser(client: Pick<PrismaClient, "user">): Promise<boolean> {
  return (await client.user.findFirst({ select: { id: true } })) !== null;
}

/** The command that creates an installation's first admin (scripts/cli-user.ts). */
export const FIRST_ADMIN_COMMAND = 'npm run cli -- user create --email you@example.com --name "Your Name" --admin';

/** What `npm start` prints on a database without any account: how to make the first admin. Null once one exists. */
export async function firstAdminNotice(client: Pick<PrismaClient, "user">): Promise<string | null> {
  if (await hasAnyUser(client)) return null;
  return [
    "No accounts yet. Create the first admin with the same DATABASE_URL (and AUTH_URL):",
    "",
    `  ${FIRST_ADMIN_COMMAND}`,
    "",
    "It prints a single-use link, valid for 24 hours, where they set their own password.",
  ].join("\n");
}

/** Whether the actor has a password to change (people who only use single sign-on have none). */
export async function hasPassword(actor: Pick<Actor, "id">): Promise<boolean> {
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true } });
  return user.passwordHash !== null;
}
