-- Archived flags set by the backfill are kept.
SELECT 1;
