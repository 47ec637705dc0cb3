-- The history's actor filter matches part of the actor's name or email (ILIKE '%…%'), which a
-- btree cannot serve: trigram indexes can, so a name that matches nothing is an index probe
-- rather than a walk through every event. Prisma's schema cannot express operator classes of
-- an extension, so this migration is hand-written. pg_trgm is a trusted extension: a database
-- owner may create it. On a large existing table, build these with CREATE INDEX CONCURRENTLY
-- by hand before deploying (this migration then finds them with IF NOT EXISTS).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX IF NOT EXISTS "audit_events_actor_name_trgm_idx" ON "audit_events" USING gin ("actor_name" gin_trgm_ops);
CREATE INDEX IF NOT EXISTS "audit_events_actor_email_trgm_idx" ON "audit_events" USING gin ("actor_email" gin_trgm_ops);
