-- PostgreSQL cannot drop an enum value: rebuild the type without it (as Prisma does).
UPDATE "Task" SET "status" = 'DONE' WHERE "status" = 'FAILED';
CREATE TYPE "TaskStatus_new" AS ENUM ('PENDING', 'RUNNING', 'DONE');
ALTER TABLE "Task" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "Task" ALTER COLUMN "status" TYPE "TaskStatus_new" USING ("status"::text::"TaskStatus_new");
ALTER TYPE "TaskStatus" RENAME TO "TaskStatus_old";
ALTER TYPE "TaskStatus_new" RENAME TO "TaskStatus";
DROP TYPE "TaskStatus_old";
ALTER TABLE "Task" ALTER COLUMN "status" SET DEFAULT 'PENDING';
