-- AlterTable
ALTER TABLE "patients" ADD COLUMN     "phone_number" TEXT;
