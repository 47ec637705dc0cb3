-- CreateEnum
CREATE TYPE "SignoffSlot" AS ENUM ('DEVOPS', 'DBA', 'SECURITY', 'GO_LIVE');

-- CreateEnum
CREATE TYPE "SignoffDecision" AS ENUM ('APPROVED', 'REJECTED');

-- CreateEnum
CREATE TYPE "SignoffState" AS ENUM ('CURRENT', 'STALE', 'SUPERSEDED');

-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "live_at" TIMESTAMPTZ(3),
ADD COLUMN     "owners_may_approve" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "required_slots" "SignoffSlot"[] DEFAULT ARRAY['DEVOPS', 'DBA', 'SECURITY', 'GO_LIVE']::"SignoffSlot"[];

-- CreateTable
CREATE TABLE "signoffs" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "slot" "SignoffSlot" NOT NULL,
    "round" INTEGER NOT NULL,
    "current_slot" "SignoffSlot",
    "state" "SignoffState" NOT NULL DEFAULT 'CURRENT',
    "decision" "SignoffDecision" NOT NULL,
    "approver_id" UUID,
    "approver_name" TEXT NOT NULL,
    "approver_title" TEXT NOT NULL,
    "capacity" "ProjectRole" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "reason" TEXT,
    "digest" TEXT NOT NULL,
    "scope" JSONB NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stale_at" TIMESTAMPTZ(3),
    "stale_cause" JSONB,

    CONSTRAINT "signoffs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "go_lives" (
    "id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "marked_by_id" UUID,
    "marked_by_name" TEXT NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "snapshot" JSONB NOT NULL,

    CONSTRAINT "go_lives_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_tokens" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "project_id" UUID,
    "created_by_id" UUID NOT NULL,
    "created_by_name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "signoffs_project_id_slot_idx" ON "signoffs"("project_id", "slot");

-- CreateIndex
CREATE UNIQUE INDEX "signoffs_project_id_slot_round_key" ON "signoffs"("project_id", "slot", "round");

-- CreateIndex
CREATE UNIQUE INDEX "signoffs_project_id_current_slot_key" ON "signoffs"("project_id", "current_slot");

-- CreateIndex
CREATE INDEX "go_lives_project_id_marked_at_idx" ON "go_lives"("project_id", "marked_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_tokens_token_hash_key" ON "api_tokens"("token_hash");

-- CreateIndex
CREATE INDEX "api_tokens_project_id_idx" ON "api_tokens"("project_id");

-- AddForeignKey
ALTER TABLE "signoffs" ADD CONSTRAINT "signoffs_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "go_lives" ADD CONSTRAINT "go_lives_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
