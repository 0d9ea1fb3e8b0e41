ALTER TABLE "Project" DROP COLUMN "budget";
