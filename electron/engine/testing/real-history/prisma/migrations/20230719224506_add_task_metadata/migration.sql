-- AlterTable
ALTER TABLE "Task" ADD COLUMN "metadata" JSONB;
