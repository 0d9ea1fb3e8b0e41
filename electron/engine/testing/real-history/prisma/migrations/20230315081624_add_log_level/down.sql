DROP TABLE "TaskLog";
DROP TYPE "LogLevel";
