import type { Metadata } from "next";
import Link from "next/link";
import { getSignInLink } from "@/lib/users/data";
import { PASSWORD_RULES } from "@/lib/users/schema";
import { SIGN_IN_LINK_MESSAGES } from "@/lib/users/sign-in-links";
import { SetPasswordForm } from "./set-password-form";

// Outside the signed-in area: the person has no password yet. The token stays out of the
// Referer of anything this page links to.
export const metadata: Metadata = { title: "Set your password", referrer: "no-referrer", robots: { index: false } };

export default async function SetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string | string[] }> }) {
  const { token } = await searchParams;
  const link = await getSignInLink(token);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4 py-8">
      <div>
        <p className="text-sm font-semibold tracking-wide text-indigo-700 uppercase">Shipshape</p>
        <h1 className="mt-1 text-2xl font-semibold">Set your password</h1>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {link.ok && typeof token === "string" ? (
          <div className="flex flex-col gap-4">
            <p className="text-sm text-slate-700">
              For the account of <span className="font-medium">{link.name}</span> (<span className="break-all">{link.email}</span>). This link works once.
            </p>
            <SetPasswordForm token={token} hint={PASSWORD_RULES} />
          </div>
        ) : (
          <div className="flex flex-col gap-3">
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {SIGN_IN_LINK_MESSAGES[link.ok ? "unknown" : link.refusal]}
            </p>
            <p className="text-sm text-slate-700">
              Nothing was changed. If you already set your password, <Link href="/signin" className="text-indigo-700 underline">sign in</Link>.
            </p>
          </div>
        )}
      </div>
    </main>
  );
}
