-- AlterTable
ALTER TABLE "Task" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 0;

-- Hand-written: Prisma cannot express CHECK constraints.
ALTER TABLE "Task" ADD CONSTRAINT "Task_priority_check" CHECK ("priority" BETWEEN 0 AND 10);
