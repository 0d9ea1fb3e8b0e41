ALTER TABLE "User" DROP COLUMN "avatarUrl";
