ALTER TABLE "Task" DROP COLUMN "completedAt";
