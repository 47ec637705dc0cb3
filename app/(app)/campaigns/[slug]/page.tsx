import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import Markdown from "react-markdown";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { AppError } from "@/lib/errors";
import { getCampaign, type CampaignProgress } from "@/lib/campaigns/data";
import { areaLabels } from "@/lib/checklists/types";
import { StackedBar } from "@/components/charts/stacked-bar";
import { AddCampaignItemForm, CampaignStepForm, RemoveCampaignItemForm } from "@/components/campaigns/campaign-forms";
import { addCampaignItemAction, endCampaignAction, removeCampaignItemAction, startCampaignAction } from "../actions";

export const metadata: Metadata = { title: "Campaign" };

const stateWords = { draft: "Draft: not started", running: "Running", ended: "Ended" } as const;

function ProgressList({ label, rows, link }: { label: string; rows: CampaignProgress[]; link: (row: CampaignProgress) => string | null }) {
  return (
    <ul className="flex flex-col gap-2" aria-label={label}>
      {rows.map((row) => {
        const total = row.done + row.open + row.overdue;
        const href = link(row);
        return (
          <li key={`${row.slug ?? "none"}-${row.name}`} className="grid gap-1 sm:grid-cols-[14rem_1fr_12rem] sm:items-center sm:gap-3" data-testid="campaign-progress">
            {href ? (
              <Link href={href} className="truncate text-sm text-indigo-800 hover:underline">
                {row.name}
              </Link>
            ) : (
              <span className="truncate text-sm">{row.name}</span>
            )}
            <StackedBar
              segments={[
                { label: "Done", value: row.done, tone: "ready" },
                { label: "Overdue", value: row.overdue, tone: "blocked" },
              ]}
              total={total}
              label={`${row.name}: ${row.done} of ${total} done, ${row.overdue} overdue`}
            />
            <span className="text-xs text-slate-700 tabular-nums">
              {row.done} of {total} done{row.overdue > 0 ? `, ${row.overdue} overdue` : ""}
              {row.open > 0 ? `, ${row.open} open` : ""}
            </span>
          </li>
        );
      })}
    </ul>
  );
}

export default async function CampaignPage({ params }: { params: Promise<{ slug: string }> }) {
  const actor = await requireActor();
  if (!can(actor, "campaign.view", { kind: "global" })) notFound();
  const { slug } = await params;
  const campaign = await getCampaign(actor, slug).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const manages = can(actor, "campaign.manage", { kind: "global" });
  const draft = campaign.state === "draft";
  const selection = [
    ...campaign.selection.teams.map((team) => `team ${team.name}`),
    ...campaign.selection.templates.map((template) => `template ${template.name}`),
    ...campaign.selection.projects.map((project) => project.name),
  ];
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-col gap-1">
        <p className="text-sm">
          <Link href="/campaigns" className="text-indigo-800 hover:underline">
            Campaigns
          </Link>
        </p>
        <h1 className="text-2xl font-semibold">{campaign.name}</h1>
        <p className="text-sm text-slate-700">
          {stateWords[campaign.state]} · from {campaign.startsOn}, due {campaign.dueOn} · by {campaign.createdByName}
        </p>
      </div>
      {campaign.brief && (
        <div className="max-w-3xl text-sm text-slate-800 [&_a]:text-indigo-800 [&_a]:underline [&_ul]:list-disc [&_ul]:pl-5">
          <Markdown>{campaign.brief}</Markdown>
        </div>
      )}
      <section aria-labelledby="reach-heading" className="flex flex-col gap-2">
        <h2 id="reach-heading" className="text-lg font-semibold">
          Reach
        </h2>
        <p className="text-sm" data-testid="campaign-reach">
          Applies to {selection.join(", ") || "nothing"}: {campaign.matching === 1 ? "1 project matches" : `${campaign.matching} projects match`} now
          {campaign.state !== "draft" ? `, ${campaign.projects === 1 ? "1 has" : `${campaign.projects} have`} its items` : ""}.
        </p>
        {manages && campaign.state !== "ended" && (
          <CampaignStepForm
            action={draft ? startCampaignAction : endCampaignAction}
            campaignId={campaign.id}
            version={campaign.version}
            step={draft ? "start" : "end"}
            projects={campaign.matching}
            name={campaign.name}
          />
        )}
      </section>
      <section aria-labelledby="items-heading" className="flex flex-col gap-2">
        <h2 id="items-heading" className="text-lg font-semibold">
          Items
        </h2>
        {campaign.itemList.length === 0 ? (
          <p className="text-sm text-slate-600">None yet: add at least one before starting.</p>
        ) : (
          <ol className="flex flex-col gap-2">
            {campaign.itemList.map((item, index) => (
              <li key={`${index}-${item.title}`} className="flex flex-wrap items-start justify-between gap-2 rounded-md border border-slate-200 bg-white p-3">
                <div className="flex min-w-0 flex-col gap-0.5">
                  <span className="font-medium">{item.title}</span>
                  <span className="text-xs text-slate-600">
                    {areaLabels[item.area]} · {item.required ? "required" : "optional"}
                    {item.level ? ` · level ${item.level}` : ""}
                  </span>
                  {item.details && <span className="text-sm whitespace-pre-wrap text-slate-700">{item.details}</span>}
                </div>
                {manages && draft && <RemoveCampaignItemForm action={removeCampaignItemAction} campaignId={campaign.id} version={campaign.version} index={index} title={item.title} />}
              </li>
            ))}
          </ol>
        )}
        {manages && draft && <AddCampaignItemForm action={addCampaignItemAction} campaignId={campaign.id} version={campaign.version} />}
      </section>
      {campaign.state !== "draft" && (
        <section aria-labelledby="progress-heading" className="flex flex-col gap-4">
          <h2 id="progress-heading" className="text-lg font-semibold">
            Progress
          </h2>
          <p className="text-sm" data-testid="campaign-done">
            {campaign.done} of {campaign.total} items done across {campaign.projects === 1 ? "1 project" : `${campaign.projects} projects`}.
          </p>
          <h3 className="font-medium">By team</h3>
          <ProgressList label="Progress by team" rows={campaign.byTeam} link={() => null} />
          <h3 className="font-medium">By project</h3>
          <ProgressList label="Progress by project" rows={campaign.byProject} link={(row) => (row.slug ? `/projects/${row.slug}` : null)} />
        </section>
      )}
    </div>
  );
}
