"use client";

import { useId, type ReactNode } from "react";
import { useFormStatus } from "react-dom";
import type { FormState } from "@/lib/form-state";

export function SubmitButton({ children, variant = "primary", pendingLabel }: { children: ReactNode; variant?: "primary" | "secondary" | "danger"; pendingLabel?: string }) {
  const { pending } = useFormStatus();
  const styles = {
    primary: "bg-indigo-700 text-white hover:bg-indigo-800",
    secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
    danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50",
  }[variant];
  return (
    <button
      type="submit"
      disabled={pending}
      aria-busy={pending}
      className={`inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm disabled:cursor-wait disabled:opacity-70 ${styles}`}
    >
      {pending && <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />}
      {pending ? (pendingLabel ?? children) : children}
    </button>
  );
}

/** The outcome of the last submission, announced to screen readers. */
export function FormMessage({ state }: { state: FormState }) {
  if (!state.message) return null;
  return (
    <p
      role={state.ok ? "status" : "alert"}
      className={`rounded-md px-3 py-2 text-sm ${state.ok ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-800"}`}
    >
      {state.message}
    </p>
  );
}

type FieldProps = {
  label: string;
  name: string;
  state: FormState;
  type?: string;
  required?: boolean;
  defaultValue?: string;
  autoComplete?: string;
  hint?: string;
};

/** A labelled input, or with `rows` a text area; the submitted value comes back after an error. */
export function TextField({ label, name, state, type = "text", required, defaultValue, autoComplete, hint, rows }: FieldProps & { rows?: number }) {
  const id = useId();
  const errors = state.fieldErrors?.[name];
  const describedBy = [hint ? `${id}-hint` : null, errors ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
        {required && <span className="text-red-700"> *</span>}
      </label>
      {rows ? (
        <textarea
          key={state.submittedAt}
          id={id}
          name={name}
          rows={rows}
          required={required}
          defaultValue={submitted(state, name) ?? defaultValue}
          aria-invalid={errors ? true : undefined}
          aria-describedby={describedBy}
          className="rounded-md border border-slate-300 px-3 py-1.5 font-mono text-xs shadow-sm aria-invalid:border-red-600"
        />
      ) : (
        <input
          key={state.submittedAt}
          id={id}
          name={name}
          type={type}
          required={required}
          defaultValue={type === "password" ? undefined : (submitted(state, name) ?? defaultValue)}
          autoComplete={autoComplete}
          aria-invalid={errors ? true : undefined}
          aria-describedby={describedBy}
          className="rounded-md border border-slate-300 px-3 py-1.5 text-sm shadow-sm aria-invalid:border-red-600"
        />
      )}
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** A select; with a defaultValue it starts on that option and offers no empty "Choose…" one. */
export function SelectField({ label, name, state, options, required, placeholder, defaultValue }: Omit<FieldProps, "type"> & { options: { value: string; label: string }[]; placeholder?: string }) {
  const id = useId();
  const errors = state.fieldErrors?.[name];
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
        {required && <span className="text-red-700"> *</span>}
      </label>
      <select
        key={state.submittedAt}
        id={id}
        name={name}
        required={required}
        defaultValue={submitted(state, name) ?? defaultValue ?? ""}
        aria-invalid={errors ? true : undefined}
        aria-describedby={errors ? `${id}-error` : undefined}
        className="w-full min-w-0 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm"
      >
        {defaultValue === undefined && <option value="">{placeholder ?? "Choose…"}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}

/** `options`: the values sent, with the words people read. */
export function CheckboxGroup({ legend, name, state, options, defaultChecked = [] }: { legend: string; name: string; state: FormState; options: readonly { value: string; label: string }[]; defaultChecked?: readonly string[] }) {
  const id = useId();
  const errors = state.fieldErrors?.[name];
  return (
    <fieldset className="flex flex-col gap-1" aria-describedby={errors ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      <div className="flex flex-wrap gap-x-4 gap-y-1">
        {options.map((option) => (
          <label key={option.value} className="inline-flex items-center gap-1.5 text-sm text-slate-800">
            <input
              key={state.submittedAt}
              type="checkbox"
              name={name}
              value={option.value}
              defaultChecked={(state.values ? [state.values[name] ?? []].flat() : defaultChecked).includes(option.value)}
              className="size-4 accent-indigo-700"
            />
            {option.label}
          </label>
        ))}
      </div>
      <FieldError id={`${id}-error`} errors={errors} />
    </fieldset>
  );
}

function FieldError({ id, errors }: { id: string; errors: string[] | undefined }) {
  if (!errors) return null;
  return (
    <p id={id} className="text-xs font-medium text-red-700">
      {errors.join(" ")}
    </p>
  );
}

function submitted(state: FormState, name: string): string | undefined {
  const value = state.values?.[name];
  return typeof value === "string" ? value : undefined;
}

/** A Markdown file picker; the server reads and checks the file (encoding, size, items). */
export function MarkdownFileField({ label, name, state, hint, required }: { label: string; name: string; state: FormState; hint?: string; required?: boolean }) {
  const id = useId();
  const errors = state.fieldErrors?.[name];
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-800">
        {label}
        {required && <span className="text-red-700"> *</span>}
      </label>
      <input
        id={id}
        name={name}
        type="file"
        accept=".md,.markdown,.txt,text/markdown,text/plain"
        aria-invalid={errors ? true : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="text-sm file:mr-3 file:rounded-md file:border file:border-slate-300 file:bg-white file:px-3 file:py-1.5"
      />
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-600">
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} errors={errors} />
    </div>
  );
}
