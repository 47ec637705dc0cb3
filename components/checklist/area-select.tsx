import { areas, areaLabels } from "@/lib/checklists/types";

/** The "Area" filter of GET forms (checklist, overview): "" means every area. */
export function AreaSelect({ value }: { value: string | undefined }) {
  return (
    <label className="flex flex-col gap-1 text-sm font-medium">
      Area
      <select name="area" defaultValue={value ?? ""} className="rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal">
        <option value="">All areas</option>
        {areas.map((area) => (
          <option key={area} value={area}>
            {areaLabels[area]}
          </option>
        ))}
      </select>
    </label>
  );
}
