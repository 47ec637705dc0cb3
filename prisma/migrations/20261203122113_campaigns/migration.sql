-- AlterTable
ALTER TABLE "checklist_items" ADD COLUMN     "campaign_id" UUID;

-- CreateTable
CREATE TABLE "campaigns" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "brief" TEXT NOT NULL DEFAULT '',
    "items" JSONB NOT NULL DEFAULT '[]',
    "team_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "template_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "project_ids" UUID[] DEFAULT ARRAY[]::UUID[],
    "starts_on" DATE NOT NULL,
    "due_on" DATE NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "created_by_id" UUID,
    "created_by_name" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "campaigns_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign_projects" (
    "id" UUID NOT NULL,
    "campaign_id" UUID NOT NULL,
    "project_id" UUID NOT NULL,
    "section_id" UUID,
    "applied_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_projects_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "campaigns_slug_key" ON "campaigns"("slug");

-- CreateIndex
CREATE INDEX "campaign_projects_project_id_idx" ON "campaign_projects"("project_id");

-- CreateIndex
CREATE UNIQUE INDEX "campaign_projects_campaign_id_project_id_key" ON "campaign_projects"("campaign_id", "project_id");

-- CreateIndex
CREATE INDEX "checklist_items_campaign_id_project_id_idx" ON "checklist_items"("campaign_id", "project_id");

-- AddForeignKey
ALTER TABLE "campaign_projects" ADD CONSTRAINT "campaign_projects_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaigns"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "campaign_projects" ADD CONSTRAINT "campaign_projects_project_id_fkey" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE CASCADE;
