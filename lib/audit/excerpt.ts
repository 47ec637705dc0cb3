// What the history pages read of an event's before and after: a bounded excerpt, made in SQL,
// never the whole payload (an import's `after` holds every item it added: megabytes for a big
// checklist). Each top-level field is kept whole when it is small; a larger one is replaced by
// an Excerpt: the start of its text, its kind and its length. At most EXCERPT_KEYS fields are
// kept. (The SQL that makes them is excerpt-sql.ts beside it; this file stays free of the
// database client, for the formatter.) Which fields differ between before and after is decided in SQL on the whole values
// (jsonb equality), so that two long values with the same beginning still show as changed.

/** A field whose stored size (bytes) is at most this is kept whole. */
export const EXCERPT_VALUE_BYTES = 1_000;
/** Characters of a larger field's text that are kept (the page shows 160). */
export const EXCERPT_TEXT_CHARS = 200;
/** Fields of one payload kept (and changed fields listed). */
export const EXCERPT_KEYS = 40;

/** A field too large to be read whole: the start of its text, what it was and how long. */
export type Excerpt = {
  $excerpt: string;
  /** jsonb_typeof of the whole value: "string", "array", "object", … */
  type: string;
  /** Characters of a string, entries of an array, keys of an object. */
  length: number;
};

export function isExcerpt(value: unknown): value is Excerpt {
  return typeof value === "object" && value !== null && !Array.isArray(value) && typeof (value as Excerpt).$excerpt === "string" && typeof (value as Excerpt).type === "string";
}
