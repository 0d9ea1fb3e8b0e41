-- AlterTable
ALTER TABLE "Organization" ADD COLUMN "slug" TEXT;

-- Backfill, then a CHECK added NOT VALID and validated separately (no long lock).
UPDATE "Organization" SET "slug" = lower(regexp_replace("name", '[^a-zA-Z0-9]+', '-', 'g')) WHERE "slug" IS NULL;
ALTER TABLE "Organization" ADD CONSTRAINT "Organization_slug_format" CHECK ("slug" ~ '^[a-z0-9-]*$') NOT VALID;
ALTER TABLE "Organization" VALIDATE CONSTRAINT "Organization_slug_format";
