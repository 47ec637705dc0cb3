import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiReference } from "@/components/api-reference";
import { env } from "@/lib/env";
import { siteOrigin } from "@/lib/http/origin";
import { openApiDocument } from "@/lib/rest/openapi";

export const metadata: Metadata = { title: "API reference" };

export default async function ApiDocsPage() {
  const origin = siteOrigin(await headers(), env().AUTH_URL) ?? undefined;
  const document = openApiDocument(origin);
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">API reference</h1>
        <p className="text-sm text-slate-700">
          Everything under <code>/api/v1</code>, from the API&apos;s own document:{" "}
          <a href="/api/v1/openapi.json" className="text-indigo-800 underline">
            openapi.json
          </a>{" "}
          (OpenAPI 3.1; also <code>npm run cli -- openapi</code>). Pipelines authenticate with a project token (<code>Authorization: Bearer ssp_…</code>) created on the project&apos;s Tokens tab.
        </p>
      </div>
      <ApiReference document={document} />
    </div>
  );
}
