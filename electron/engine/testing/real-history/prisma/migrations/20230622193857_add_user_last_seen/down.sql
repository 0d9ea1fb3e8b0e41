DROP INDEX "User_lastSeenAt_idx";
ALTER TABLE "User" DROP COLUMN "lastSeenAt";
