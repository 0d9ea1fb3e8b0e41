ALTER TABLE "Project" DROP COLUMN "isPublic";
