DROP INDEX CONCURRENTLY "Task_name_lower_idx";
