"use client";

import { useActionState } from "react";
import { CheckboxGroup, FormMessage, SelectField, SubmitButton, TextField } from "@/components/form";
import { ConfirmSubmit } from "@/components/confirm-submit";
import { initialFormState, type FormState } from "@/lib/form-state";
import { areaLabels } from "@/lib/checklists/types";

type Action = (previous: FormState, formData: FormData) => Promise<FormState>;
type Choice = { value: string; label: string };

const AREAS = (Object.keys(areaLabels) as (keyof typeof areaLabels)[]).map((area) => ({ value: area, label: areaLabels[area] }));

export function CreateCampaignForm({ action, teams, templates, projects, today }: { action: Action; teams: Choice[]; templates: Choice[]; projects: Choice[]; today: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="grid gap-4 sm:grid-cols-2" noValidate aria-label="New campaign">
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
      <TextField label="Name" name="name" required state={state} autoComplete="off" hint="e.g. “Rotate database credentials”." />
      <TextField label="Slug (optional)" name="slug" state={state} autoComplete="off" hint="Its address; made from the name when empty." />
      <div className="sm:col-span-2">
        <TextField label="Brief (Markdown)" name="brief" rows={4} state={state} hint="Why, and what done looks like: shown on the campaign page." />
      </div>
      <TextField label="Starts on" name="startsOn" type="date" required defaultValue={today} state={state} />
      <TextField label="Due on" name="dueOn" type="date" required state={state} hint="Its items fall due at the end of this day (UTC)." />
      <fieldset className="flex flex-col gap-3 sm:col-span-2">
        <legend className="text-sm font-medium text-slate-800">Applies to (any that match)</legend>
        {teams.length > 0 && <CheckboxGroup legend="Projects of these teams" name="teamIds" options={teams} state={state} />}
        {templates.length > 0 && <CheckboxGroup legend="Projects made from these templates" name="templateIds" options={templates} state={state} />}
        <CheckboxGroup legend="These projects" name="projectIds" options={projects} state={state} />
      </fieldset>
      <div>
        <SubmitButton pendingLabel="Creating…">Create draft</SubmitButton>
      </div>
    </form>
  );
}

export function AddCampaignItemForm({ action, campaignId, version }: { action: Action; campaignId: string; version: number }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 sm:grid-cols-2" noValidate aria-label="Add campaign item">
      <input type="hidden" name="campaignId" value={campaignId} />
      <input type="hidden" name="expectedVersion" value={version} />
      <div className="sm:col-span-2">
        <FormMessage state={state} />
      </div>
      <div className="sm:col-span-2">
        <TextField label="Item" name="title" required state={state} autoComplete="off" />
      </div>
      <SelectField label="Area" name="area" required options={AREAS} state={state} />
      <TextField label="Level (optional)" name="level" state={state} hint="A level name, e.g. Beta: a project without it gets the item at its lowest level." />
      <div className="sm:col-span-2">
        <TextField label="Guidance (Markdown, optional)" name="details" rows={3} state={state} />
      </div>
      <label className="inline-flex items-center gap-2 text-sm">
        <input type="checkbox" name="required" defaultChecked className="size-4 accent-indigo-700" /> Required for go-live
      </label>
      <div className="sm:col-span-2">
        <SubmitButton pendingLabel="Adding…">Add item</SubmitButton>
      </div>
    </form>
  );
}

export function RemoveCampaignItemForm({ action, campaignId, version, index, title }: { action: Action; campaignId: string; version: number; index: number; title: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form action={formAction} aria-label={`Remove ${title}`} className="flex items-center gap-2">
      <input type="hidden" name="campaignId" value={campaignId} />
      <input type="hidden" name="expectedVersion" value={version} />
      <input type="hidden" name="index" value={index} />
      <SubmitButton variant="danger" pendingLabel="Removing…">
        Remove
      </SubmitButton>
      {!state.ok && state.message && (
        <span role="alert" className="text-xs text-red-700">
          {state.message}
        </span>
      )}
    </form>
  );
}

/** Start or end: each asks first, since it reaches many projects at once. */
export function CampaignStepForm({ action, campaignId, version, step, projects, name }: { action: Action; campaignId: string; version: number; step: "start" | "end"; projects: number; name: string }) {
  const [state, formAction] = useActionState(action, initialFormState);
  return (
    <form
      action={formAction}
      aria-label={step === "start" ? `Start ${name}` : `End ${name}`}
      className="flex flex-col items-start gap-2"
    >
      <input type="hidden" name="campaignId" value={campaignId} />
      <input type="hidden" name="expectedVersion" value={version} />
      <FormMessage state={state} />
      {step === "start" ? (
        <ConfirmSubmit
          title={`Start “${name}”?`}
          description={<p>Its items are added to {projects === 1 ? "1 project" : `${projects} projects`} now, assigned to each project&apos;s owner of their area, and to every project that comes to match it later, until it ends.</p>}
          confirmLabel="Start campaign"
          pendingLabel="Starting…"
        >
          Start campaign
        </ConfirmSubmit>
      ) : (
        <ConfirmSubmit title={`End “${name}”?`} description={<p>Projects that come to match it from now on no longer get its items. Items already added stay.</p>} confirmLabel="End campaign" pendingLabel="Ending…" variant="danger">
          End campaign
        </ConfirmSubmit>
      )}
    </form>
  );
}
