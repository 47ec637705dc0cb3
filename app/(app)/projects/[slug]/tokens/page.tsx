import { tokenPermissionWords } from "@/lib/tokens/scopes";
import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getViewerTimeZone } from "@/lib/request";
import { formatDateTime } from "@/lib/time";
import { env } from "@/lib/env";
import { can } from "@/lib/policy";
import { listTokens } from "@/lib/tokens/data";
import { CreateTokenForm, RevokeTokenForm } from "@/components/tokens/token-forms";
import { createTokenAction, revokeTokenAction, setWebhookAction } from "./actions";
import { getProjectWebhook } from "@/lib/projects/data";
import { WebhookForm } from "@/components/projects/webhook-form";
import { loadProject } from "../load";
import { siteOrigin } from "@/lib/http/origin";
import { gateStepCommand } from "@/lib/tokens/gate-step";

export const metadata: Metadata = { title: "Tokens and webhook" };

/** The pipeline step, with where pipelines reach this server: AUTH_URL when configured, else the host this page was asked on. */
async function gateStep(slug: string): Promise<string> {
  return gateStepCommand(siteOrigin(await headers(), env().AUTH_URL) ?? "http://localhost:3000", slug);
}

export default async function TokensPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const zone = await getViewerTimeZone(actor);
  const when = (iso: string) => formatDateTime(new Date(iso), zone);
  if (!can(actor, "token.manage", { kind: "project", projectId: project.id, roles: project.myRoles })) notFound();
  const mayConfigure = can(actor, "project.configureNotifications", { kind: "project", projectId: project.id, roles: project.myRoles });
  const [tokens, step, webhook] = await Promise.all([listTokens(actor, project.id), gateStep(project.slug), mayConfigure ? getProjectWebhook(actor, project) : null]);

  return (
    <div className="flex flex-col gap-8">
      <section aria-labelledby="tokens-heading" className="flex flex-col gap-3">
        <div>
          <h2 id="tokens-heading" className="text-lg font-semibold">
            API tokens
          </h2>
          <p className="text-sm text-slate-600">
            Tokens let a pipeline read this project&apos;s go-live gate (<code className="font-mono">GET {`/api/v1/projects/${project.slug}/gate`}</code>) and nothing else. Revoking one takes effect on its next call.
          </p>
        </div>
        {tokens.length === 0 ? (
          <p className="text-sm text-slate-600">No tokens yet.</p>
        ) : (
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">API tokens of {project.name}</caption>
              <thead className="bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
                <tr>
                  <th scope="col" className="px-3 py-2">Name</th>
                  <th scope="col" className="px-3 py-2">Token</th>
                  <th scope="col" className="px-3 py-2">May</th>
                  <th scope="col" className="px-3 py-2">Created</th>
                  <th scope="col" className="px-3 py-2">Last used</th>
                  <th scope="col" className="px-3 py-2">State</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {tokens.map((token) => (
                  <tr key={token.id} data-testid="token-row">
                    <td className="px-3 py-2 font-medium">{token.name}</td>
                    <td className="px-3 py-2 font-mono text-xs">{token.prefix}…</td>
                    <td className="px-3 py-2 text-sm">{token.permissions.map((permission) => tokenPermissionWords[permission]).join("; ")}</td>
                    <td className="px-3 py-2">
                      <time dateTime={token.createdAt}>{when(token.createdAt)}</time>
                      <span className="block text-xs text-slate-600">by {token.createdByName}</span>
                    </td>
                    <td className="px-3 py-2">{token.lastUsedAt ? <time dateTime={token.lastUsedAt}>{when(token.lastUsedAt)}</time> : <span className="text-slate-600">never</span>}</td>
                    <td className="px-3 py-2">
                      {token.revokedAt ? (
                        <span className="text-red-800">
                          Revoked <time dateTime={token.revokedAt}>{when(token.revokedAt)}</time>
                        </span>
                      ) : (
                        <div className="flex flex-wrap items-start gap-3">
                          <span className="py-1.5 text-emerald-800">Active</span>
                          <RevokeTokenForm action={revokeTokenAction} token={{ id: token.id, name: token.name }} />
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section aria-labelledby="create-token-heading" className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
        <h2 id="create-token-heading" className="mb-3 text-lg font-semibold">
          Create a token
        </h2>
        <CreateTokenForm action={createTokenAction} projectId={project.id} gateStep={step} />
      </section>
      {webhook && (
        <section aria-labelledby="webhook-heading" className="flex flex-col gap-3">
          <h2 id="webhook-heading" className="text-lg font-semibold">
            Notification webhook
          </h2>
          <WebhookForm action={setWebhookAction} projectId={project.id} origin={webhook.origin} />
        </section>
      )}
    </div>
  );
}
