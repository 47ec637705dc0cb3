import type { Actor } from "@/lib/policy";
import { db } from "@/lib/db";
import { getProjectHistory } from "@/lib/audit/history";
import { getSignoffPage, toPublicSignoff } from "@/lib/signoffs/data";
import type { ScopeItem } from "@/lib/signoffs/digest";
import { apiHistoryPageSchema, apiSignoffsSchema } from "@/lib/rest/schemas";

const change = (item: ScopeItem, fields: string[] = []) => ({ itemId: item.id, title: item.title, fields });

/** Every slot a project requires, with every round signed and what changed since the latest. */
export async function getApiSignoffs(actor: Actor, slug: string) {
  const page = await getSignoffPage(actor, slug);
  const rounds = await db.signoff.findMany({ where: { projectId: page.project.id }, orderBy: [{ slot: "asc" }, { round: "asc" }] });
  return apiSignoffsSchema.parse({
    requiredSlots: page.gate.requiredSlots,
    gate: { open: page.gate.open, reasons: page.gate.reasons.map(({ code, message }) => ({ code, message })) },
    liveAt: page.gate.liveAt,
    slots: page.slots.map((slot) => ({
      slot: slot.slot,
      digest: slot.digest,
      staleCause: slot.staleCause,
      changesSinceLatest: slot.changes
        ? {
            added: slot.changes.added.map((item) => change(item)),
            removed: slot.changes.removed.map((item) => change(item)),
            changed: slot.changes.changed.map((entry) => change(entry.after, entry.fields)),
          }
        : null,
      rounds: rounds.filter((round) => round.slot === slot.slot).map(toPublicSignoff),
    })),
  });
}

/** A page of the project's history, with the filters of the history page (times in UTC). */
export async function getApiHistory(actor: Actor, slug: string, search: URLSearchParams) {
  const page = await getProjectHistory(actor, slug, Object.fromEntries(search), "UTC");
  return apiHistoryPageSchema.parse({ events: page.events.map(({ project: _project, projectId: _projectId, ...event }) => event), nextCursor: page.nextCursor });
}
