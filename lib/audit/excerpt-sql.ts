import { Prisma } from "@/lib/generated/prisma/client";
import { EXCERPT_KEYS, EXCERPT_TEXT_CHARS, EXCERPT_VALUE_BYTES } from "@/lib/audit/excerpt";

// The SQL of the history's payload excerpts (what they are: lib/audit/excerpt.ts).

/** The excerpt of one jsonb value `v` (a field, or a whole payload that is no object). */
function valueExcerpt(v: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`CASE WHEN pg_column_size(${v}) <= ${EXCERPT_VALUE_BYTES} THEN ${v} ELSE jsonb_build_object(
      '$excerpt', CASE jsonb_typeof(${v})
        WHEN 'string' THEN left(${v} #>> '{}', ${EXCERPT_TEXT_CHARS})
        -- An array's first entries only: serializing all of it is the cost this avoids.
        WHEN 'array' THEN left(jsonb_path_query_array(${v}, '$[0 to 4]')::text, ${EXCERPT_TEXT_CHARS})
        ELSE left(${v}::text, ${EXCERPT_TEXT_CHARS}) END,
      'type', jsonb_typeof(${v}),
      'length', CASE jsonb_typeof(${v})
        WHEN 'string' THEN length(${v} #>> '{}')
        WHEN 'array' THEN jsonb_array_length(${v})
        WHEN 'object' THEN (SELECT count(*) FROM jsonb_object_keys(${v}))
        ELSE 0 END) END`;
}

/** The excerpt of a payload column (see above), as a select expression. */
export function payloadExcerpt(column: Prisma.Sql): Prisma.Sql {
  const field = Prisma.sql`f.value`;
  return Prisma.sql`CASE
      WHEN ${column} IS NULL THEN NULL
      WHEN jsonb_typeof(${column}) = 'object' THEN coalesce((
        SELECT jsonb_object_agg(f.key, ${valueExcerpt(field)})
        FROM (SELECT key, value FROM jsonb_each(${column}) LIMIT ${EXCERPT_KEYS}) f), '{}'::jsonb)
      ELSE ${valueExcerpt(column)} END`;
}

/** The top-level fields whose values differ between two payload columns (none unless objects). */
export function changedFields(before: Prisma.Sql, after: Prisma.Sql): Prisma.Sql {
  const keys = (column: Prisma.Sql) => Prisma.sql`SELECT jsonb_object_keys(${column}) FROM (SELECT 1) one WHERE jsonb_typeof(${column}) = 'object'`;
  return Prisma.sql`ARRAY(
      SELECT k.key FROM (${keys(before)} UNION ${keys(after)}) AS k(key)
      WHERE (${before} -> k.key) IS DISTINCT FROM (${after} -> k.key)
      ORDER BY k.key LIMIT ${EXCERPT_KEYS})`;
}
