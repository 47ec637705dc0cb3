-- AlterTable
ALTER TABLE "checklist_items" ADD COLUMN     "attested_at" TIMESTAMPTZ(3),
ADD COLUMN     "renew_every_days" INTEGER;

-- AlterTable
ALTER TABLE "item_checks" ADD COLUMN     "failures_to_reopen" INTEGER NOT NULL DEFAULT 2,
ADD COLUMN     "marks_done" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "item_results" ADD COLUMN     "counted" BOOLEAN NOT NULL DEFAULT true;

-- The re-attestation scan reads only the items that ask for renewal.
CREATE INDEX "checklist_items_attested_at_renewal_idx" ON "checklist_items" ("attested_at") WHERE "renew_every_days" IS NOT NULL;
-- Items done before re-attestation existed count from their last change.
UPDATE "checklist_items" SET "attested_at" = "updated_at" WHERE "status" = 'DONE';
