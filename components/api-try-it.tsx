"use client";

import { createContext, useContext, useId, useState, type ReactNode } from "react";

// "Try it" on the API reference: sends one request from this page with the token entered at the
// top, and shows the answer as it came. The token stays in this page's memory (never stored) and
// requests carry no cookies, so they do what a pipeline holding that token could do, no more.

type Parameter = { name: string; in: string; required: boolean; description?: string };

const TokenContext = createContext<{ token: string; setToken: (token: string) => void }>({ token: "", setToken: () => undefined });

export function TryItTokenProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState("");
  return <TokenContext.Provider value={{ token, setToken }}>{children}</TokenContext.Provider>;
}

export function TryItToken() {
  const { token, setToken } = useContext(TokenContext);
  const id = useId();
  return (
    <div className="flex flex-col gap-1 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <label htmlFor={id} className="text-sm font-medium">
        Token for “Try it”
      </label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        value={token}
        onChange={(event) => setToken(event.target.value.trim())}
        placeholder="ssp_…"
        aria-describedby={`${id}-hint`}
        className="w-full max-w-xl rounded-md border border-slate-400 px-3 py-2 font-mono text-sm"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-600">
        Sent as <code>Authorization: Bearer</code> by each “Try it” below, without this browser&apos;s cookies: a request does what the token may do. Kept in this page only; reloading forgets it.
      </p>
    </div>
  );
}

type Answer = { status: number; statusText: string; headers: [string, string][]; body: string; truncated: boolean } | { failed: string };

const SHOWN_HEADERS = ["content-type", "retry-after", "idempotent-replayed", "ratelimit-remaining", "x-request-id"];
const MAX_SHOWN = 20_000;

function pretty(body: string, contentType: string): string {
  if (!contentType.includes("json")) return body;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

/** The request as a shell command, with the token left as $SHIPSHAPE_TOKEN. */
function asCurl(method: string, url: string, headers: Record<string, string>, body: string | undefined): string {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const parts = [`curl -sS -X ${method.toUpperCase()} ${quote(url)}`];
  for (const [name, value] of Object.entries(headers)) parts.push(name === "Authorization" ? '-H "Authorization: Bearer $SHIPSHAPE_TOKEN"' : `-H ${quote(`${name}: ${value}`)}`);
  if (body !== undefined) parts.push(`--data-binary ${quote(body)}`);
  return parts.join(" \\\n  ");
}

export function TryIt({ method, path, parameters, bodyType, example }: { method: string; path: string; parameters: Parameter[]; bodyType: string | null; example: string }) {
  const { token } = useContext(TokenContext);
  const id = useId();
  const [values, setValues] = useState<Record<string, string>>({});
  const [body, setBody] = useState(example);
  const [missing, setMissing] = useState<string[]>([]);
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [sending, setSending] = useState(false);
  const [curl, setCurl] = useState<string | null>(null);

  const send = async () => {
    const absent = parameters.filter((parameter) => parameter.required && !values[parameter.name]?.trim()).map((parameter) => parameter.name);
    setMissing(absent);
    if (absent.length > 0) return;
    const url = new URL(
      path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(values[name]?.trim() ?? "")),
      window.location.origin,
    );
    for (const parameter of parameters.filter((entry) => entry.in === "query")) {
      const value = values[parameter.name]?.trim();
      if (value) url.searchParams.set(parameter.name, value);
    }
    const headers: Record<string, string> = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (bodyType) headers["Content-Type"] = bodyType;
    for (const parameter of parameters.filter((entry) => entry.in === "header")) {
      const value = values[parameter.name]?.trim();
      if (value) headers[parameter.name] = value;
    }
    const sentBody = bodyType ? body : undefined;
    setCurl(asCurl(method, url.toString(), headers, sentBody));
    setSending(true);
    try {
      const response = await fetch(url, { method: method.toUpperCase(), headers, body: sentBody, credentials: "omit", cache: "no-store", redirect: "manual" });
      const text = await response.text();
      const contentType = response.headers.get("content-type") ?? "";
      const shown = pretty(text, contentType);
      setAnswer({
        status: response.status,
        statusText: response.statusText,
        headers: SHOWN_HEADERS.flatMap((name) => {
          const value = response.headers.get(name);
          return value === null ? [] : [[name, value] as [string, string]];
        }),
        body: shown.slice(0, MAX_SHOWN),
        truncated: shown.length > MAX_SHOWN,
      });
    } catch (error) {
      setAnswer({ failed: error instanceof Error ? error.message : String(error) });
    } finally {
      setSending(false);
    }
  };

  return (
    <form
      className="flex flex-col gap-3"
      aria-label={`Try ${method.toUpperCase()} ${path}`}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {parameters.length > 0 && (
        <div className="grid gap-2 sm:grid-cols-2">
          {parameters.map((parameter) => {
            const fieldId = `${id}-${parameter.in}-${parameter.name}`;
            const invalid = missing.includes(parameter.name);
            return (
              <div key={fieldId} className="flex flex-col gap-1">
                <label htmlFor={fieldId} className="text-sm">
                  <span className="font-mono">{parameter.name}</span> <span className="text-slate-600">({parameter.in}{parameter.required ? ", required" : ""})</span>
                </label>
                <input
                  id={fieldId}
                  value={values[parameter.name] ?? ""}
                  onChange={(event) => setValues((current) => ({ ...current, [parameter.name]: event.target.value }))}
                  aria-invalid={invalid || undefined}
                  aria-describedby={invalid ? `${fieldId}-error` : undefined}
                  spellCheck={false}
                  className="rounded-md border border-slate-400 px-2 py-1 font-mono text-sm aria-invalid:border-red-700"
                />
                {invalid && (
                  <p id={`${fieldId}-error`} className="text-xs text-red-800">
                    Enter {parameter.name}: the request needs it.
                  </p>
                )}
              </div>
            );
          })}
        </div>
      )}
      {bodyType && (
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-body`} className="text-sm">
            Body <span className="text-slate-600">({bodyType})</span>
          </label>
          <textarea id={`${id}-body`} value={body} onChange={(event) => setBody(event.target.value)} rows={Math.min(12, Math.max(3, body.split("\n").length + 1))} spellCheck={false} className="rounded-md border border-slate-400 px-2 py-1 font-mono text-xs" />
        </div>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" disabled={sending} className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-800 disabled:opacity-60">
          {sending ? "Sending…" : "Send request"}
        </button>
        {!token && <span className="text-xs text-slate-600">No token entered: the request goes without credentials.</span>}
      </div>
      <div aria-live="polite">
        {answer && "failed" in answer && (
          <p role="alert" className="text-sm text-red-800">
            The request did not complete: {answer.failed}
          </p>
        )}
        {answer && !("failed" in answer) && (
          <section aria-label="Response" className="flex flex-col gap-1">
            <p className="text-sm">
              <span className={`font-mono font-semibold ${answer.status >= 400 ? "text-red-800" : "text-emerald-800"}`} data-testid="try-it-status">
                {answer.status}
              </span>{" "}
              {answer.statusText}
            </p>
            {answer.headers.length > 0 && (
              <ul className="font-mono text-xs text-slate-700">
                {answer.headers.map(([name, value]) => (
                  <li key={name}>
                    {name}: {value}
                  </li>
                ))}
              </ul>
            )}
            <pre tabIndex={0} aria-label="Response body" className="max-h-96 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 text-xs" data-testid="try-it-body">
              {answer.body}
              {answer.truncated ? "\n… (cut here: the answer is longer)" : ""}
            </pre>
          </section>
        )}
      </div>
      {curl && (
        <details className="text-sm">
          <summary className="cursor-pointer">As a shell command</summary>
          <pre tabIndex={0} aria-label="The request as a shell command" className="mt-1 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 text-xs">
            {curl}
          </pre>
        </details>
      )}
    </form>
  );
}
