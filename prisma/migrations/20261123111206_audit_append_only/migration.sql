-- audit_events is the append-only record of every change (see the AuditEvent model).
-- Prisma's schema cannot express triggers, so this migration is hand-written.
-- The database itself refuses UPDATE, DELETE and TRUNCATE, so neither an application bug
-- nor a hand-run query can rewrite history. (The table owner could still DISABLE TRIGGER;
-- the application should therefore not connect as the owner.)

CREATE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % is refused', TG_OP
    USING ERRCODE = 'object_not_in_prerequisite_state'; -- SQLSTATE 55000
END;
$$;

CREATE TRIGGER audit_events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();

-- Row triggers do not fire on TRUNCATE.
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON "audit_events"
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
