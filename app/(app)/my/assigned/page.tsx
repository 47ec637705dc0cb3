import type { Metadata } from "next";
import { requireActor } from "@/lib/auth";
import { getMyWork } from "@/lib/checklists/my-work";
import { getViewerTimeZone } from "@/lib/request";
import { MyWorkView } from "@/components/my-work/my-work-view";
import { itemActions, myWorkParams } from "../load";

export const metadata: Metadata = { title: "Assigned to me" };

export default async function AssignedPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireActor();
  const params = myWorkParams.parse(await searchParams);
  const timeZone = await getViewerTimeZone(actor);
  const work = await getMyWork(actor, { view: "assigned", group: params.group, project: params.project }, timeZone);
  return <MyWorkView title="My work" intro="The open items assigned to you, in every project. Change status, add evidence and comment right here." work={work} view="assigned" group={params.group} project={params.project} timeZone={timeZone} actions={itemActions} />;
}
