import type { Metadata } from "next";
import { requireActor } from "@/lib/auth";
import { env } from "@/lib/env";
import { getPreferences } from "@/lib/users/data";
import { SettingsForm } from "@/components/settings-form";
import { updatePreferencesAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const actor = await requireActor();
  const preferences = await getPreferences(actor);
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
    </div>
  );
}
