DROP TRIGGER "Project_touch_updated_at" ON "Project";
DROP FUNCTION touch_updated_at();
ALTER TABLE "Project" DROP COLUMN "updatedAt";
