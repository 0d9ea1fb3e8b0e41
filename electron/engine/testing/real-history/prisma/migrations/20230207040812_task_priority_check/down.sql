ALTER TABLE "Task" DROP CONSTRAINT "Task_priority_check";
ALTER TABLE "Task" DROP COLUMN "priority";
