-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "seats" INTEGER NOT NULL DEFAULT 1;
