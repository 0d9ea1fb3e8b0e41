ALTER TABLE "Task" DROP CONSTRAINT "Task_estimate_positive";
