import { createHash } from "node:crypto";
import type { ChecklistData, ChecklistItemData } from "@/lib/checklists/types";
import type { KeyedChecklist, KeyedItem } from "@/lib/checklists/materialize";

// Template items get a key from where they stand: section title, the titles of the items
// above them, their own title, and which occurrence of that path they are. The same item keeps
// its key in every version of a template as long as it is not renamed or moved; that is what
// lets a project see "added", "removed" and "changed" between two versions.

function keyOf(parts: string[], occurrence: number): string {
  return createHash("sha256").update(parts.join("\u0000")).update(`#${occurrence}`).digest("base64url").slice(0, 16);
}

const normalise = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();

export function withTemplateKeys(checklist: ChecklistData): KeyedChecklist {
  const seen = new Map<string, number>();
  const keyItems = (items: ChecklistItemData[], path: string[]): KeyedItem[] =>
    items.map((item) => {
      const parts = [...path, normalise(item.title)];
      const id = parts.join("\u0000");
      const occurrence = (seen.get(id) ?? 0) + 1;
      seen.set(id, occurrence);
      // A template keeps what an item is, never the work done on it in a project.
      return {
        title: item.title,
        details: item.details,
        area: item.area,
        required: item.required,
        ...(item.level ? { level: item.level } : {}),
        status: "TODO",
        key: keyOf(parts, occurrence),
        children: keyItems(item.children, parts),
      };
    });
  return {
    title: checklist.title,
    ...(checklist.levels?.length ? { levels: [...checklist.levels] } : {}),
    sections: checklist.sections.map((section) => ({ title: section.title, items: keyItems(section.items, [normalise(section.title)]) })),
  };
}

/** Every item of a keyed checklist with its section and parent key, in document order. */
export function flattenKeyed(checklist: KeyedChecklist): { item: KeyedItem; section: string; parentKey: string | null }[] {
  const out: { item: KeyedItem; section: string; parentKey: string | null }[] = [];
  const walk = (items: KeyedItem[], section: string, parentKey: string | null) => {
    for (const item of items) {
      out.push({ item, section, parentKey });
      walk(item.children, section, item.key ?? null);
    }
  };
  for (const section of checklist.sections) walk(section.items, section.title, null);
  return out;
}
