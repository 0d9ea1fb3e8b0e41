ALTER TABLE "Organization" DROP CONSTRAINT "Organization_slug_format";
ALTER TABLE "Organization" DROP COLUMN "slug";
