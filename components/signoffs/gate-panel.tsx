import type { ProjectGate } from "@/lib/signoffs/data";

const SHOWN = 8;

/** Whether the project may go live, with every reason it may not. */
export function GatePanel({ gate, compact = false }: { gate: ProjectGate; compact?: boolean }) {
  const items = gate.reasons.filter((reason) => reason.code === "ITEM_OPEN" || reason.code === "WAIVER_EXPIRED");
  const slots = gate.reasons.filter((reason) => reason.code !== "ITEM_OPEN" && reason.code !== "WAIVER_EXPIRED");
  return (
    <section
      aria-label="Go-live gate"
      data-testid="gate"
      className={`rounded-lg border p-4 ${gate.liveAt ? "border-indigo-300 bg-indigo-50" : gate.open ? "border-emerald-300 bg-emerald-50" : "border-amber-300 bg-amber-50"}`}
    >
      <p className="font-semibold" data-testid="gate-status">
        {gate.liveAt ? `Live since ${gate.liveAt.replace("T", " ").slice(0, 16)} UTC` : gate.open ? "Gate open: ready to go live" : `Gate closed: ${gate.reasons.length} reason${gate.reasons.length === 1 ? "" : "s"}`}
      </p>
      {!gate.open && !compact && (
        <ul className="mt-2 list-disc pl-5 text-sm">
          {slots.map((reason) => (
            <li key={reason.message}>{reason.message}</li>
          ))}
          {items.slice(0, SHOWN).map((reason) => (
            <li key={reason.message}>{reason.message}</li>
          ))}
          {items.length > SHOWN && <li>…and {items.length - SHOWN} more required items not yet ready.</li>}
        </ul>
      )}
    </section>
  );
}
