import type { Metadata } from "next";
import { requireActor } from "@/lib/auth";
import { getMyWork } from "@/lib/checklists/my-work";
import { getViewerTimeZone } from "@/lib/request";
import { MyWorkView } from "@/components/my-work/my-work-view";
import { itemActions, myWorkParams } from "../load";

export const metadata: Metadata = { title: "My area" };

export default async function MyAreaPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = myWorkParams.parse(await searchParams);
  const timeZone = await getViewerTimeZone(actor);
  const work = await getMyWork(actor, { view: "area", area: params.area, group: params.group, project: params.project }, timeZone);
  return <MyWorkView title="My work" intro="The open items of your area in every project where you own it, whoever holds them." work={work} view="area" group={params.group} project={params.project} timeZone={timeZone} actions={itemActions} />;
}
