import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertCan, type Actor } from "@/lib/policy";
import { isSatisfied } from "@/lib/checklists/rules";
import { isSlug } from "@/lib/validation";
import { campaignItemsSchema, type CampaignItem } from "@/lib/campaigns/schema";
import { matchingProjectIds } from "@/lib/campaigns/mutations";

export type CampaignState = "draft" | "running" | "ended";

export type CampaignSummary = {
  id: string;
  slug: string;
  name: string;
  state: CampaignState;
  startsOn: string;
  dueOn: string;
  items: number;
  projects: number;
  /** Campaign items done (or not applicable, or waived) across its projects, and all of them. */
  done: number;
  total: number;
};

/** Done, open and overdue campaign items of one project, or of one team's projects. */
export type CampaignProgress = { name: string; slug: string | null; done: number; open: number; overdue: number };

export type CampaignDetail = CampaignSummary & {
  brief: string;
  version: number;
  itemList: CampaignItem[];
  selection: { teams: { id: string; name: string }[]; templates: { id: string; name: string }[]; projects: { id: string; name: string; slug: string }[] };
  /** How many projects the selection matches now (before the start: how many it would reach). */
  matching: number;
  byProject: CampaignProgress[];
  byTeam: CampaignProgress[];
  createdByName: string;
};

const stateOf = (campaign: { startedAt: Date | null; endedAt: Date | null }): CampaignState => (campaign.endedAt ? "ended" : campaign.startedAt ? "running" : "draft");
const day = (date: Date) => date.toISOString().slice(0, 10);

type ProgressRow = { projectId: string; status: "TODO" | "IN_PROGRESS" | "BLOCKED" | "DONE" | "NOT_APPLICABLE" | "WAIVED"; waiverExpiresAt: Date | null; waiverAcceptedAt: Date | null; dueAt: Date | null };

function tally(rows: readonly ProgressRow[], now: Date): Omit<CampaignProgress, "name" | "slug"> {
  let done = 0;
  let overdue = 0;
  for (const row of rows) {
    if (isSatisfied(row, now)) done += 1;
    else if (row.dueAt && row.dueAt.getTime() < now.getTime()) overdue += 1;
  }
  return { done, overdue, open: rows.length - done - overdue };
}

export async function listCampaigns(actor: Actor, now = new Date()): Promise<CampaignSummary[]> {
  assertCan(actor, "campaign.view", { kind: "global" });
  const campaigns = await db.campaign.findMany({ orderBy: [{ dueOn: "desc" }, { name: "asc" }], include: { _count: { select: { projects: true } } } });
  const items = await db.checklistItem.findMany({
    where: { campaignId: { in: campaigns.map((campaign) => campaign.id) } },
    select: { campaignId: true, projectId: true, status: true, waiverExpiresAt: true, waiverAcceptedAt: true, dueAt: true },
  });
  return campaigns.map((campaign) => {
    const own = items.filter((item) => item.campaignId === campaign.id);
    return {
      id: campaign.id,
      slug: campaign.slug,
      name: campaign.name,
      state: stateOf(campaign),
      startsOn: day(campaign.startsOn),
      dueOn: day(campaign.dueOn),
      items: campaignItemsSchema.parse(campaign.items).length,
      projects: campaign._count.projects,
      done: tally(own, now).done,
      total: own.length,
    };
  });
}

export async function getCampaign(actor: Actor, slug: string, now = new Date()): Promise<CampaignDetail> {
  assertCan(actor, "campaign.view", { kind: "global" });
  const campaign = isSlug(slug) ? await db.campaign.findUnique({ where: { slug }, include: { _count: { select: { projects: true } } } }) : null;
  if (!campaign) throw new AppError("NOT_FOUND", "Campaign not found.");
  const [teams, templates, projects, matching, items] = await Promise.all([
    db.team.findMany({ where: { id: { in: campaign.teamIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.template.findMany({ where: { id: { in: campaign.templateIds } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.project.findMany({ where: { id: { in: campaign.projectIds } }, select: { id: true, name: true, slug: true }, orderBy: { name: "asc" } }),
    matchingProjectIds(db, campaign),
    db.checklistItem.findMany({
      where: { campaignId: campaign.id },
      select: { projectId: true, status: true, waiverExpiresAt: true, waiverAcceptedAt: true, dueAt: true, project: { select: { name: true, slug: true, team: { select: { name: true, slug: true } } } } },
    }),
  ]);
  const byProject = new Map<string, { name: string; slug: string; team: { name: string; slug: string } | null; rows: ProgressRow[] }>();
  for (const item of items) {
    const entry = byProject.get(item.projectId) ?? { name: item.project.name, slug: item.project.slug, team: item.project.team, rows: [] };
    entry.rows.push(item);
    byProject.set(item.projectId, entry);
  }
  const byTeam = new Map<string, { name: string; slug: string | null; rows: ProgressRow[] }>();
  for (const entry of byProject.values()) {
    const key = entry.team?.slug ?? "";
    const team = byTeam.get(key) ?? { name: entry.team?.name ?? "No team", slug: entry.team?.slug ?? null, rows: [] };
    team.rows.push(...entry.rows);
    byTeam.set(key, team);
  }
  const itemList = campaignItemsSchema.parse(campaign.items);
  return {
    id: campaign.id,
    slug: campaign.slug,
    name: campaign.name,
    brief: campaign.brief,
    version: campaign.version,
    state: stateOf(campaign),
    startsOn: day(campaign.startsOn),
    dueOn: day(campaign.dueOn),
    items: itemList.length,
    itemList,
    projects: campaign._count.projects,
    done: tally(items, now).done,
    total: items.length,
    selection: { teams, templates, projects },
    matching: matching.length,
    byProject: [...byProject.values()].map((entry) => ({ name: entry.name, slug: entry.slug, ...tally(entry.rows, now) })).sort((a, b) => a.name.localeCompare(b.name)),
    byTeam: [...byTeam.values()].map((entry) => ({ name: entry.name, slug: entry.slug, ...tally(entry.rows, now) })).sort((a, b) => a.name.localeCompare(b.name)),
    createdByName: campaign.createdByName,
  };
}

/** What a new campaign can select: every team, template and project, by name. */
export async function campaignChoices(actor: Actor) {
  assertCan(actor, "campaign.manage", { kind: "global" });
  const [teams, templates, projects] = await Promise.all([
    db.team.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.template.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.project.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  return { teams, templates, projects };
}
