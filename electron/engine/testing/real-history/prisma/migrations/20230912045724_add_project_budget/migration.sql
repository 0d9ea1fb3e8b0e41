-- AlterTable
ALTER TABLE "Project" ADD COLUMN "budget" DECIMAL(65,30);
