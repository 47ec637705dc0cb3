-- Text search over the history: item titles (as changed, as referred to, as imported or added
-- by a template upgrade) and comment bodies. The expression is the one lib/audit/history.ts searches with (SEARCH_DOCUMENT), so
-- that the planner uses this index.
CREATE INDEX "audit_events_search_idx" ON "audit_events" USING gin (
  to_tsvector('simple', coalesce(after->>'title', '') || ' ' || coalesce(before->>'title', '') || ' ' || coalesce(after->>'itemTitle', '') || ' ' || coalesce(before->>'itemTitle', '') || ' ' || coalesce(after->>'body', '') || ' ' || coalesce(jsonb_path_query_array(after, '$.items[*].title')::text, '') || ' ' || coalesce(jsonb_path_query_array(after, '$.added[*].title')::text, ''))
);

