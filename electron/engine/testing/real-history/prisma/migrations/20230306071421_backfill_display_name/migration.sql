-- Data backfill; a semicolon inside a literal: ';' must not split the statement.
UPDATE "User" SET "displayName" = split_part("email", '@', 1) || ';' WHERE "displayName" IS NULL;
