-- AlterTable
ALTER TABLE "patients" DROP COLUMN "phone_number";
