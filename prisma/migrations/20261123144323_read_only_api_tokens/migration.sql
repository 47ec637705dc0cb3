-- CreateEnum
CREATE TYPE "ApiTokenScope" AS ENUM ('GATE', 'READ');

-- AlterTable
ALTER TABLE "api_tokens" ADD COLUMN     "scope" "ApiTokenScope" NOT NULL DEFAULT 'GATE';
