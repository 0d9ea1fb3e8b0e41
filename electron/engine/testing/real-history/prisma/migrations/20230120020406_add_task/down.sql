DROP TABLE "Task";
DROP TYPE "TaskStatus";
