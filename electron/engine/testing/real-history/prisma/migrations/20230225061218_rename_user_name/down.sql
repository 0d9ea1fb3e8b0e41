ALTER TABLE "User" RENAME COLUMN "displayName" TO "name";
