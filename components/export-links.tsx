"use client";

import { useState } from "react";

type State = { kind: "idle" } | { kind: "busy"; label: string } | { kind: "done"; label: string } | { kind: "failed"; message: string };

/**
 * Download links that show their progress: the file is fetched (so a big checklist shows
 * "Preparing…" rather than nothing), then saved under the server's file name. Without
 * JavaScript they are plain download links.
 */
export function ExportLinks({ links, label = "Export:" }: { links: { href: string; label: string }[]; label?: string }) {
  const [state, setState] = useState<State>({ kind: "idle" });
  const download = async (event: React.MouseEvent<HTMLAnchorElement>, href: string, label: string) => {
    event.preventDefault();
    if (state.kind === "busy") return;
    setState({ kind: "busy", label });
    try {
      const response = await fetch(href, { cache: "no-store" });
      if (!response.ok) throw new Error(((await response.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `The server answered ${response.status}.`);
      const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "checklist";
      const url = URL.createObjectURL(await response.blob());
      const anchor = Object.assign(document.createElement("a"), { href: url, download: name });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      URL.revokeObjectURL(url);
      setState({ kind: "done", label });
    } catch (error) {
      setState({ kind: "failed", message: error instanceof Error ? error.message : "The export failed." });
    }
  };
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <span className="text-slate-600">{label}</span>
      {links.map((link) => {
        const { href } = link;
        return (
          <a key={href} href={href} download onClick={(event) => void download(event, href, link.label)} aria-disabled={state.kind === "busy" || undefined} className="text-indigo-800 underline aria-disabled:cursor-wait aria-disabled:opacity-60">
            {link.label}
          </a>
        );
      })}
      <span role="status" className="inline-flex items-center gap-1.5 text-slate-700" data-testid="export-status">
        {state.kind === "busy" && (
          <>
            <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />
            Preparing the {state.label} export…
          </>
        )}
        {state.kind === "done" && `${state.label} export downloaded.`}
      </span>
      {state.kind === "failed" && (
        <span role="alert" className="text-red-800">
          {state.message}
        </span>
      )}
    </div>
  );
}
