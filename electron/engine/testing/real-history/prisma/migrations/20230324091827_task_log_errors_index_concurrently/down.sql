DROP INDEX CONCURRENTLY "TaskLog_errors_idx";
