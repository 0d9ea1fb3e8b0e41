-- Data backfill in a DO block (semicolons inside dollar quotes).
DO $$
DECLARE
  n integer;
BEGIN
  UPDATE "Project" SET "archived" = true WHERE "updatedAt" < now() - interval '2 years';
  GET DIAGNOSTICS n = ROW_COUNT;
  RAISE NOTICE 'archived % projects; done', n;
END
$$;
