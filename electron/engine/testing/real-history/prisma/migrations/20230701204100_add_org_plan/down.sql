ALTER TABLE "Organization" DROP COLUMN "plan";
