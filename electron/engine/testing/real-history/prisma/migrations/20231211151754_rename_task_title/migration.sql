-- Hand-edited: Prisma proposed DROP + ADD; a rename keeps the data.
ALTER TABLE "Task" RENAME COLUMN "title" TO "name";
