ALTER TABLE "Task" DROP CONSTRAINT "Task_priority_check";
ALTER TABLE "Task" ADD CONSTRAINT "Task_priority_check" CHECK ("priority" BETWEEN 0 AND 100);
