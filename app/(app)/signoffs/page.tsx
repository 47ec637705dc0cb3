import type { Metadata } from "next";
import Link from "next/link";
import { requireActor } from "@/lib/auth";
import { listSignoffsAwaiting } from "@/lib/signoffs/data";

export const metadata: Metadata = { title: "Awaiting my sign-off" };

const slotNames = { DEVOPS: "DevOps", DBA: "DBA", SECURITY: "Security", GO_LIVE: "Go-live" } as const;
const stateLabels: Record<string, string> = { AWAITING: "awaiting you", STALE: "stale: sign again", APPROVED: "approved", REJECTED: "rejected" };

export default async function AwaitingSignoffPage() {
  const actor = await requireActor();
  const projects = await listSignoffsAwaiting(actor);
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h1 className="text-2xl font-semibold">Awaiting my sign-off</h1>
        <p className="text-sm text-slate-600">Projects where you may sign a slot, with where each slot stands.</p>
      </div>
      {projects.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">Nothing awaits your sign-off.</p>
      ) : (
        <ul className="flex flex-col gap-3">
          {projects.map((project) => (
            <li key={project.slug} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid="awaiting-project">
              <p className="flex flex-wrap items-baseline justify-between gap-2">
                <Link href={`/projects/${project.slug}/signoffs`} className="text-lg font-semibold text-indigo-800 hover:underline">
                  {project.name}
                </Link>
                <span className="text-sm text-slate-600">
                  Target go-live {project.targetGoLive ?? "not set"} · gate {project.gateOpen ? "open" : "closed"}
                </span>
              </p>
              <ul className="mt-2 flex flex-wrap gap-2 text-sm">
                {project.slots.map((slot) => (
                  <li key={slot.slot} className={`rounded px-2 py-0.5 ${slot.state === "APPROVED" ? "bg-emerald-100 text-emerald-900" : slot.state === "REJECTED" ? "bg-red-100 text-red-900" : "bg-amber-100 text-amber-950"}`}>
                    {slotNames[slot.slot]}: {stateLabels[slot.state]}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
