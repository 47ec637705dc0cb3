-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('ASSIGNED', 'DUE_SOON', 'OVERDUE', 'COMMENTED', 'EVIDENCE_CHANGED', 'SIGNOFF_STALE');

-- DropIndex
DROP INDEX "checklist_items_assignee_id_idx";

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "email_notifications" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "time_zone" TEXT;

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "webhook_url" TEXT;

-- AlterTable
ALTER TABLE "checklist_items" DROP COLUMN "due_date",
ADD COLUMN     "due_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "project_id" UUID,
    "item_id" UUID,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "link" TEXT NOT NULL,
    "actor_name" TEXT,
    "dedupe_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),
    "emailed_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications"("dedupe_key");

-- CreateIndex
CREATE INDEX "notifications_user_id_created_at_idx" ON "notifications"("user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "notifications_user_id_read_at_idx" ON "notifications"("user_id", "read_at");

-- CreateIndex
CREATE INDEX "checklist_items_assignee_id_status_idx" ON "checklist_items"("assignee_id", "status");

-- CreateIndex
CREATE INDEX "checklist_items_due_at_idx" ON "checklist_items"("due_at");

-- AddForeignKey
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
