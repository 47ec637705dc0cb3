import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth";
import { env } from "@/lib/env";
import { getMfaStatus, pendingEnrolment } from "@/lib/users/mfa";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime } from "@/lib/time";
import { ConfirmEnrolmentForm, SignInCodeForm, StartEnrolmentForm } from "@/components/two-step-setup";
import { signOutAction } from "../(app)/actions";
import { confirmEnrolmentAction, signInCodeAction, startEnrolmentAction } from "./actions";

export const metadata: Metadata = { title: "Two-step sign-in" };

// Setting up an authenticator app, and the code after a single sign-on for someone who has one.
// Outside the app's layout: whoever must do either is sent here (lib/auth.ts requireActor) and
// can do nothing else until they have.
export default async function TwoStepPage() {
  const actor = await requireActor({ forMfaSetup: true });
  const [status, pending] = await Promise.all([getMfaStatus(actor.id), pendingEnrolment(actor.id, actor.email, { secret: env().AUTH_SECRET })]);
  const zone = await getViewerTimeZone(actor);
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center gap-6 px-4 py-8">
      <div>
        <p className="text-sm font-semibold tracking-wide text-indigo-700 uppercase">Shipshape</p>
        <h1 className="mt-1 text-2xl font-semibold">Two-step sign-in</h1>
        <p className="mt-1 text-sm text-slate-600">
          {actor.mfaStep === "verify"
            ? `${actor.name}, your single sign-on is done; your account also has an authenticator app. Enter its code to finish signing in.`
            : actor.mfaStep === "set-up"
              ? `${actor.name}, your role (admin or approver) requires a code from an authenticator app at each sign-in and to sign. Set it up to go on.`
              : "After your password, sign-in asks for a code from an authenticator app on your phone; signing can take a code instead of your password."}
        </p>
      </div>
      <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        {actor.mfaStep === "verify" ? (
          <SignInCodeForm action={signInCodeAction} />
        ) : status.enrolled && !pending ? (
          <div className="flex flex-col gap-3">
            <p className="text-sm text-slate-700">
              Two-step sign-in is on since {formatDateTime(new Date(status.enrolledAt!), zone)}; {status.recoveryCodesLeft} of 10 recovery codes left.
            </p>
            <Link href="/settings" className="self-start text-sm text-indigo-700 underline">
              Back to settings
            </Link>
          </div>
        ) : pending ? (
          <ConfirmEnrolmentForm action={confirmEnrolmentAction} qrSvg={pending.qrSvg} secret={pending.secret} next="/" />
        ) : (
          <StartEnrolmentForm action={startEnrolmentAction} label="Set up an authenticator app" />
        )}
      </div>
      <form action={signOutAction} className="text-center">
        <button type="submit" className="text-sm text-slate-600 underline hover:text-slate-900">
          Sign out
        </button>
      </form>
    </main>
  );
}
