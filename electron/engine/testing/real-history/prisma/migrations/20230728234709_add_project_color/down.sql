ALTER TABLE "Project" DROP COLUMN "color";
