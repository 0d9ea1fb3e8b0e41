CREATE INDEX CONCURRENTLY "TaskLog_errors_idx" ON "TaskLog"("taskId") WHERE "level" = 'ERROR';
