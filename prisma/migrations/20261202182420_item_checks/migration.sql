-- CreateTable
CREATE TABLE "item_checks" (
    "id" UUID NOT NULL,
    "item_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "spec" JSONB NOT NULL,
    "target" TEXT NOT NULL,
    "interval_minutes" INTEGER NOT NULL,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,
    "last_run_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "item_checks_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "item_checks_next_run_at_idx" ON "item_checks"("next_run_at");

-- CreateIndex
CREATE INDEX "item_checks_item_id_idx" ON "item_checks"("item_id");

-- AddForeignKey
ALTER TABLE "item_checks" ADD CONSTRAINT "item_checks_item_id_fkey" FOREIGN KEY ("item_id") REFERENCES "checklist_items"("id") ON DELETE CASCADE ON UPDATE CASCADE;
