DROP INDEX "Event_projectId_createdAt_idx";
