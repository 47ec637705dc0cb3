import { cache } from "react";
import { notFound } from "next/navigation";
import { requireActor } from "@/lib/auth";
import { AppError } from "@/lib/errors";
import { getProjectForActor } from "@/lib/projects/data";
import { getGateForProject } from "@/lib/signoffs/data";

/** The project for this request, once per request (layout and page share it), or the 404 page. */
export const loadProject = cache(async (slug: string) => {
  const actor = await requireActor();
  try {
    return { actor, project: await getProjectForActor(actor, slug) };
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

/** The project's gate, once per request (the header of a live project and the page share it). */
export const loadGate = cache((projectId: string) => getGateForProject(projectId));
