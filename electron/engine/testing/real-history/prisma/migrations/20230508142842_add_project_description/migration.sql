-- AlterTable
ALTER TABLE "Project" ADD COLUMN "description" TEXT;
