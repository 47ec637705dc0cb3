import type { Metadata } from "next";
import Link from "next/link";
import { ForgotPasswordForm } from "./forgot-password-form";

export const metadata: Metadata = { title: "Forgot your password?" };

export default function ForgotPasswordPage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center gap-6 px-4 py-8">
      <div>
        <p className="text-sm font-semibold tracking-wide text-indigo-700 uppercase">Shipshape</p>
        <h1 className="mt-1 text-2xl font-semibold">Forgot your password?</h1>
        <p className="mt-1 text-sm text-slate-600">Give the email you sign in with: we send it a link to set a new password.</p>
      </div>
      <div className="flex flex-col gap-4 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <ForgotPasswordForm />
        <p className="text-sm text-slate-700">
          Remembered it? <Link href="/signin" className="text-indigo-700 underline">Sign in</Link>. No email after a few minutes? Ask an admin for a link.
        </p>
      </div>
    </main>
  );
}
