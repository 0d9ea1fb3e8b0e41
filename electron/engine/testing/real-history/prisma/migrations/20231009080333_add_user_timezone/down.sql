ALTER TABLE "User" DROP COLUMN "timezone";
