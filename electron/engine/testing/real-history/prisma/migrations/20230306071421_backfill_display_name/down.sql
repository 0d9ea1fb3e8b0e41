-- The backfilled names are kept: there is nothing to reverse.
SELECT 1;
