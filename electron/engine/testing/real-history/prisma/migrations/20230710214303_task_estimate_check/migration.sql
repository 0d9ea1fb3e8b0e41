ALTER TABLE "Task" ADD CONSTRAINT "Task_estimate_positive" CHECK ("estimateMinutes" IS NULL OR "estimateMinutes" > 0);
