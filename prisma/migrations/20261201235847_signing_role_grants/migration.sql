-- Who granted each signing role of a membership (APPROVER, DEVOPS, DBA, SECURITY): nobody signs
-- with a role they granted themselves (lib/policy.ts). The columns come from schema.prisma; the
-- check constraints and the backfill below are hand-written.

-- AlterTable
ALTER TABLE "project_members" ADD COLUMN     "approver_granted_by_id" UUID,
ADD COLUMN     "dba_granted_by_id" UUID,
ADD COLUMN     "devops_granted_by_id" UUID,
ADD COLUMN     "security_granted_by_id" UUID;

-- Hand-written from here: what Prisma's schema cannot express.

-- A grant is recorded exactly while its role is held.
ALTER TABLE "project_members"
  ADD CONSTRAINT "project_members_approver_grant_needs_role" CHECK ("approver_granted_by_id" IS NULL OR 'APPROVER' = ANY ("roles")),
  ADD CONSTRAINT "project_members_devops_grant_needs_role" CHECK ("devops_granted_by_id" IS NULL OR 'DEVOPS' = ANY ("roles")),
  ADD CONSTRAINT "project_members_dba_grant_needs_role" CHECK ("dba_granted_by_id" IS NULL OR 'DBA' = ANY ("roles")),
  ADD CONSTRAINT "project_members_security_grant_needs_role" CHECK ("security_granted_by_id" IS NULL OR 'SECURITY' = ANY ("roles"));

-- Who granted the signing roles members already hold, from the audit trail. Leads and admins
-- have been able to give themselves APPROVER (or an owner role, and sign their area) all along:
-- without this, every such self-grant made before this migration would keep signing. For each
-- member and role, the latest member.added / member.roles_changed / member.removed event that
-- changed whether the member held the role decides: if it gave the role, its actor granted it
-- (null for the system, e.g. demo data). A role held with no such event (rows written outside
-- the services) keeps null: granted by someone else.
DO $$
DECLARE
  signing record;
BEGIN
  FOR signing IN SELECT * FROM (VALUES ('APPROVER', 'approver_granted_by_id'), ('DEVOPS', 'devops_granted_by_id'), ('DBA', 'dba_granted_by_id'), ('SECURITY', 'security_granted_by_id')) AS grants(role, grant_column) LOOP
    EXECUTE format($update$
      WITH transitions AS (
        SELECT e.project_id, lower(e.entity_id) AS user_id, e.actor_id, e.seq,
               coalesce(e.after -> 'roles' @> to_jsonb(%1$L::text), false) AS holds_after,
               coalesce(e.before -> 'roles' @> to_jsonb(%1$L::text), false) AS held_before
        FROM audit_events e
        WHERE e.action IN ('member.added', 'member.roles_changed', 'member.removed') AND e.project_id IS NOT NULL AND e.entity_id IS NOT NULL
      ), latest AS (
        SELECT DISTINCT ON (project_id, user_id) project_id, user_id, actor_id, holds_after
        FROM transitions
        WHERE holds_after <> held_before
        ORDER BY project_id, user_id, seq DESC
      )
      UPDATE project_members m SET %2$I = latest.actor_id
      FROM latest
      WHERE latest.holds_after AND m.project_id = latest.project_id AND m.user_id::text = latest.user_id AND %1$L = ANY (m.roles::text[])
    $update$, signing.role, signing.grant_column);
  END LOOP;
END $$;
