-- AlterEnum
ALTER TYPE "SignInLinkPurpose" ADD VALUE 'RESET_PASSWORD';
