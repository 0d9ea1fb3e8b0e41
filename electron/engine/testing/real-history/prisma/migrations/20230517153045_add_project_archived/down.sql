ALTER TABLE "Project" DROP COLUMN "archived";
