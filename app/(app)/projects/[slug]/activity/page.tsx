import type { Metadata } from "next";
import { listProjectActivity } from "@/lib/audit/data";
import { AuditTable } from "@/components/audit-table";
import { loadProject } from "../load";

export const metadata: Metadata = { title: "Activity" };

export default async function ProjectActivityPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { actor, project } = await loadProject(slug);
  const activity = await listProjectActivity(actor, project, 100);
  return (
    <section aria-labelledby="activity-heading" className="flex flex-col gap-3">
      <h2 id="activity-heading" className="text-lg font-semibold">
        Recent activity
      </h2>
      <AuditTable events={activity.events} caption={`Recent activity on ${project.name}`} />
    </section>
  );
}
