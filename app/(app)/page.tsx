import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth";
import { can } from "@/lib/policy";
import { getPortfolio } from "@/lib/portfolio/data";
import { portfolioSortSchema } from "@/lib/portfolio/schema";
import { sortPortfolio } from "@/lib/portfolio/sort";
import { AreaBarLegend, PortfolioTable } from "@/components/portfolio/portfolio-table";
import { ProgressOverTime } from "@/components/portfolio/progress-over-time";

export const metadata: Metadata = { title: "Projects" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

function count(value: number, one: string, many: string): string {
  return `${value} ${value === 1 ? one : many}`;
}

export default async function PortfolioPage({ searchParams }: Props) {
  const actor = await requireActor();
  const [sort, portfolio] = await Promise.all([searchParams.then((params) => portfolioSortSchema.parse(params)), getPortfolio(actor)]);
  const rows = sortPortfolio(portfolio.rows, sort);
  const mayCreate = can(actor, "project.create", { kind: "global" });
  const live = rows.filter((row) => row.liveAt).length;
  const relapsed = rows.filter((row) => row.liveAt && !row.gate.open).length;
  const gateOpen = rows.filter((row) => !row.liveAt && row.gate.open).length;
  const pastTarget = rows.filter((row) => row.isPastTarget).length;
  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Projects</h1>
          <p className="text-sm text-slate-600" data-testid="portfolio-summary">
            {count(rows.length, "project", "projects")} you can see · {live} live
            {relapsed > 0 && <span className="font-semibold text-red-800">{` (${relapsed} changed since)`}</span>} · {gateOpen} ready to go live ·{" "}
            <span className={pastTarget > 0 ? "font-semibold text-red-800" : undefined}>{pastTarget} past target date</span>
          </p>
        </div>
        {mayCreate && (
          <Link href="/projects/new" className="rounded-md bg-indigo-700 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-indigo-800">
            New project
          </Link>
        )}
      </div>
      {rows.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          You are not a member of any project yet. A project lead or an admin can add you.
        </p>
      ) : (
        <>
          <div className="flex flex-col gap-2">
            <AreaBarLegend />
            <PortfolioTable rows={rows} sort={sort} days={portfolio.days.length} />
          </div>
          <ProgressOverTime rows={rows} overall={portfolio.overall} days={portfolio.days} />
        </>
      )}
    </div>
  );
}
