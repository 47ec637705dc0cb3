import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { campaignChoices, listCampaigns } from "@/lib/campaigns/data";
import { StackedBar } from "@/components/charts/stacked-bar";
import { CreateCampaignForm } from "@/components/campaigns/campaign-forms";
import { createCampaignAction } from "./actions";

export const metadata: Metadata = { title: "Campaigns" };

const stateWords = { draft: "Draft", running: "Running", ended: "Ended" } as const;

export default async function CampaignsPage() {
  const actor = await requireActor();
  if (!can(actor, "campaign.view", { kind: "global" })) notFound();
  const manages = can(actor, "campaign.manage", { kind: "global" });
  const [campaigns, choices] = await Promise.all([listCampaigns(actor), manages ? campaignChoices(actor) : null]);
  const options = (rows: { id: string; name: string }[]) => rows.map((row) => ({ value: row.id, label: row.name }));
  return (
    <div className="flex flex-col gap-8">
      <div className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold">Campaigns</h1>
        <p className="text-sm text-slate-700">A campaign rolls a new requirement out to many projects by a date: its items land on every project it selects, with the project&apos;s owner of each area assigned.</p>
      </div>
      <section aria-labelledby="campaigns-heading" className="flex flex-col gap-3">
        <h2 id="campaigns-heading" className="text-lg font-semibold">
          All campaigns
        </h2>
        {campaigns.length === 0 ? (
          <p className="text-sm text-slate-600">None yet.</p>
        ) : (
          <ul className="flex flex-col gap-2">
            {campaigns.map((campaign) => (
              <li key={campaign.id} className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-3 sm:flex-row sm:items-center sm:gap-4" data-testid="campaign-row">
                <div className="flex min-w-0 flex-1 flex-col">
                  <Link href={`/campaigns/${campaign.slug}`} className="font-medium text-indigo-800 hover:underline">
                    {campaign.name}
                  </Link>
                  <span className="text-xs text-slate-600">
                    {stateWords[campaign.state]} · {campaign.startsOn} to {campaign.dueOn} · {campaign.items} {campaign.items === 1 ? "item" : "items"} · {campaign.projects} {campaign.projects === 1 ? "project" : "projects"}
                  </span>
                </div>
                <div className="flex w-full flex-col gap-1 sm:w-64">
                  <StackedBar segments={[{ label: "Done", value: campaign.done, tone: "ready" }]} total={campaign.total} label={`${campaign.done} of ${campaign.total} campaign items done`} />
                  <span className="text-xs text-slate-700 tabular-nums">
                    {campaign.done} of {campaign.total} done
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {choices && (
        <section aria-labelledby="new-campaign-heading" className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="new-campaign-heading" className="text-lg font-semibold">
            New campaign
          </h2>
          <p className="text-sm text-slate-700">Draft it here, add its items on the next page, check how many projects it reaches, then start it.</p>
          <CreateCampaignForm action={createCampaignAction} teams={options(choices.teams)} templates={options(choices.templates)} projects={options(choices.projects)} today={new Date().toISOString().slice(0, 10)} />
        </section>
      )}
    </div>
  );
}
