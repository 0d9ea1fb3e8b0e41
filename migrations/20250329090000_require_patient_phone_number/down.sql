-- AlterTable
ALTER TABLE "patients" ALTER COLUMN "phone_number" DROP NOT NULL;
