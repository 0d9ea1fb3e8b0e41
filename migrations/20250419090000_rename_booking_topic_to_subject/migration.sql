-- AlterTable (edited: Prisma proposes DROP + ADD, which loses data; a rename keeps it)
ALTER TABLE "booking_requests" RENAME COLUMN "topic" TO "subject";
