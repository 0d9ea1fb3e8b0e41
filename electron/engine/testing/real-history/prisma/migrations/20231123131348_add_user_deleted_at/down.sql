DROP INDEX "User_deletedAt_idx";
ALTER TABLE "User" DROP COLUMN "deletedAt";
