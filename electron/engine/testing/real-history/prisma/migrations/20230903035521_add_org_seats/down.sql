ALTER TABLE "Organization" DROP COLUMN "seats";
