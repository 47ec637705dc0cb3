-- AlterTable
ALTER TABLE "projects" ADD COLUMN     "approve_with_open_items" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "signoffs" ADD COLUMN     "open_items" INTEGER NOT NULL DEFAULT 0;
