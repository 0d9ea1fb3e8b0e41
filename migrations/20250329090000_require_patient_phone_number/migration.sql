-- Backfill: patients created before phone numbers were collected get an empty one.
UPDATE "patients" SET "phone_number" = '' WHERE "phone_number" IS NULL;

-- AlterTable
ALTER TABLE "patients" ALTER COLUMN "phone_number" SET NOT NULL;
