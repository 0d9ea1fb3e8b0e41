ALTER TABLE "Task" DROP COLUMN "estimateMinutes";
