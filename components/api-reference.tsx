import type { openApiDocument } from "@/lib/rest/openapi";
import { TryIt, TryItToken, TryItTokenProvider } from "@/components/api-try-it";

// The API reference, rendered on the server from the OpenAPI document itself (lib/rest/openapi.ts):
// every operation with its authentication, parameters, body and answers, and every schema.

type Document = ReturnType<typeof openApiDocument>;
type Json = Record<string, unknown>;
type Operation = {
  operationId: string;
  summary: string;
  description: string;
  tags: string[];
  parameters?: { name: string; in: string; required: boolean; schema: Json; description?: string }[];
  requestBody?: { content: Record<string, { schema?: Json; example?: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema?: Json }> }>;
};

const methodStyles: Record<string, string> = {
  get: "bg-sky-100 text-sky-900",
  post: "bg-emerald-100 text-emerald-900",
  patch: "bg-amber-100 text-amber-900",
  delete: "bg-red-100 text-red-900",
};

/** Text with `code` spans, as the document writes them. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, index) => (index % 2 === 1 ? <code key={index} className="rounded bg-slate-100 px-1 text-[0.9em]">{part}</code> : part))}
    </>
  );
}

/** A short name for a schema: its component's name, or its type and allowed values. */
function typeOf(schema: Json | undefined): string {
  if (!schema) return "";
  if (typeof schema.$ref === "string") return schema.$ref.split("/").at(-1) ?? "";
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(" | ");
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Json[]).map((entry) => (entry.const !== undefined ? String(entry.const) : typeOf(entry))).join(" | ");
  const format = typeof schema.format === "string" ? ` (${schema.format})` : "";
  return `${Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any")}${format}`;
}

function SchemaBlock({ label, schema }: { label: string; schema: Json }) {
  const ref = typeof schema.$ref === "string" ? schema.$ref.split("/").at(-1) : null;
  if (ref) {
    return (
      <p className="text-sm">
        {label}:{" "}
        <a href={`#schema-${ref}`} className="font-mono text-indigo-800 hover:underline">
          {ref}
        </a>
      </p>
    );
  }
  return (
    <details className="text-sm">
      <summary className="cursor-pointer">{label}</summary>
      <pre className="mt-1 max-h-80 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 text-xs">{JSON.stringify(schema, null, 2)}</pre>
    </details>
  );
}

function OperationCard({ method, path, operation }: { method: string; path: string; operation: Operation }) {
  const body = operation.requestBody ? Object.entries(operation.requestBody.content)[0] : undefined;
  const errors = Object.entries(operation.responses).filter(([status]) => Number(status) >= 400);
  return (
    <article id={operation.operationId} className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-labelledby={`${operation.operationId}-title`}>
      <h3 id={`${operation.operationId}-title`} className="flex flex-wrap items-center gap-2">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-semibold uppercase ${methodStyles[method] ?? "bg-slate-100"}`}>{method}</span>
        <code className="text-sm break-all">{path}</code>
      </h3>
      <p className="font-medium">
        <Prose text={operation.summary} />
      </p>
      <p className="text-sm text-slate-700">
        <Prose text={operation.description} />
      </p>
      {operation.parameters && operation.parameters.length > 0 ? (
        <div className="overflow-x-auto">
          <table className="min-w-full text-left text-sm">
            <caption className="sr-only">Parameters of {method.toUpperCase()} {path}</caption>
            <thead className="text-xs text-slate-600 uppercase">
              <tr>
                <th scope="col" className="py-1 pr-3">Parameter</th>
                <th scope="col" className="py-1 pr-3">In</th>
                <th scope="col" className="py-1 pr-3">Type</th>
                <th scope="col" className="py-1">Description</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {operation.parameters.map((parameter) => (
                <tr key={`${parameter.in}-${parameter.name}`}>
                  <td className="py-1 pr-3 font-mono">
                    {parameter.name}
                    {parameter.required ? <span className="text-red-800"> (required)</span> : null}
                  </td>
                  <td className="py-1 pr-3">{parameter.in}</td>
                  <td className="py-1 pr-3 font-mono text-xs">{typeOf(parameter.schema)}</td>
                  <td className="py-1">
                    <Prose text={parameter.description ?? ""} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {body ? <SchemaBlock label={`Body (${body[0]})`} schema={body[1].schema ?? {}} /> : null}
      <ul className="flex flex-col gap-1 text-sm">
        {Object.entries(operation.responses)
          .filter(([status]) => Number(status) < 400)
          .map(([status, response]) => {
            const json = response.content?.["application/json"]?.schema;
            const others = Object.keys(response.content ?? {}).filter((type) => type !== "application/json");
            return (
              <li key={status} className="flex flex-wrap gap-x-2">
                <span className="font-mono font-semibold">{status}</span>
                <span>{response.description}</span>
                {json && Object.keys(json).length > 0 ? <SchemaBlock label="JSON" schema={json} /> : null}
                {others.length > 0 ? <span className="text-slate-600">({others.join(", ")})</span> : null}
              </li>
            );
          })}
      </ul>
      {body && body[1].example !== undefined ? (
        <details className="text-sm">
          <summary className="cursor-pointer">Example body</summary>
          <pre tabIndex={0} className="mt-1 max-h-80 overflow-auto rounded border border-slate-200 bg-slate-50 p-2 text-xs">
            {exampleText(body[1].example)}
          </pre>
        </details>
      ) : null}
      {errors.length > 0 ? (
        <details className="text-sm">
          <summary className="cursor-pointer">Errors: {errors.map(([status]) => status).join(", ")}</summary>
          <p className="mt-1 pl-4">
            Each as{" "}
            <a href="#schema-Error" className="font-mono text-indigo-800 underline">
              Error
            </a>
            :
          </p>
          <ul className="mt-1 flex flex-col gap-1 pl-4">
            {errors.map(([status, response]) => (
              <li key={status}>
                <span className="font-mono font-semibold">{status}</span> <Prose text={response.description} />
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <details className="rounded-md border border-indigo-200 bg-indigo-50/40 p-3 text-sm">
        <summary className="cursor-pointer font-medium text-indigo-900">Try it</summary>
        <div className="mt-3">
          <TryIt
            method={method}
            path={path}
            parameters={(operation.parameters ?? []).map((parameter) => ({ name: parameter.name, in: parameter.in, required: parameter.required }))}
            bodyType={body ? body[0] : null}
            example={body && body[1].example !== undefined ? exampleText(body[1].example) : ""}
          />
        </div>
      </details>
    </article>
  );
}

const exampleText = (example: unknown) => (typeof example === "string" ? example : JSON.stringify(example, null, 2));

export function ApiReference({ document }: { document: Document }) {
  const operations = Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation: operation as Operation })));
  const tags = [...new Set(operations.map((entry) => entry.operation.tags[0] ?? "Other"))];
  return (
    <TryItTokenProvider>
      <div className="flex flex-col gap-6">
        <TryItToken />
        <nav aria-label="API sections" className="flex flex-wrap gap-2 text-sm">
          {tags.map((tag) => (
            <a key={tag} href={`#tag-${tag}`} className="rounded border border-slate-300 bg-white px-2 py-1 text-indigo-800 hover:underline">
              {tag}
            </a>
          ))}
          <a href="#schemas" className="rounded border border-slate-300 bg-white px-2 py-1 text-indigo-800 hover:underline">
            Schemas
          </a>
        </nav>
        {tags.map((tag) => (
          <section key={tag} id={`tag-${tag}`} aria-labelledby={`tag-${tag}-heading`} className="flex flex-col gap-3">
            <h2 id={`tag-${tag}-heading`} className="text-lg font-semibold">
              {tag}
            </h2>
            {operations
              .filter((entry) => (entry.operation.tags[0] ?? "Other") === tag)
              .map((entry) => (
                <OperationCard key={`${entry.method} ${entry.path}`} method={entry.method} path={entry.path} operation={entry.operation} />
              ))}
          </section>
        ))}
        <section id="schemas" aria-labelledby="schemas-heading" className="flex flex-col gap-2">
          <h2 id="schemas-heading" className="text-lg font-semibold">
            Schemas
          </h2>
          {Object.entries(document.components.schemas).map(([name, schema]) => (
            <details key={name} id={`schema-${name}`} className="rounded border border-slate-200 bg-white p-3">
              <summary className="cursor-pointer font-mono text-sm font-semibold">{name}</summary>
              <pre className="mt-2 max-h-96 overflow-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(schema, null, 2)}</pre>
            </details>
          ))}
        </section>
      </div>
    </TryItTokenProvider>
  );
}
