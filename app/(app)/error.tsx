"use client";

import { useEffect, useRef } from "react";

// What a page shows when loading it failed on the server (most often the database being
// unreachable or too slow: lib/db-errors.ts turns those into a clear failure within the request
// deadline). Production hides the cause from the browser; the reference matches the server's log line.
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="mx-auto flex min-h-[50vh] max-w-lg flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 ref={heading} tabIndex={-1} className="text-2xl font-semibold outline-none">
        This page could not be loaded
      </h1>
      <p className="text-slate-700">
        The server could not finish loading it, usually because the database is briefly unavailable. Nothing you did was lost: saved changes are kept. Try again in a moment.
      </p>
      {error.digest ? <p className="text-sm text-slate-600">Reference for your administrator: {error.digest}</p> : null}
      <button type="button" onClick={reset} className="rounded-md bg-indigo-700 px-4 py-2 font-medium text-white hover:bg-indigo-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-700">
        Try again
      </button>
    </main>
  );
}
