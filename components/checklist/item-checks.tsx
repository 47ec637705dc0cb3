"use client";

import { useActionState, useCallback, useEffect, useRef, useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { CheckboxGroup, FormMessage, SelectField, SubmitButton, TextField } from "@/components/form";
import { initialFormState, type FormState } from "@/lib/form-state";
import type { ItemChecks } from "@/lib/checks/item-checks";
import type { headerNames } from "@/lib/checks/run";
import { useChecklistActions } from "./checklist-actions";

type Kind = "http" | "headers" | "tls" | "tcp";

const kinds: { value: Kind; label: string }[] = [
  { value: "http", label: "HTTP: a URL answers a status" },
  { value: "headers", label: "Security headers of a URL" },
  { value: "tls", label: "TLS certificate of a host" },
  { value: "tcp", label: "A port is open, or closed" },
];

const intervals = [
  { value: "5", label: "Every 5 minutes" },
  { value: "15", label: "Every 15 minutes" },
  { value: "60", label: "Every hour" },
  { value: "360", label: "Every 6 hours" },
  { value: "1440", label: "Every day" },
];

const headerOptions = [
  { value: "hsts", label: "HSTS (Strict-Transport-Security)" },
  { value: "csp", label: "Content-Security-Policy" },
  { value: "nosniff", label: "X-Content-Type-Options nosniff" },
  { value: "frame", label: "Frame protection (X-Frame-Options or frame-ancestors)" },
  { value: "referrer", label: "Referrer-Policy" },
] as const satisfies readonly { value: (typeof headerNames)[number]; label: string }[];

function intervalWords(minutes: number): string {
  return intervals.find((interval) => Number(interval.value) === minutes)?.label.toLowerCase() ?? `every ${minutes} minutes`;
}

/** After a change succeeds: the checks again, and (for a run) the page and the item's results. */
function useAfterSuccess(state: FormState, after: () => void, refresh = false) {
  const router = useRouter();
  const afterRef = useRef(after);
  useEffect(() => {
    afterRef.current = after;
  });
  const { ok, submittedAt } = state;
  useEffect(() => {
    if (ok && submittedAt) {
      afterRef.current();
      if (refresh) router.refresh();
    }
  }, [ok, submittedAt, refresh, router]);
}

function CheckRow({ check, itemId, canConfigure, canRun, reload, onRun }: { check: ItemChecks["checks"][number]; itemId: string; canConfigure: boolean; canRun: boolean; reload: () => void; onRun: () => void }) {
  const { checks } = useChecklistActions();
  const [ran, runAction] = useActionState(checks!.runNow, initialFormState);
  const [removed, removeAction] = useActionState(checks!.remove, initialFormState);
  const afterRun = useCallback(() => {
    reload();
    onRun();
  }, [reload, onRun]);
  useAfterSuccess(ran, afterRun, true);
  useAfterSuccess(removed, reload);
  return (
    <li className="flex flex-col gap-1 rounded-md border border-slate-200 p-2 text-sm" data-testid="item-check">
      <span className="font-medium break-all">{check.description}</span>
      <span className="text-xs text-slate-600">
        {intervalWords(check.intervalMinutes)}
        {check.marksDone ? " · passing marks it done" : ""} · reopens after {check.failuresToReopen === 1 ? "a failure" : `${check.failuresToReopen} failures in a row`} · last run {check.lastRunAt ? <time dateTime={check.lastRunAt}>{check.lastRunLabel}</time> : "not yet"} · next <time dateTime={check.nextRunAt}>{check.nextRunLabel}</time> · added by {check.createdByName}
      </span>
      <div className="flex flex-wrap items-center gap-3">
        {canRun && (
          <form action={runAction}>
            <input type="hidden" name="checkId" value={check.id} />
            <input type="hidden" name="itemId" value={itemId} />
            <SubmitButton variant="secondary" pendingLabel="Running…">
              Run now<span className="sr-only"> {check.description}</span>
            </SubmitButton>
          </form>
        )}
        {canConfigure && (
          <form action={removeAction}>
            <input type="hidden" name="checkId" value={check.id} />
            <button type="submit" className="text-xs text-red-700 underline">
              Remove<span className="sr-only"> check {check.description}</span>
            </button>
          </form>
        )}
      </div>
      <FormMessage state={ran} />
      <FormMessage state={removed.ok ? initialFormState : removed} />
    </li>
  );
}

function AddCheckForm({ itemId, reload }: { itemId: string; reload: () => void }) {
  const { checks } = useChecklistActions();
  const [state, action] = useActionState(checks!.add, initialFormState);
  const [kind, setKind] = useState<Kind>((state.values?.kind as Kind | undefined) ?? "http");
  useAfterSuccess(state, reload);
  return (
    <details className="rounded-md border border-slate-200 p-2 text-sm">
      <summary className="cursor-pointer font-medium text-indigo-800">Add a check</summary>
      <form action={action} className="mt-2 flex flex-col gap-3" noValidate aria-label="Add a check">
        <input type="hidden" name="itemId" value={itemId} />
        <FormMessage state={state} />
        <div className="flex flex-col gap-1">
          <label htmlFor={`kind-${itemId}`} className="text-sm font-medium text-slate-800">
            What to check
          </label>
          <select key={state.submittedAt} id={`kind-${itemId}`} name="kind" defaultValue={kind} onChange={(event) => setKind(event.target.value as Kind)} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm">
            {kinds.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <TextField
          label={kind === "http" || kind === "headers" ? "URL" : kind === "tls" ? "Host (and port)" : "Host and port"}
          name="target"
          required
          state={state}
          hint={kind === "http" || kind === "headers" ? "e.g. https://shop.example.com/health" : kind === "tls" ? "e.g. shop.example.com or shop.example.com:8443" : "e.g. db.example.com:5432"}
        />
        {kind === "http" && <TextField label="Expected status" name="expectStatus" defaultValue="200" state={state} />}
        {kind === "http" && <TextField label="Body contains (optional)" name="bodyContains" state={state} hint="Text the answer must contain, e.g. ok." />}
        {kind === "http" && <TextField label="JSON pointer (optional)" name="jsonPointer" state={state} hint="The answer must be JSON with a value at this path, e.g. /status or /checks/0/ok." />}
        {kind === "http" && <TextField label="Expected value at the pointer (optional)" name="equals" state={state} hint="e.g. ok, true or 3; empty: any value there passes." />}
        {kind === "headers" && (
          <CheckboxGroup
            legend="Headers to require (each is reported on its own)"
            name="require"
            options={headerOptions}
            defaultChecked={headerOptions.map((option) => option.value)}
            // What a refused headers form sent comes back; any other kind starts with all of them ticked.
            state={state.values?.kind === "headers" ? state : { ...state, values: undefined }}
          />
        )}
        {kind === "headers" && <TextField label="Least HSTS max-age in seconds" name="hstsMinMaxAge" defaultValue="31536000" state={state} hint="31536000 is a year; only used when HSTS is required." />}
        {kind === "tls" && <TextField label="At least this many days left" name="minDaysLeft" defaultValue="14" state={state} hint="Also checked: the name matches, it chains to a trusted root, TLS 1.2 or later." />}
        {kind === "tls" && <TextField label="Your own CA (optional)" name="ca" rows={3} state={state} hint="For an internal certificate authority: its certificate in PEM form, trusted in addition to the usual roots." />}
        {kind === "tcp" && (
          <SelectField
            label="It passes when the port is"
            name="expect"
            options={[
              { value: "open", label: "open (reachable)" },
              { value: "closed", label: "closed (not reachable from here)" },
            ]}
            state={state}
          />
        )}
        <SelectField label="How often" name="intervalMinutes" options={intervals} defaultValue="60" required state={state} />
        <TextField label="Time limit in seconds" name="timeoutSeconds" defaultValue="10" state={state} />
        <SelectField
          label="Reopen a done item after"
          name="failuresToReopen"
          options={[
            { value: "1", label: "the first failure" },
            { value: "2", label: "2 failures in a row (rides out a blip)" },
            { value: "3", label: "3 failures in a row" },
          ]}
          defaultValue="2"
          state={state}
        />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="marksDone" defaultChecked={state.values?.marksDone === "on"} className="size-4" />
          Passing marks the item done (the result is its evidence)
        </label>
        <div>
          <SubmitButton pendingLabel="Adding…">Add check</SubmitButton>
        </div>
      </form>
    </details>
  );
}

/**
 * An item's automated checks: what they probe and when they run, "Run now" for whoever may record
 * results, and adding or removing for a lead or the area's owner. Each run shows up under Results.
 */
/** `onSettled` is called once the first load has answered (or at once where checks are not shown). */
export function ChecksSection({ itemId, onRun, onSettled }: { itemId: string; onRun: () => void; onSettled?: () => void }) {
  const { checks } = useChecklistActions();
  const [data, setData] = useState<ItemChecks | null>(null);
  const [failed, setFailed] = useState(false);
  const [, startTransition] = useTransition();
  const load = checks?.load;
  const reload = useCallback(() => {
    if (!load) {
      onSettled?.();
      return;
    }
    startTransition(async () => {
      try {
        setData(await load(itemId));
        setFailed(false);
      } catch {
        setFailed(true);
      }
      onSettled?.();
    });
  }, [itemId, load, onSettled]);
  useEffect(reload, [reload]);
  if (!checks || !data || (data.checks.length === 0 && !data.canConfigure)) {
    return failed ? (
      <p role="alert" className="text-sm text-red-700">
        Could not load the checks. Reload the page.
      </p>
    ) : null;
  }
  return (
    <section aria-label="Checks" className="flex flex-col gap-2">
      <h4 className="text-sm font-semibold">Automated checks</h4>
      {data.checks.length === 0 ? (
        <p className="text-sm text-slate-600">None yet: a check proves this item on a schedule, and each run is kept as a result.</p>
      ) : (
        <ul className="flex flex-col gap-2">
          {data.checks.map((check) => (
            <CheckRow key={check.id} check={check} itemId={itemId} canConfigure={data.canConfigure} canRun={data.canRun} reload={reload} onRun={onRun} />
          ))}
        </ul>
      )}
      {data.canConfigure && <AddCheckForm itemId={itemId} reload={reload} />}
    </section>
  );
}
