-- The audit hash chain, part 2 of 3 (hand-written: Prisma's schema cannot express it).
-- 1. Chains the events written before the chain existed, in id order, exactly as
--    lib/audit/chain.ts would have: the canonical JSON of an event's content is spelled out in
--    SQL below for this one backfill only, then dropped (the application computes content
--    hashes in TypeScript; a database test checks that these functions and lib/audit/chain.ts
--    agree on awkward JSON).
-- 2. Starts the chain head: the one row that committing transactions lock to append.
-- 3. The deferred trigger that appends a transaction's pending events at its commit; a trigger
--    that moves the head forward with every event and refuses an event that does not extend
--    it, so nothing can fork the chain; a guard on the head itself.
-- The whole script runs as one transaction (lib/db/schema-engine.ts sends it as one query).

-- JavaScript's number formatting (JSON.stringify) of a JSON number stored by jsonb.
CREATE FUNCTION audit_backfill_number(n numeric) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  magnitude numeric := abs(n);
  sign text := CASE WHEN n < 0 THEN '-' ELSE '' END;
  plain text := abs(n)::text;
  int_part text;
  frac_part text;
  digits text;
  exponent integer;
BEGIN
  IF n = 0 THEN RETURN '0'; END IF;
  IF magnitude >= 1e-6 AND magnitude < 1e21 THEN
    IF position('.' IN plain) > 0 THEN plain := rtrim(rtrim(plain, '0'), '.'); END IF;
    RETURN sign || plain;
  END IF;
  -- Outside that range JavaScript writes d.ddde+N / d.ddde-N.
  int_part := split_part(plain, '.', 1);
  frac_part := split_part(plain, '.', 2);
  IF magnitude >= 1 THEN
    exponent := length(int_part) - 1;
    digits := int_part || frac_part;
  ELSE
    exponent := -(length(frac_part) - length(ltrim(frac_part, '0')) + 1);
    digits := ltrim(frac_part, '0');
  END IF;
  digits := rtrim(digits, '0');
  RETURN sign || left(digits, 1) || CASE WHEN length(digits) > 1 THEN '.' || substr(digits, 2) ELSE '' END
    || 'e' || CASE WHEN exponent >= 0 THEN '+' ELSE '-' END || abs(exponent)::text;
END;
$$;

-- Canonical JSON: keys in code point order (COLLATE "C" is UTF-8 byte order), no whitespace,
-- strings escaped as JSON.stringify escapes them (PostgreSQL's json output does the same).
CREATE FUNCTION audit_backfill_json(j jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN CASE jsonb_typeof(j)
    WHEN 'object' THEN '{' || coalesce((
      SELECT string_agg(to_jsonb(e.key)::text || ':' || audit_backfill_json(e.value), ',' ORDER BY e.key COLLATE "C")
      FROM jsonb_each(j) AS e), '') || '}'
    WHEN 'array' THEN '[' || coalesce((
      SELECT string_agg(audit_backfill_json(a.value), ',' ORDER BY a.ordinality)
      FROM jsonb_array_elements(j) WITH ORDINALITY AS a), '') || ']'
    WHEN 'number' THEN audit_backfill_number(j::text::numeric)
    ELSE coalesce(j::text, 'null') -- strings, true, false, null (and SQL NULL)
  END;
END;
$$;

CREATE FUNCTION audit_backfill_string(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN value IS NULL THEN 'null' ELSE to_jsonb(value)::text END
$$;

ALTER TABLE "audit_events" DISABLE TRIGGER audit_events_no_update_or_delete;

-- An event's hash: SHA-256 of the canonical JSON {contentHash, prevHash, seq} (lib/audit/chain.ts
-- linkText). prev_hash is 64 hex digits and content_hash too, so nothing needs escaping.
CREATE FUNCTION audit_link_hash(content_hash text, prev_hash text, seq bigint) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to('{"contentHash":"' || content_hash || '","prevHash":"' || prev_hash || '","seq":' || seq::text || '}', 'UTF8')), 'hex')
$$;

DO $$
DECLARE
  legacy record;
  chain_seq bigint := 0;
  previous text := repeat('0', 64);
  canonical text;
  digest text;
BEGIN
  FOR legacy IN SELECT * FROM "audit_events" ORDER BY "id" LOOP
    chain_seq := chain_seq + 1;
    -- The keys of lib/audit/chain.ts canonicalContentText, in code point order.
    canonical := '{"action":' || audit_backfill_string(legacy."action")
      || ',"actorEmail":' || audit_backfill_string(legacy."actor_email")
      || ',"actorId":' || audit_backfill_string(legacy."actor_id"::text)
      || ',"actorName":' || audit_backfill_string(legacy."actor_name")
      || ',"after":' || audit_backfill_json(legacy."after")
      || ',"before":' || audit_backfill_json(legacy."before")
      || ',"entityId":' || audit_backfill_string(legacy."entity_id")
      || ',"entityType":' || audit_backfill_string(legacy."entity_type")
      || ',"occurredAt":' || audit_backfill_string(to_char(legacy."occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      || ',"projectId":' || audit_backfill_string(legacy."project_id"::text)
      || ',"requestId":' || audit_backfill_string(legacy."request_id")
      || '}';
    digest := audit_link_hash(encode(sha256(convert_to(canonical, 'UTF8')), 'hex'), previous, chain_seq);
    UPDATE "audit_events" SET "seq" = chain_seq, "prev_hash" = previous, "hash" = digest WHERE "id" = legacy."id";
    previous := digest;
  END LOOP;
  INSERT INTO "audit_chain_head" ("id", "seq", "hash") VALUES (1, chain_seq, previous);
END;
$$;

ALTER TABLE "audit_events" ENABLE TRIGGER audit_events_no_update_or_delete;

DROP FUNCTION audit_backfill_string(text);
DROP FUNCTION audit_backfill_json(jsonb);
DROP FUNCTION audit_backfill_number(numeric);

ALTER TABLE "audit_events"
  ADD CONSTRAINT "audit_events_seq_positive" CHECK ("seq" > 0),
  ADD CONSTRAINT "audit_events_prev_hash_hex" CHECK ("prev_hash" ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT "audit_events_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$');

ALTER TABLE "audit_chain_head"
  ADD CONSTRAINT "audit_chain_head_one_row" CHECK ("id" = 1),
  ADD CONSTRAINT "audit_chain_head_seq_not_negative" CHECK ("seq" >= 0),
  ADD CONSTRAINT "audit_chain_head_hash_hex" CHECK ("hash" ~ '^[0-9a-f]{64}$');

ALTER TABLE "audit_pending_events"
  ADD CONSTRAINT "audit_pending_events_content_hash_hex" CHECK ("content_hash" ~ '^[0-9a-f]{64}$');

-- At commit, in the order they were recorded, each pending event of the transaction is appended
-- to audit_events as the head's successor, then deleted. The head row's lock is taken here, so
-- it is the last lock a transaction takes (no deadlock can involve it) and it is held only
-- while the transaction commits: concurrent writers queue for that moment only, commit in seq
-- order, and a rolled-back transaction appends nothing (no gap in seq).
CREATE FUNCTION audit_pending_events_append() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  head record;
BEGIN
  SELECT "seq", "hash" INTO head FROM "audit_chain_head" WHERE "id" = 1 FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit_chain_head is missing: the audit trail cannot be extended'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  INSERT INTO "audit_events" ("seq", "prev_hash", "hash", "occurred_at", "actor_id", "actor_name", "actor_email", "action",
                              "entity_type", "entity_id", "project_id", "before", "after", "request_id")
  VALUES (head."seq" + 1, head."hash", audit_link_hash(NEW."content_hash", head."hash", head."seq" + 1), NEW."occurred_at",
          NEW."actor_id", NEW."actor_name", NEW."actor_email", NEW."action", NEW."entity_type", NEW."entity_id", NEW."project_id",
          NEW."before", NEW."after", NEW."request_id");
  DELETE FROM "audit_pending_events" WHERE "id" = NEW."id";
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER audit_pending_events_append
  AFTER INSERT ON "audit_pending_events"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION audit_pending_events_append();

-- Every event must extend the head: seq one past it, prev_hash its hash. This holds whoever
-- inserts (the trigger above, or anyone inserting directly), so nothing can fork the chain.
CREATE FUNCTION audit_events_extend_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "audit_chain_head" SET "seq" = NEW."seq", "hash" = NEW."hash"
  WHERE "id" = 1 AND "seq" = NEW."seq" - 1 AND "hash" = NEW."prev_hash";
  IF NOT FOUND THEN
    RAISE EXCEPTION 'audit event seq % does not extend the audit chain head (record events with lib/audit/mutations.ts)', NEW."seq"
      USING ERRCODE = 'object_not_in_prerequisite_state'; -- SQLSTATE 55000
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_events_extend_chain
  BEFORE INSERT ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_extend_chain();

-- The head moves only with an event (from the trigger above, at trigger depth 2 or more), and is
-- never deleted: a direct UPDATE, DELETE or TRUNCATE is refused.
CREATE FUNCTION audit_chain_head_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_chain_head moves only when an audit event is appended: % is refused', TG_OP
    USING ERRCODE = 'object_not_in_prerequisite_state';
END;
$$;

CREATE TRIGGER audit_chain_head_guard
  BEFORE UPDATE OR DELETE ON "audit_chain_head"
  FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard();

CREATE TRIGGER audit_chain_head_no_truncate
  BEFORE TRUNCATE ON "audit_chain_head"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_head_guard();
