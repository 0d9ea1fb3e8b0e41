DROP INDEX "Task_dueAt_idx";
ALTER TABLE "Task" DROP COLUMN "dueAt";
