DROP INDEX "Task_externalRef_idx";
ALTER TABLE "Task" DROP COLUMN "externalRef";
