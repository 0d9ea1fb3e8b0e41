CREATE INDEX CONCURRENTLY "Task_name_lower_idx" ON "Task" (lower("name"));
