ALTER TABLE "Task" RENAME COLUMN "name" TO "title";
