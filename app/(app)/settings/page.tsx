import type { Metadata } from "next";
import Link from "next/link";
import { getMfaStatus } from "@/lib/users/mfa";
import { RemoveSecondFactorForm } from "@/components/remove-second-factor-form";
import { requireActor } from "@/lib/auth";
import { env } from "@/lib/env";
import { getPreferences, hasPassword } from "@/lib/users/data";
import { PASSWORD_RULES } from "@/lib/users/schema";
import { SettingsForm } from "@/components/settings-form";
import { ChangePasswordForm } from "@/components/change-password-form";
import { changePasswordAction, createReadTokenAction, endMySessionAction, removeSecondFactorAction, revokeReadTokenAction, updatePreferencesAction } from "./actions";
import { listMySessions } from "@/lib/users/session-control";
import { SessionsList } from "@/components/sessions-list";
import { deviceWords } from "@/lib/users/device";
import { headers } from "next/headers";
import { siteOrigin } from "@/lib/http/origin";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime } from "@/lib/time";
import { can } from "@/lib/policy";
import { listReadTokens } from "@/lib/tokens/data";
import { CreateReadTokenForm, RevokeTokenForm } from "@/components/tokens/token-forms";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  const [preferences, canChangePassword, sessions, mfa] = await Promise.all([getPreferences(actor), hasPassword(actor), listMySessions(actor), getMfaStatus(actor.id)]);
  const config = env();
  const idleMinutes = actor.globalRoles.includes("ADMIN") && config.SESSION_IDLE_MINUTES_ADMIN > 0 ? config.SESSION_IDLE_MINUTES_ADMIN : config.SESSION_IDLE_MINUTES;
  const readsAudit = can(actor, "token.manageOwnRead", { kind: "global" });
  const tokens = readsAudit ? (await listReadTokens(actor)).filter((token) => !token.revokedAt) : [];
  const origin = siteOrigin(await headers(), env().AUTH_URL) ?? "http://localhost:3000";
  const zone = await getViewerTimeZone(actor);
  return (
    <div className="flex flex-col gap-5">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="text-sm text-slate-600">
          Signed in as {actor.name} ({actor.email}).
        </p>
      </div>
      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="preferences">
        <h2 id="preferences" className="mb-3 text-base font-semibold">
          Time zone and notifications
        </h2>
        <SettingsForm action={updatePreferencesAction} timeZone={preferences.timeZone} zones={["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")]} emailNotifications={preferences.emailNotifications} emailAvailable={Boolean(env().SMTP_URL)} />
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="password">
        <h2 id="password" className="mb-1 text-base font-semibold">
          Password
        </h2>
        {canChangePassword ? (
          <>
            <p className="mb-3 text-sm text-slate-600">Changing it signs you out everywhere else; this browser stays signed in.</p>
            <ChangePasswordForm action={changePasswordAction} email={actor.email} hint={PASSWORD_RULES} />
          </>
        ) : (
          <p className="text-sm text-slate-600">You sign in with single sign-on, so there is no password to change here.</p>
        )}
      </section>
      <section className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="two-step">
        <div>
          <h2 id="two-step" className="text-base font-semibold">
            Two-step sign-in
          </h2>
          <p className="text-sm text-slate-600">
            {mfa.enrolled
              ? `On since ${formatDateTime(new Date(mfa.enrolledAt!), zone)}: sign-in asks for a code from your authenticator app after your password, and signing takes one instead of the password. ${mfa.recoveryCodesLeft} of 10 recovery codes left.`
              : "Off: sign-in asks for your password only. With an authenticator app, it also asks for a code from your phone."}
          </p>
        </div>
        {mfa.enrolled ? (
          canChangePassword && <RemoveSecondFactorForm action={removeSecondFactorAction} />
        ) : (
          <Link href="/two-step" className="self-start rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800">
            Set up an authenticator app
          </Link>
        )}
      </section>
      <section className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="sessions">
        <div>
          <h2 id="sessions" className="text-base font-semibold">
            Where you are signed in
          </h2>
          <p className="text-sm text-slate-600">
            A session lasts at most {config.SESSION_MAX_AGE_HOURS} hours{idleMinutes > 0 ? `, and ends after ${idleMinutes} minutes without use` : ""}. Ending one signs that browser out at its next request.
          </p>
        </div>
        <SessionsList
          action={endMySessionAction}
          sessions={sessions.map((session) => ({
            id: session.id,
            device: deviceWords(session.userAgent),
            ipAddress: session.ipAddress,
            createdAt: session.createdAt,
            createdLabel: formatDateTime(new Date(session.createdAt), zone),
            lastSeenAt: session.lastSeenAt,
            lastSeenLabel: formatDateTime(new Date(session.lastSeenAt), zone),
            current: session.current,
          }))}
        />
      </section>
      {readsAudit && (
        <section className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="read-tokens">
          <h2 id="read-tokens" className="text-base font-semibold">
            Read-only API tokens
          </h2>
          <p className="text-sm text-slate-600">
            For scripts that read the audit trail as you: <code className="font-mono">GET /api/v1/audit/export</code>, <code className="font-mono">/api/v1/audit/verify</code> and the go-live gates. A token can change nothing, and stops working when you lose the auditor or admin role or are disabled.
          </p>
          {tokens.length > 0 && (
            <ul className="divide-y divide-slate-100 text-sm" aria-label="Your read-only tokens">
              {tokens.map((token) => (
                <li key={token.id} className="flex items-center justify-between gap-3 py-2" data-testid="read-token">
                  <span>
                    <span className="font-medium">{token.name}</span> <code className="font-mono text-xs text-slate-600">{token.prefix}…</code>
                    <span className="block text-xs text-slate-600">last used {token.lastUsedAt ? formatDateTime(new Date(token.lastUsedAt), zone) : "never"}</span>
                  </span>
                  <RevokeTokenForm action={revokeReadTokenAction} token={token} />
                </li>
              ))}
            </ul>
          )}
          <CreateReadTokenForm action={createReadTokenAction} exportUrl={new URL("/api/v1/audit/export?format=jsonl", origin).toString()} />
        </section>
      )}
      <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="api">
        <h2 id="api" className="mb-2 text-base font-semibold">
          API
        </h2>
        <p className="text-sm text-slate-700">
          Scripts and pipelines can do over REST what the pages do: see the{" "}
          <a href="/api/docs" className="text-indigo-800 underline">
            API reference
          </a>
          .
        </p>
      </section>
    </div>
  );
}
