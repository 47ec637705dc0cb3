import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/policy";
import { countQueries } from "../tests/support/query-count";

// A campaign at an organisation's scale, printed, never pass/fail (`npm run bench` runs it on the
// portfolio dataset): the projects are shared out among TEAMS teams, and a campaign of three
// items (one per owner area) selects every team. What starting it costs: the time to add the
// items to every project (one transaction each), per project, and the SQL statements per project.

const TEAMS = 4;

export async function benchCampaign(db: PrismaClient, options: { projectIds: string[]; actor: Actor }): Promise<{ teamIds: string[] }> {
  const { addCampaignItem, createCampaign, startCampaign } = await import("@/lib/campaigns/mutations");
  const teamIds: string[] = [];
  for (let index = 0; index < TEAMS; index += 1) {
    const team = await db.team.create({ data: { slug: `bench-team-${index + 1}`, name: `Team ${index + 1}` }, select: { id: true } });
    teamIds.push(team.id);
    const share = options.projectIds.filter((_id, position) => position % TEAMS === index);
    await db.project.updateMany({ where: { id: { in: share } }, data: { teamId: team.id } });
  }
  const ctx = { actor: options.actor, requestId: "bench-campaign" };
  const today = new Date().toISOString().slice(0, 10);
  const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const campaign = await createCampaign(ctx, { name: "Rotate credentials", startsOn: today, dueOn: due, teamIds });
  let version = 1;
  for (const item of [
    { title: "Database credentials rotate every 90 days", area: "DBA" },
    { title: "Deploy keys rotate every 90 days", area: "DEVOPS" },
    { title: "API secrets held in the vault", area: "SECURITY" },
  ]) {
    version = (await addCampaignItem(ctx, { campaignId: campaign.id, expectedVersion: version, ...item })).version;
  }
  const started = performance.now();
  const { result: run, queries } = await countQueries(() => startCampaign(ctx, { campaignId: campaign.id, expectedVersion: version }));
  const ms = performance.now() - started;
  console.log(
    `campaign start: 3 items to ${run.applied} projects of ${TEAMS} teams in ${Math.round(ms)} ms (${(ms / Math.max(1, run.applied)).toFixed(1)} ms and ${(queries / Math.max(1, run.applied)).toFixed(1)} SQL statements per project; ${run.failed} failed)`,
  );
  return { teamIds };
}
