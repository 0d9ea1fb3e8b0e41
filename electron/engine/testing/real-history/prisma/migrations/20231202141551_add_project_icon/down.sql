ALTER TABLE "Project" DROP COLUMN "icon";
