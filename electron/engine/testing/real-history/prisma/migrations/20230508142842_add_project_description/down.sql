ALTER TABLE "Project" DROP COLUMN "description";
