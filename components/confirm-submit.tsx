"use client";

import { useId, useRef, type ReactNode } from "react";
import { useFormStatus } from "react-dom";

const buttonStyles = {
  primary: "bg-indigo-700 text-white hover:bg-indigo-800",
  danger: "border border-red-300 bg-white text-red-700 hover:bg-red-50",
  dangerSolid: "bg-red-700 text-white hover:bg-red-800",
} as const;

/**
 * A submit that asks first, for what cannot be undone or changes many things at once: the button
 * opens a dialog that says what will happen, and only its confirm button submits the form it is
 * in. Escape or Cancel closes it with nothing sent. Keyboard focus goes to Cancel, so Enter alone
 * never confirms by accident.
 */
export function ConfirmSubmit({
  children,
  title,
  description,
  confirmLabel,
  pendingLabel,
  variant = "danger",
}: {
  children: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  variant?: "primary" | "danger";
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const { pending } = useFormStatus();
  return (
    <>
      <button
        type="button"
        disabled={pending}
        aria-busy={pending}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
        className={`inline-flex items-center gap-2 rounded-md px-3 py-1.5 text-sm font-medium shadow-sm disabled:cursor-wait disabled:opacity-70 ${buttonStyles[variant]}`}
      >
        {pending && <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />}
        {pending ? (pendingLabel ?? children) : children}
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`} aria-describedby={`${id}-description`} className="m-auto w-[min(32rem,calc(100%-2rem))] rounded-lg border border-slate-300 bg-white p-5 text-slate-900 shadow-xl backdrop:bg-slate-900/40">
        <h2 id={`${id}-title`} className="text-lg font-semibold">
          {title}
        </h2>
        <div id={`${id}-description`} className="mt-2 text-sm text-slate-700">
          {description}
        </div>
        <div className="mt-4 flex flex-wrap justify-end gap-2">
          <button type="button" autoFocus onClick={() => dialog.current?.close()} className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50">
            Cancel
          </button>
          <button type="submit" onClick={() => dialog.current?.close()} className={`rounded-md px-3 py-1.5 text-sm font-medium shadow-sm ${variant === "danger" ? buttonStyles.dangerSolid : buttonStyles.primary}`}>
            {confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
