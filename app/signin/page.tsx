import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getActor, oidcProviderName } from "@/lib/auth";
import { signInWithOidcAction } from "./actions";
import { SignInForm } from "./signin-form";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string; password?: string }> }) {
  if (await getActor()) redirect("/");
  const { next = "/", error, password } = await searchParams;
  const oidcName = oidcProviderName();
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4">
      <div>
        <p className="text-sm font-semibold tracking-wide text-indigo-700 uppercase">Shipshape</p>
        <h1 className="mt-1 text-2xl font-semibold">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">Production-readiness reviews, sign-offs and the go-live gate.</p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {password === "set" && (
          <p role="status" className="mb-4 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">
            Your password is set. Sign in with it.
          </p>
        )}
        {error && (
          <p role="alert" className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
            Sign-in was refused. If you use single sign-on, ask an admin to add your email first.
          </p>
        )}
        <SignInForm next={next} />
        <p className="mt-3 text-sm">
          <Link href="/forgot-password" className="text-indigo-700 underline">
            Forgot your password?
          </Link>
        </p>
        {oidcName && (
          <form action={signInWithOidcAction} className="mt-4 border-t border-slate-200 pt-4">
            <input type="hidden" name="next" value={next} />
            <button type="submit" className="w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50">
              Sign in with {oidcName}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
