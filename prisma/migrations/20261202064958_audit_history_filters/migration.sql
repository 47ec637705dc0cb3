-- CreateTable
CREATE TABLE "audit_verified_head" (
    "id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3),
    "verified_at" TIMESTAMPTZ(3) NOT NULL,
    "fully_verified_at" TIMESTAMPTZ(3),
    "broken_seq" BIGINT,
    "broken_reason" TEXT,
    "broken_message" TEXT,
    "broken_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_verified_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_events_action_occurred_at_id_idx" ON "audit_events"("action", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_entity_type_occurred_at_id_idx" ON "audit_events"("entity_type", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_project_id_action_occurred_at_id_idx" ON "audit_events"("project_id", "action", "occurred_at", "id");

-- CreateIndex
CREATE INDEX "audit_events_project_id_entity_type_occurred_at_id_idx" ON "audit_events"("project_id", "entity_type", "occurred_at", "id");

-- One row, as for the chain head.
ALTER TABLE "audit_verified_head" ADD CONSTRAINT "audit_verified_head_one_row" CHECK ("id" = 1);
