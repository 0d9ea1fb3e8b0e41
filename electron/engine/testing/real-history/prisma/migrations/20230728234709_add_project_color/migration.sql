-- AlterTable
ALTER TABLE "Project" ADD COLUMN "color" VARCHAR(7);
