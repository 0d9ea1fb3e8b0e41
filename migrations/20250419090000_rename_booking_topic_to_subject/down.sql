-- AlterTable
ALTER TABLE "booking_requests" RENAME COLUMN "subject" TO "topic";
