-- Hand-edited: built without blocking writes on a large table; must run outside a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS "Task_projectId_idx" ON "Task"("projectId");
