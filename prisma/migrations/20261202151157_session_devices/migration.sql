-- AlterTable
ALTER TABLE "user_sessions" ADD COLUMN     "end_reason" TEXT,
ADD COLUMN     "ip_address" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "user_agent" TEXT NOT NULL DEFAULT '';
