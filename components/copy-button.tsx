"use client";

import { useState } from "react";

/** Copies a value shown once (a new token, a command) to the clipboard, and says so. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied("copied");
    } catch {
      // Clipboard access needs a secure context (https or localhost) and permission.
      setCopied("failed");
    }
  }
  return (
    <span className="inline-flex items-center gap-2">
      <button type="button" onClick={copy} className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600">
        {label}
      </button>
      <span role="status" className="text-sm text-slate-700">
        {copied === "copied" ? "Copied." : copied === "failed" ? "Could not copy: select the text and copy it yourself." : ""}
      </span>
    </span>
  );
}
