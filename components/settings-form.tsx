"use client";

import { useActionState, useId, useSyncExternalStore } from "react";
import { FormMessage, SubmitButton } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";

const noSubscription = () => () => {};

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;

export function SettingsForm({ action, timeZone, zones, emailNotifications, emailAvailable }: { action: Action; timeZone: string | null; zones: string[]; emailNotifications: boolean; emailAvailable: boolean }) {
  const [state, formAction] = useActionState(action, initialFormState);
  const zoneId = useId();
  const errors = state.fieldErrors?.timeZone;
  const browserZone = useSyncExternalStore(noSubscription, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => null);
  return (
    <form action={formAction} className="flex max-w-lg flex-col gap-4">
      <FormMessage state={state} />
      <div className="flex flex-col gap-1">
        <label htmlFor={zoneId} className="text-sm font-medium text-slate-800">
          Time zone
        </label>
        <select id={zoneId} name="timeZone" defaultValue={timeZone ?? ""} aria-invalid={errors ? true : undefined} aria-describedby={`${zoneId}-hint`} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm">
          <option value="">Follow my browser{browserZone ? ` (${browserZone})` : ""}</option>
          {zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone.replaceAll("_", " ")}
            </option>
          ))}
        </select>
        <p id={`${zoneId}-hint`} className="text-xs text-slate-600">
          Times are stored in UTC and shown in this zone. A due date you set means the end of that day here.
        </p>
        {errors && <p className="text-xs font-medium text-red-700">{errors.join(" ")}</p>}
      </div>
      <label className="inline-flex items-start gap-2 text-sm text-slate-800">
        <input type="checkbox" name="emailNotifications" defaultChecked={emailNotifications} className="mt-0.5 size-4 accent-indigo-700" />
        <span>
          Also send my notifications by email
          {!emailAvailable && <span className="block text-xs text-slate-600">This server has no outgoing mail configured, so nothing is emailed for now.</span>}
        </span>
      </label>
      <div>
        <SubmitButton pendingLabel="Saving…">Save settings</SubmitButton>
      </div>
    </form>
  );
}
