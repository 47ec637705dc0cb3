-- AlterTable
ALTER TABLE "user_sessions" ADD COLUMN     "last_proof_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "last_proof_method" TEXT NOT NULL DEFAULT 'password';

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "separation_of_duties" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "signoffs" ADD COLUMN     "meaning" TEXT,
ADD COLUMN     "reauth_at" TIMESTAMPTZ(3),
ADD COLUMN     "reauth_basis" TEXT,
ADD COLUMN     "reauth_method" TEXT;

-- AlterTable
ALTER TABLE "go_lives" ADD COLUMN     "reauth_at" TIMESTAMPTZ(3),
ADD COLUMN     "reauth_basis" TEXT,
ADD COLUMN     "reauth_method" TEXT;

-- Sessions open at migration time proved who they were when they began, not now: otherwise
-- every such session could sign without a password for the next five minutes.
UPDATE "user_sessions" SET "last_proof_at" = "created_at";

-- How each of them signed in, as its auth.sign_in event recorded it ("credentials" is a password).
UPDATE "user_sessions" AS s
SET "last_proof_method" = CASE e."after"->>'method' WHEN 'credentials' THEN 'password' ELSE e."after"->>'method' END
FROM "audit_events" AS e
WHERE e."action" = 'auth.sign_in' AND e."entity_type" = 'session' AND e."entity_id" = s."id"::text AND e."after"->>'method' IS NOT NULL;

-- The ways a signature can be proved; a row from before they were recorded has none.
ALTER TABLE "signoffs" ADD CONSTRAINT "signoffs_reauth_method_check" CHECK ("reauth_method" IS NULL OR "reauth_method" IN ('password', 'totp', 'recent-session'));
ALTER TABLE "go_lives" ADD CONSTRAINT "go_lives_reauth_method_check" CHECK ("reauth_method" IS NULL OR "reauth_method" IN ('password', 'totp', 'recent-session'));
