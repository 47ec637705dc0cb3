-- CreateEnum
CREATE TYPE "ResultOutcome" AS ENUM ('PASS', 'FAIL');

-- CreateTable
CREATE TABLE "item_results" (
    "id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "outcome" "ResultOutcome" NOT NULL,
    "summary" TEXT NOT NULL,
    "url" TEXT,
    "facts" JSONB NOT NULL DEFAULT '{}',
    "actor_id" UUID,
    "actor_name" TEXT NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_results_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "item_results_item_id_recorded_at_idx" ON "item_results"("item_id", "recorded_at");

-- CreateIndex
CREATE INDEX "item_results_project_id_item_id_recorded_at_idx" ON "item_results"("project_id", "item_id", "recorded_at");

-- AddForeignKey
ALTER TABLE "item_results" ADD CONSTRAINT "item_results_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "checklist_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;
