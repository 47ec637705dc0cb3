import type { SectionView } from "@/lib/checklists/data";
import { toRowData } from "@/lib/checklists/data";
import { ItemRow } from "./item-row";

/** A checklist's sections and their item rows, as the checklist page and the as-of view show them. */
export function ChecklistSections({ sections, flattened, timeZone }: { sections: SectionView[]; flattened: boolean; timeZone: string }) {
  return sections.map((section) => (
    <section key={section.id} aria-labelledby={`section-${section.id}`} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="mb-2 flex items-baseline justify-between gap-3">
        <h2 id={`section-${section.id}`} className="text-base font-semibold">
          {section.title}
        </h2>
        <span className="shrink-0 text-sm text-slate-600">
          {section.satisfied}/{section.total} ready
        </span>
      </div>
      <ul className="flex flex-col">
        {section.items.map((item) => (
          <ItemRow key={item.id} item={toRowData(item, flattened, timeZone)} showPath={flattened} />
        ))}
      </ul>
    </section>
  ));
}
