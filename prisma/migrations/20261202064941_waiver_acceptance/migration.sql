-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationKind" ADD VALUE 'WAIVER_REQUESTED';
ALTER TYPE "NotificationKind" ADD VALUE 'WAIVER_ACCEPTED';
ALTER TYPE "NotificationKind" ADD VALUE 'WAIVER_DECLINED';

-- AlterTable
ALTER TABLE "checklist_items" ADD COLUMN     "waiver_accepted_at" TIMESTAMPTZ(3),
ADD COLUMN     "waiver_accepted_by_id" UUID,
ADD COLUMN     "waiver_accepted_by_name" TEXT,
ADD COLUMN     "waiver_risk_owner_id" UUID;

-- Waivers recorded before this migration were granted by whoever recorded them. They become
-- requests awaiting acceptance (no acceptance columns set), so they stop counting until someone
-- else with the right accepts them; their free-text risk owner stays in waiver_risk_owner, with
-- no waiver_risk_owner_id, and is shown as the name it was given.

-- An acceptance is recorded whole: who and when, or nothing.
ALTER TABLE "checklist_items" ADD CONSTRAINT "checklist_items_waiver_acceptance_whole"
  CHECK ((waiver_accepted_at IS NULL) = (waiver_accepted_by_name IS NULL));
