ALTER TABLE "Organization" DROP COLUMN "billingEmail";
