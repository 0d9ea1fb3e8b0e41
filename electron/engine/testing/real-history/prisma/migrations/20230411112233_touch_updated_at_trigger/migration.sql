-- AlterTable
ALTER TABLE "Project" ADD COLUMN "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- Hand-written: a function body with semicolons, and a trigger.
CREATE OR REPLACE FUNCTION touch_updated_at() RETURNS trigger AS $$
BEGIN
  NEW."updatedAt" := now();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "Project_touch_updated_at" BEFORE UPDATE ON "Project"
  FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
