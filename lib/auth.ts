import { cache } from "react";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { NextRequest } from "next/server";
import { z } from "zod";
import { env, isOidcConfigured, type Env } from "@/lib/env";
import { errorFields, log } from "@/lib/log";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/policy";
import { noteActor } from "@/lib/http/request-record";
import { getRequestId, type ServiceContext } from "@/lib/request";
import { findUserForSignIn, loadActorBySession } from "@/lib/users/data";
import { burnPasswordCheck, verifyPassword } from "@/lib/users/password";
import { signInSchema } from "@/lib/users/schema";
import { db, DEFAULT_TRANSACTION } from "@/lib/db";
import { seal, unseal } from "@/lib/seal";
import { hasSecondFactor, verifySecondFactor } from "@/lib/users/mfa";
import { endSession, recordFailedSignIn, startSession } from "@/lib/users/sessions";
import { clientAddress, countSignInAttempt, signInRetryAfter } from "@/lib/users/sign-in-limits";
import { providerAssertsMfa, resolveSsoAccount } from "@/lib/users/sso";

// The only module that knows next-auth. Sessions are next-auth JWT cookies that carry nothing
// but the id of a row in user_sessions; every request loads that row and its user from the
// database, so signing out, disabling a user or changing roles takes effect on the next
// request rather than when a token expires.

const OIDC_PROVIDER_ID = "oidc";

/** The groups in the token's groups claim: a list of names, or one name; no claim (or no list) is undefined, which leaves the person's teams as they are. */
function groupsClaim(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === "string") : undefined;
}

/**
 * The account a single sign-on resolved to, from the signIn callback to the jwt callback of the
 * same sign-in (next-auth hands both the same account object).
 */
const ssoAccounts = new WeakMap<object, { who: { id: string; name: string; email: string }; mfa: boolean }>();

/** How a password sign-in was completed, from authorize to the jwt callback (the same user object). */
const secondFactors = new WeakMap<object, "totp" | "recovery_code">();

/** A right password for an account with an authenticator: the sign-in goes on with a code (`ticket` carries it there). */
class SecondFactorNeeded extends CredentialsSignin {
  code = "second_factor";
  constructor(readonly ticket: string) {
    super();
  }
}

/** How long the second step may follow the password. */
const SECOND_STEP_MINUTES = 5;
const TICKET_PURPOSE = "shipshape sign-in second step";

function issueTicket(user: { id: string; email: string }, secret: string): string {
  return seal(JSON.stringify({ userId: user.id, email: user.email, expiresAt: Date.now() + SECOND_STEP_MINUTES * 60_000 }), secret, TICKET_PURPOSE);
}

const ticketShape = z.object({ userId: z.uuid(), email: z.string(), expiresAt: z.number() });

/** The account a ticket was issued for after its right password, or null when it is forged, altered or older than SECOND_STEP_MINUTES. */
function openTicket(ticket: string, secret: string): { userId: string; email: string } | null {
  const opened = unseal(ticket, secret, TICKET_PURPOSE);
  const parsed = opened ? ticketShape.safeParse(JSON.parse(opened)) : null;
  return parsed?.success && parsed.data.expiresAt > Date.now() ? parsed.data : null;
}

const secondStepShape = z.object({ ticket: z.string().min(1).max(2_000), code: z.string().trim().min(1).max(20) });

class TooManyAttempts extends CredentialsSignin {
  code = "rate_limited";
  constructor(readonly retryAfterSeconds: number) {
    super();
  }
}

function isSecureDeployment(config: Env): boolean {
  return config.AUTH_URL?.startsWith("https://") ?? false;
}

/** `__Host-` cookies (ASVS 3.4.4) when served over HTTPS; plain names on http://localhost. */
function cookieNames(secure: boolean) {
  const prefix = secure ? "__Host-" : "";
  const options = { httpOnly: true, sameSite: "lax" as const, path: "/", secure };
  return {
    sessionToken: { name: `${prefix}shipshape.session`, options },
    csrfToken: { name: `${prefix}shipshape.csrf`, options },
    callbackUrl: { name: `${prefix}shipshape.callback-url`, options },
  };
}

function buildConfig(config: Env): NextAuthConfig {
  const secure = isSecureDeployment(config);
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, request) {
        const secondStep = secondStepShape.safeParse(credentials);
        if (secondStep.success) return completeSecondStep(secondStep.data, request, config);
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) return null;
        const { email, password } = parsed.data;
        const requestId = request.headers.get("x-request-id");
        const attempt = { email, address: clientAddress(request.headers) };
        const retryAfter = await signInRetryAfter(attempt);
        if (retryAfter > 0) {
          await recordFailedSignIn(email, "rate_limited", null, requestId);
          throw new TooManyAttempts(retryAfter);
        }
        const user = await findUserForSignIn(email);
        if (!user || !user.passwordHash) {
          await burnPasswordCheck(password);
          await countSignInAttempt(attempt, false);
          await recordFailedSignIn(email, user ? "no_password" : "unknown_email", user?.id ?? null, requestId);
          return null;
        }
        const isValid = await verifyPassword(user.passwordHash, password);
        if (!isValid || user.disabledAt) {
          await countSignInAttempt(attempt, false);
          await recordFailedSignIn(email, isValid ? "disabled" : "wrong_password", user.id, requestId);
          return null;
        }
        // The right password and an authenticator: nothing counted or cleared until the code.
        if (await hasSecondFactor(db, user.id)) throw new SecondFactorNeeded(issueTicket(user, config.AUTH_SECRET));
        await countSignInAttempt(attempt, true);
        return { id: user.id, name: user.name, email: user.email };
      },
    }),
  ];
  if (isOidcConfigured(config)) {
    providers.push({
      id: OIDC_PROVIDER_ID,
      name: config.AUTH_OIDC_NAME ?? "Single sign-on",
      type: "oidc",
      issuer: config.AUTH_OIDC_ISSUER,
      clientId: config.AUTH_OIDC_CLIENT_ID,
      clientSecret: config.AUTH_OIDC_CLIENT_SECRET,
      // All three: PKCE binds the code to this browser's verifier, state the callback to the
      // request that started it, nonce the ID token to it (next-auth checks each).
      checks: ["pkce", "state", "nonce"],
    });
  }

  const maxAge = config.SESSION_MAX_AGE_HOURS * 3600;
  return {
    secret: config.AUTH_SECRET,
    trustHost: true,
    useSecureCookies: secure,
    cookies: cookieNames(secure),
    session: { strategy: "jwt", maxAge },
    pages: { signIn: "/signin", error: "/signin" },
    logger: {
      // A refused sign-in is an expected outcome, already in the audit trail: not a server error.
      error(error) {
        if (error instanceof CredentialsSignin || error.name === "CredentialsSignin") return;
        log.error(errorFields(error, { stack: true }), "auth error");
      },
    },
    providers,
    events: {
      // Every way of signing out revokes the session row, next-auth's own /api/auth/signout
      // included: clearing the cookie alone would leave a copied cookie valid until it expires.
      async signOut(message) {
        const sid = "token" in message ? message.token?.sid : undefined;
        if (typeof sid === "string" && z.uuid().safeParse(sid).success) await endSession(sid, await getRequestId());
      },
    },
    callbacks: {
      // Single sign-on: the verified ID token's issuer and subject say who it is (lib/users/sso.ts).
      async signIn({ account, profile }) {
        if (account?.provider !== OIDC_PROVIDER_ID) return true;
        const claims = {
          issuer: typeof profile?.iss === "string" ? profile.iss : config.AUTH_OIDC_ISSUER,
          subject: profile?.sub ?? account.providerAccountId,
          email: profile?.email,
          emailVerified: profile?.email_verified === true,
          amr: Array.isArray(profile?.amr) ? profile.amr.filter((value): value is string => typeof value === "string") : [],
          acr: typeof profile?.acr === "string" ? profile.acr : null,
          ...(config.OIDC_GROUPS_CLAIM ? { groups: groupsClaim(profile?.[config.OIDC_GROUPS_CLAIM]) } : {}),
        };
        const who = await resolveSsoAccount(claims, { jitDomains: config.AUTH_OIDC_JIT_DOMAINS ?? [] }, await getRequestId());
        if (!who) return false;
        ssoAccounts.set(account, { who, mfa: providerAssertsMfa(claims) });
        return true;
      },
      async jwt({ token, user, account, trigger }) {
        if (trigger !== "signIn") return token;
        const secondFactor = user ? secondFactors.get(user) : undefined;
        const method = `${account?.provider ?? "credentials"}${secondFactor ? `+${secondFactor}` : ""}`;
        const sso = account && method === OIDC_PROVIDER_ID ? ssoAccounts.get(account) : undefined;
        if (method === OIDC_PROVIDER_ID && !sso) return null;
        const who = sso ? sso.who : { id: String(user.id), name: String(user.name), email: String(user.email) };
        const sessionId = await startSession(who, config.SESSION_MAX_AGE_HOURS, await getRequestId(), sso?.mfa ? `${method}+mfa` : method, await requestClient());
        return { sub: who.id, sid: sessionId };
      },
      session({ session, token }) {
        return { ...session, sid: token.sid };
      },
    },
  };
}

/**
 * The second step of a password sign-in: the ticket from the first (the right password, within
 * SECOND_STEP_MINUTES) and a code from the authenticator or a recovery code. A wrong code counts
 * against the account's sign-in limit like a wrong password, and is audited as such.
 */
async function completeSecondStep(input: { ticket: string; code: string }, request: Request, config: Env) {
  const ticket = openTicket(input.ticket, config.AUTH_SECRET);
  const requestId = request.headers.get("x-request-id");
  if (!ticket) throw new SecondStepExpired();
  const attempt = { email: ticket.email, address: clientAddress(request.headers) };
  const retryAfter = await signInRetryAfter(attempt);
  if (retryAfter > 0) {
    await recordFailedSignIn(ticket.email, "rate_limited", ticket.userId, requestId);
    throw new TooManyAttempts(retryAfter);
  }
  const user = await findUserForSignIn(ticket.email);
  if (!user || user.id !== ticket.userId || user.disabledAt) throw new SecondStepExpired();
  const who = { id: user.id, name: user.name, email: user.email };
  const result = await db.$transaction((tx) => verifySecondFactor(tx, who, input.code, { secret: config.AUTH_SECRET, requestId }), DEFAULT_TRANSACTION);
  await countSignInAttempt(attempt, result.ok);
  if (!result.ok) {
    await recordFailedSignIn(ticket.email, "wrong_code", user.id, requestId);
    throw new WrongSecondFactor(input.ticket);
  }
  secondFactors.set(who, result.method);
  return who;
}

/** The code was wrong: the same ticket may try again (within its time and the sign-in limit). */
class WrongSecondFactor extends CredentialsSignin {
  code = "wrong_code";
  constructor(readonly ticket: string) {
    super();
  }
}

class SecondStepExpired extends CredentialsSignin {
  code = "second_step_expired";
}

const nextAuth = NextAuth(() => buildConfig(env()));

/**
 * next-auth's route handlers, with the sign-in limit answered as HTTP: a rate-limited POST to
 * the credentials callback gets 429 and Retry-After rather than next-auth's redirect, so a script
 * guessing passwords is told plainly to stop (and nothing of it reaches the password check).
 */
export const handlers = {
  GET: nextAuth.handlers.GET,
  async POST(request: NextRequest): Promise<Response> {
    if (new URL(request.url).pathname.endsWith("/callback/credentials")) {
      const form = await request
        .clone()
        .formData()
        .catch(() => null);
      const email = z.email().safeParse(String(form?.get("email") ?? "").trim().toLowerCase());
      if (email.success) {
        const retryAfter = await signInRetryAfter({ email: email.data, address: clientAddress(request.headers) });
        if (retryAfter > 0) {
          await recordFailedSignIn(email.data, "rate_limited", null, request.headers.get("x-request-id"));
          return tooManyAttemptsResponse(retryAfter);
        }
      }
    }
    return nextAuth.handlers.POST(request);
  },
};

function tooManyAttemptsResponse(retryAfter: number): Response {
  return Response.json(
    { error: { code: "RATE_LIMITED", message: tooManyAttemptsMessage(retryAfter) } },
    { status: 429, headers: { "retry-after": String(retryAfter), "cache-control": "no-store" } },
  );
}

function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many sign-in attempts. Try again in ${minutes === 1 ? "1 minute" : `${minutes} minutes`}.`;
}

const sessionShape = z.object({ sid: z.uuid() });

/** The browser and address of the request signing in, for the person's list of sessions. */
async function requestClient(): Promise<{ userAgent: string; ipAddress: string }> {
  try {
    const incoming = await headers();
    return { userAgent: incoming.get("user-agent") ?? "", ipAddress: clientAddress(incoming) };
  } catch {
    return { userAgent: "", ipAddress: "" };
  }
}

async function currentSessionId(): Promise<string | null> {
  const session = await nextAuth.auth();
  const parsed = sessionShape.safeParse(session);
  return parsed.success ? parsed.data.sid : null;
}

/** The signed-in actor, checked against the database, or null. */
export const getActor = cache(async (): Promise<Actor | null> => {
  // Once per request: the layout and the page both ask (React's cache is per request).
  const sessionId = await currentSessionId();
  const config = env();
  const actor = sessionId ? await loadActorBySession(sessionId, { idle: { admin: config.SESSION_IDLE_MINUTES_ADMIN, everyone: config.SESSION_IDLE_MINUTES }, mfaEnrolment: config.MFA_ENROLMENT, requestId: await getRequestId() }) : null;
  if (actor) noteActor(actor.id);
  return actor;
});

/**
 * For pages: the signed-in actor, or a redirect to the sign-in page; someone who must set up an
 * authenticator or give its code first (lib/users/mfa-policy.ts) is sent to do so, unless `forMfaSetup`.
 */
export async function requireActor(options: { forMfaSetup?: boolean } = {}): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/signin");
  if (actor.mfaStep && !options.forMfaSetup) redirect("/two-step");
  return actor;
}

function mfaStepMessage(step: "set-up" | "verify"): string {
  return step === "set-up" ? "Set up two-step sign-in first: your role requires an authenticator app." : "Enter the code from your authenticator app first, to finish signing in.";
}

/**
 * For server actions and API routes: the service context, or UNAUTHORIZED; FORBIDDEN for
 * someone who must set up an authenticator or give its code first, unless the action is that.
 */
export async function requireContext(options: { forMfaSetup?: boolean } = {}): Promise<ServiceContext> {
  const actor = await getActor();
  if (!actor) throw new AppError("UNAUTHORIZED", "Please sign in again.");
  if (actor.mfaStep && !options.forMfaSetup) throw new AppError("FORBIDDEN", mfaStepMessage(actor.mfaStep));
  return { actor, requestId: await getRequestId(), address: clientAddress(await headers()) };
}

/** For actions on the session itself (a password change keeps it and ends the others): the context and the session's id. */
export async function requireSession(): Promise<{ ctx: ServiceContext; sessionId: string }> {
  const sessionId = await currentSessionId();
  const actor = sessionId ? await getActor() : null;
  if (!sessionId || !actor) throw new AppError("UNAUTHORIZED", "Please sign in again.");
  if (actor.mfaStep) throw new AppError("FORBIDDEN", mfaStepMessage(actor.mfaStep));
  return { ctx: { actor, requestId: await getRequestId(), address: clientAddress(await headers()) }, sessionId };
}

/** A refused sign-in; with `secondFactor`, the password was right and the sign-in goes on with a code and this ticket. */
export type SignInResult = { ok: true } | { ok: false; message: string; secondFactor?: { ticket: string } };

function refusal(error: unknown): SignInResult {
  if (error instanceof TooManyAttempts) return { ok: false, message: tooManyAttemptsMessage(error.retryAfterSeconds) };
  if (error instanceof SecondFactorNeeded) return { ok: false, message: "Enter the code from your authenticator app.", secondFactor: { ticket: error.ticket } };
  if (error instanceof WrongSecondFactor) return { ok: false, message: "That code is not right, or was already used. Enter the code your app shows now, or a recovery code.", secondFactor: { ticket: error.ticket } };
  if (error instanceof SecondStepExpired) return { ok: false, message: `More than ${SECOND_STEP_MINUTES} minutes passed since your password: sign in again.` };
  if (error instanceof CredentialsSignin) return { ok: false, message: "Wrong email or password." };
  throw error; // includes next/navigation's redirect on success
}

/** Signs in with email and password; on success next-auth sets the cookie and redirects. */
export async function signInWithPassword(email: string, password: string, redirectTo: string): Promise<SignInResult> {
  try {
    await nextAuth.signIn("credentials", { email, password, redirectTo });
    return { ok: true };
  } catch (error) {
    return refusal(error);
  }
}

/** The second step: the ticket of a right password and a code (authenticator or recovery). */
export async function signInWithSecondFactor(ticket: string, code: string, redirectTo: string): Promise<SignInResult> {
  try {
    await nextAuth.signIn("credentials", { ticket, code, redirectTo });
    return { ok: true };
  } catch (error) {
    return refusal(error);
  }
}

export async function signInWithOidc(redirectTo: string): Promise<void> {
  await nextAuth.signIn(OIDC_PROVIDER_ID, { redirectTo });
}

export function oidcProviderName(): string | null {
  const config = env();
  return isOidcConfigured(config) ? (config.AUTH_OIDC_NAME ?? "Single sign-on") : null;
}

/** Revokes the current session row (audited), then clears the cookie. */
export async function signOutCurrentUser(): Promise<void> {
  const sessionId = await currentSessionId();
  if (sessionId) await endSession(sessionId, await getRequestId());
  await nextAuth.signOut({ redirectTo: "/signin" });
}
