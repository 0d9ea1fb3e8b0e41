-- AlterTable
ALTER TABLE "Project" ADD COLUMN "icon" TEXT;
