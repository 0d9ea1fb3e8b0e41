ALTER TABLE "Task" DROP COLUMN "metadata";
