import type { KeyedChecklist } from "@/lib/checklists/materialize";
import { flattenKeyed } from "@/lib/templates/keys";

export type TemplateItemRef = { key: string; section: string; title: string; area: string; required: boolean };
export type TemplateDiff = {
  added: TemplateItemRef[];
  removed: TemplateItemRef[];
  /** Same item, different guidance, area or required flag. */
  changed: (TemplateItemRef & { fields: string[] })[];
};

/** Item-level differences between two versions of a template. */
export function diffTemplates(from: KeyedChecklist, to: KeyedChecklist): TemplateDiff {
  const ref = ({ item, section }: ReturnType<typeof flattenKeyed>[number]): TemplateItemRef => ({
    key: item.key ?? "",
    section,
    title: item.title,
    area: item.area,
    required: item.required,
  });
  const before = new Map(flattenKeyed(from).map((entry) => [entry.item.key, entry]));
  const after = new Map(flattenKeyed(to).map((entry) => [entry.item.key, entry]));
  const diff: TemplateDiff = { added: [], removed: [], changed: [] };
  for (const [key, entry] of after) {
    const old = before.get(key);
    if (!old) {
      diff.added.push(ref(entry));
      continue;
    }
    const fields = (["details", "area", "required"] as const).filter((field) => old.item[field] !== entry.item[field]);
    if (fields.length > 0) diff.changed.push({ ...ref(entry), fields });
  }
  for (const [key, entry] of before) if (!after.has(key)) diff.removed.push(ref(entry));
  return diff;
}
