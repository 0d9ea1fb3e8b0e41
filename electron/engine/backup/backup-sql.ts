import { sqlLiteral } from '../history/history-table.ts';
import type { BackupTarget } from './find-targets.ts';

/**
 * The catalog of backups and the two functions that make and restore them, in the `godwit` schema (versioned names:
 * a changed function gets a new name). Sent inside every migration transaction that backs up or restores
 * (created when missing), so a migration that fails leaves no trace
 * of them, and a backup exists exactly when its migration committed. The functions resolve tables, keys and types
 * when they run, at the statement's place in the script: a table the same run created, a search_path the script
 * set, a previous migration of the same batch are all seen as the destroying statement sees them.
 */
export const BACKUP_SETUP_SQL = `DO $setup$
BEGIN
  -- Existence first: CREATE … IF NOT EXISTS checks privileges before existence, and a role that may not create
  -- schemas (or does not own the functions another role created) must still be able to use them.
  IF to_regnamespace('godwit') IS NULL THEN CREATE SCHEMA godwit; END IF;
  IF to_regclass('godwit.backups') IS NULL THEN
    CREATE TABLE godwit.backups (
      id text PRIMARY KEY,
      history_id text NOT NULL,
      migration_name text NOT NULL,
      seq int NOT NULL,
      kind text NOT NULL,
      table_schema text,
      table_name text,
      column_name text,
      column_type text,
      set_columns text[],
      key_columns text[],
      rows bigint NOT NULL DEFAULT 0,
      bytes bigint NOT NULL DEFAULT 0,
      restorable boolean NOT NULL,
      note text,
      created_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
  END IF;
  IF to_regprocedure('godwit.widens_v2(text,int,text,int)') IS NULL THEN
    -- numeric(p,s) keeps every value of numeric(p',s') with as many digits before the point and after it, and every
    -- integer of int2, int4, int8 with 5, 10, 19 digits before it (formbricks' int → numeric(65,30) was copied).
    CREATE FUNCTION godwit.widens_v2(o text, om int, n text, nm int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $gw$
  SELECT CASE
    WHEN n = 'text' THEN true
    WHEN o = n AND o IN ('varchar', 'varbit', 'bpchar', 'bit') THEN nm < 0 OR (om >= 0 AND nm >= om)
    WHEN o = n AND o = 'numeric' THEN nm < 0 OR (om >= 0 AND ((nm - 4) >> 16) - ((nm - 4) & 65535) >= ((om - 4) >> 16) - ((om - 4) & 65535)
                                                 AND ((nm - 4) & 65535) >= ((om - 4) & 65535))
    WHEN o = n AND o IN ('timestamp', 'timestamptz', 'time', 'timetz') THEN nm < 0 OR nm >= 6 OR (om >= 0 AND nm >= om)
    WHEN o = n THEN nm = om
    WHEN n = 'numeric' AND o IN ('int2', 'int4', 'int8') THEN nm < 0 OR ((nm - 4) >> 16) - ((nm - 4) & 65535) >= CASE o WHEN 'int2' THEN 5 WHEN 'int4' THEN 10 ELSE 19 END
    ELSE (o, n) IN (('int2', 'int4'), ('int2', 'int8'), ('int4', 'int8'), ('float4', 'float8'), ('int2', 'float8'), ('int4', 'float8'), ('varchar', 'text'), ('bpchar', 'varchar'))
         AND (n <> 'varchar' OR nm < 0)
  END
$gw$;
  END IF;
  -- Where a copied table lives once its migration renamed it (a rename keeps the oid).
  IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'godwit.backups'::regclass AND attname = 'table_oid' AND NOT attisdropped) THEN
    ALTER TABLE godwit.backups ADD COLUMN table_oid oid;
  END IF;
  IF to_regprocedure('godwit.copy_list_v2(regclass,text[])') IS NULL THEN
    -- The select list of a copy: a column of a type outside pg_catalog (an enum, a domain, an extension's type, an
    -- array of them) is kept as text, so no backup ever depends on a type a later migration drops.
    CREATE FUNCTION godwit.copy_list_v2(p_rel regclass, p_cols text[]) RETURNS text LANGUAGE sql STABLE AS $gw$
  SELECT string_agg(CASE WHEN tn.nspname = 'pg_catalog' THEN quote_ident(a.attname) ELSE format('%1$I::text AS %1$I', a.attname) END, ', ' ORDER BY a.attnum)
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid JOIN pg_namespace tn ON tn.oid = t.typnamespace
   WHERE a.attrelid = p_rel AND a.attnum > 0 AND NOT a.attisdropped AND (p_cols IS NULL OR a.attname = ANY (p_cols))
$gw$;
  END IF;
  IF to_regprocedure('godwit.backup_v4(text,text,int,text,text,text,text,int,text[],text,text[])') IS NULL THEN
    CREATE FUNCTION godwit.backup_v4(p_history text, p_migration text, p_seq int, p_kind text, p_table text, p_column text,
  p_new_type text, p_new_typmod int, p_set text[], p_rows text, p_new_cols text[]) RETURNS void LANGUAGE plpgsql AS $gw$
DECLARE
  v_rel regclass := to_regclass(p_table);
  v_id text := 'bk_' || left(replace(p_history, '-', ''), 16) || '_' || p_seq;
  v_schema text; v_name text; v_key text[]; v_type text; v_typname text; v_typmod int;
  v_sel text; v_ok boolean := true; v_note text; v_rows bigint;
  v_fk record; v_child_seq int; v_child_id text; v_any boolean;
BEGIN
  -- No such table: the statement fails by itself, or has IF EXISTS and destroys nothing.
  IF v_rel IS NULL THEN RETURN; END IF;
  SELECT n.nspname, c.relname INTO v_schema, v_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = v_rel;
  IF v_schema = 'godwit' THEN RETURN; END IF;
  -- The rows are matched again by a key that exists before and after the migration: the primary key, unless there is
  -- none or this migration added one of its columns (down.sql removes it); then a unique index on older NOT NULL columns.
  SELECT array_agg(a.attname::text ORDER BY k.ord) INTO v_key
    FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
   WHERE i.indrelid = v_rel AND i.indisprimary;
  IF v_key IS NULL OR v_key && p_new_cols THEN
    SELECT x.cols INTO v_key FROM (
      SELECT (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum) AS cols
        FROM pg_index i WHERE i.indrelid = v_rel AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL) x
     WHERE NOT (x.cols && p_new_cols)
       AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = v_rel AND a.attname = ANY (x.cols) AND NOT a.attnotnull)
     LIMIT 1;
  END IF;
  -- An UPDATE that changes key columns leaves no key to find its rows by afterwards.
  IF p_kind = 'update' AND v_key && p_set THEN v_key := NULL; END IF;
  IF p_column IS NOT NULL THEN
    SELECT format_type(a.atttypid, a.atttypmod), t.typname, a.atttypmod INTO v_type, v_typname, v_typmod
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = v_rel AND a.attname = p_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF v_type IS NULL THEN RETURN; END IF;
    -- A widening keeps every value: nothing to copy.
    IF p_kind = 'alter-type' AND p_new_type IS NOT NULL AND godwit.widens_v2(v_typname, v_typmod, p_new_type, p_new_typmod) THEN RETURN; END IF;
  END IF;
  IF p_kind IN ('drop-table', 'truncate') THEN
    v_sel := format('SELECT %s FROM %s', godwit.copy_list_v2(v_rel, NULL), v_rel);
  ELSIF p_kind IN ('drop-column', 'alter-type') THEN
    IF v_key IS NULL OR p_column = ANY (v_key) THEN
      v_ok := false;
      v_note := CASE WHEN v_key IS NULL THEN 'no key to match its rows again (no primary key, or one this migration added)' ELSE 'the column is part of the primary key' END
        || ': the whole table was copied for recovery by hand';
      v_sel := format('SELECT %s FROM %s', godwit.copy_list_v2(v_rel, NULL), v_rel);
    ELSE
      v_sel := format('SELECT %s FROM %s', godwit.copy_list_v2(v_rel, v_key || p_column), v_rel);
    END IF;
  ELSE
    -- p_rows: a query of the matched rows' ctids; NULL, every row (no WHERE); '' every row, because the statement's
    -- rows could not be told (a CTE that writes): rows are then put back only where their key is missing.
    IF p_kind = 'update' AND v_key IS NOT NULL THEN
      v_sel := format('SELECT %s FROM %s', godwit.copy_list_v2(v_rel, v_key || p_set), v_rel);
    ELSE
      v_sel := format('SELECT %s FROM %s', godwit.copy_list_v2(v_rel, NULL), v_rel);
    END IF;
    -- The clause ends on its own line: the statement's WHERE may end with a -- comment.
    v_sel := v_sel || CASE WHEN coalesce(p_rows, '') = '' THEN '' ELSE format(' WHERE ctid IN (%s' || E'\n' || ')', p_rows) END;
    IF v_key IS NULL AND (p_kind = 'update' OR p_rows = '') THEN
      v_ok := false;
      v_note := 'no key to match its rows again (no primary key, one this migration added, or one the UPDATE changes): '
        || CASE WHEN p_kind = 'update' THEN 'the old rows were copied for recovery by hand' ELSE 'every row was copied for recovery by hand' END;
    END IF;
  END IF;
  -- Nothing destroyed (an empty table, a WHERE matching no row): nothing to keep. Asked first: making and dropping
  -- an empty copy is ~8 ms of catalog work per statement, the question ~0.2 ms (a fresh CI database is all empty tables).
  EXECUTE format('SELECT EXISTS (%s' || E'\n' || ')', v_sel) INTO v_any;
  IF NOT v_any THEN RETURN; END IF;
  EXECUTE format('CREATE TABLE godwit.%I AS %s', v_id, v_sel);
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  -- The rows went between the question and the copy (another session's DELETE, under READ COMMITTED): nothing to keep.
  IF v_rows = 0 THEN
    EXECUTE format('DROP TABLE godwit.%I', v_id);
    RETURN;
  END IF;
  INSERT INTO godwit.backups (id, history_id, migration_name, seq, kind, table_schema, table_name, table_oid, column_name, column_type, set_columns, key_columns, rows, bytes, restorable, note)
  VALUES (v_id, p_history, p_migration, p_seq, p_kind, v_schema, v_name, v_rel, p_column, v_type, p_set, v_key, v_rows,
          pg_total_relation_size(format('godwit.%I', v_id)::regclass), v_ok, v_note);
  -- Rows an ON DELETE action will change in other tables go with these: a CASCADE's rows are copied whole (and their
  -- own cascades, by recursion), a SET NULL's or SET DEFAULT's key and foreign key columns; numbered apart (seq above
  -- 1,000,000) from the migration's statements. Rows are matched on the foreign key's columns as text (a copy may
  -- hold an enum as text).
  IF p_kind = 'delete' THEN
    FOR v_fk IN
      SELECT c.conrelid::regclass AS child, c.confdeltype::text AS action,
             (SELECT array_agg(a.attname::text ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS fk_names,
             (SELECT string_agg(format('ch.%I::text', a.attname), ', ' ORDER BY k.ord) FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS child_cols,
             (SELECT string_agg(format('b.%I::text', a.attname), ', ' ORDER BY k.ord) FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) AS parent_cols
        FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = v_rel AND c.conrelid <> v_rel AND c.confdeltype IN ('c', 'n', 'd')
    LOOP
      -- A SET NULL's rows are found again by their primary key; without one they are left (the preview says so).
      IF v_fk.action <> 'c' AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = v_fk.child AND i.indisprimary) THEN CONTINUE; END IF;
      SELECT greatest(1000000, coalesce(max(seq), 0)) + 1 INTO v_child_seq FROM godwit.backups WHERE history_id = p_history AND seq > 1000000;
      -- A cycle of cascades stops here rather than copying forever.
      IF v_child_seq > 1000100 THEN EXIT; END IF;
      v_child_id := 'bk_' || left(replace(p_history, '-', ''), 16) || '_' || v_child_seq;
      PERFORM godwit.backup_v4(p_history, p_migration, v_child_seq, CASE WHEN v_fk.action = 'c' THEN 'delete' ELSE 'update' END, v_fk.child::text, NULL, NULL, -1,
        CASE WHEN v_fk.action = 'c' THEN NULL ELSE v_fk.fk_names END,
        format('SELECT ch.ctid FROM %s AS ch WHERE (%s) IN (SELECT %s FROM godwit.%I AS b)', v_fk.child, v_fk.child_cols, v_fk.parent_cols, v_id), NULL);
      UPDATE godwit.backups SET note = format('rows ON DELETE %s %s with the rows of %s.%s', CASE v_fk.action WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' ELSE 'SET DEFAULT' END,
          CASE WHEN v_fk.action = 'c' THEN 'removes' ELSE 'changes' END, v_schema, v_name) WHERE id = v_child_id AND note IS NULL;
    END LOOP;
  END IF;
END
$gw$;
  END IF;
  IF to_regprocedure('godwit.value_v2(regclass,text,text)') IS NULL THEN
    -- A copied value as the restored column takes it: as is when the types agree, else through its text (a copy keeps
    -- enums and other non-catalog types as text).
    CREATE FUNCTION godwit.value_v2(p_rel regclass, p_copy text, p_col text) RETURNS text LANGUAGE sql STABLE AS $gw$
  SELECT CASE WHEN a.atttypid = b.atttypid AND a.atttypmod = b.atttypmod THEN format('b.%I', p_col)
              ELSE format('b.%I::text::%s', p_col, format_type(a.atttypid, a.atttypmod)) END
    FROM pg_attribute a JOIN pg_attribute b ON b.attrelid = format('godwit.%I', p_copy)::regclass AND b.attname = a.attname AND NOT b.attisdropped
   WHERE a.attrelid = p_rel AND a.attname = p_col AND NOT a.attisdropped
$gw$;
  END IF;
  IF to_regprocedure('godwit.enum_from_text_v1(regclass,text,text)') IS NULL THEN
    -- Whether column p_col of p_rel is an enum now and its copy in godwit.<p_copy> holds text (enums are copied so).
    CREATE FUNCTION godwit.enum_from_text_v1(p_rel regclass, p_copy text, p_col text) RETURNS boolean LANGUAGE sql STABLE AS $gw$
  SELECT coalesce((SELECT t.typtype = 'e' AND b.atttypid = 'text'::regtype
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    JOIN pg_attribute b ON b.attrelid = format('godwit.%I', p_copy)::regclass AND b.attname = a.attname AND NOT b.attisdropped
   WHERE a.attrelid = p_rel AND a.attname = p_col AND NOT a.attisdropped), false)
$gw$;
  END IF;
  IF to_regprocedure('godwit.digest_of_v1(godwit.backups)') IS NULL THEN
    -- How to read, row by row, what a copied ALTER COLUMN TYPE's column or UPDATE's columns hold now: the live table
    -- (by oid), a digest of the values' text and the key match; no table when a column or the key is gone.
    CREATE FUNCTION godwit.digest_of_v1(r godwit.backups, OUT rel regclass, OUT digest text, OUT match text) LANGUAGE plpgsql STABLE AS $gw$
DECLARE
  v_cols text[] := CASE WHEN r.kind = 'alter-type' THEN ARRAY[r.column_name] ELSE r.set_columns END;
BEGIN
  SELECT c.oid INTO rel FROM pg_class c WHERE c.oid = r.table_oid AND c.relkind IN ('r', 'p');
  IF rel IS NULL OR r.key_columns IS NULL OR v_cols IS NULL OR EXISTS (SELECT 1 FROM unnest(v_cols || r.key_columns) AS k(c)
       WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = rel AND a.attname = k.c AND a.attnum > 0 AND NOT a.attisdropped)) THEN
    rel := NULL;
    RETURN;
  END IF;
  digest := format('md5(ROW(%s)::text)', (SELECT string_agg(format('t.%I', c), ', ') FROM unnest(v_cols) AS c));
  match := (SELECT string_agg(format('t.%1$I = b.%1$I', k), ' AND ') FROM unnest(r.key_columns) AS k);
END
$gw$;
  END IF;
  -- A rollback puts back an ALTER COLUMN TYPE's or an UPDATE's copied values only in the rows still holding what the
  -- migration left: digests_v1('after') at the end of the upgrade keeps a digest of each row's values, and
  -- digests_v1('same') before down.sql marks the rows that still match it. Rows written since the upgrade keep their
  -- values (as down.sql converts them). The text is read under fixed settings: a session's time zone or date style
  -- must not make an unchanged row look changed.
  IF to_regprocedure('godwit.digests_v1(text,text)') IS NULL THEN
    CREATE FUNCTION godwit.digests_v1(p_history text, p_when text) RETURNS void LANGUAGE plpgsql
      SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, YMD' SET "IntervalStyle" = 'postgres' SET extra_float_digits = 3 SET bytea_output = 'hex' SET lc_monetary = 'C' AS $gw$
DECLARE
  r godwit.backups; d record;
BEGIN
  FOR r IN SELECT * FROM godwit.backups WHERE history_id = p_history AND kind IN ('alter-type', 'update') AND restorable LOOP
    SELECT * INTO d FROM godwit.digest_of_v1(r);
    CONTINUE WHEN d.rel IS NULL;
    IF p_when = 'after' THEN
      EXECUTE format('ALTER TABLE godwit.%I ADD COLUMN IF NOT EXISTS godwit_after text', r.id);
      EXECUTE format('UPDATE godwit.%I AS b SET godwit_after = %s FROM %s AS t WHERE %s', r.id, d.digest, d.rel, d.match);
    ELSIF EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = format('godwit.%I', r.id)::regclass AND a.attname = 'godwit_after' AND NOT a.attisdropped) THEN
      EXECUTE format('ALTER TABLE godwit.%I ADD COLUMN IF NOT EXISTS godwit_same boolean', r.id);
      -- A row the migration itself deleted (no digest) and nobody brought back is unchanged too: its DELETE's copy
      -- puts it back, and this copy then gives it its old values.
      EXECUTE format('UPDATE godwit.%I AS b SET godwit_same = (b.godwit_after IS NOT DISTINCT FROM (SELECT %s FROM %s AS t WHERE %s))', r.id, d.digest, d.rel, d.match);
    END IF;
  END LOOP;
END
$gw$;
  END IF;
  IF to_regprocedure('godwit.restore_one_v4(godwit.backups)') IS NULL THEN
    -- Returns a sentence when rows changed since the upgrade kept their values (digests_v1), else NULL.
    CREATE FUNCTION godwit.restore_one_v4(r godwit.backups) RETURNS text LANGUAGE plpgsql AS $gw$
DECLARE
  v_rel regclass; v_cols text; v_vals text; v_type text; v_match text; v_missing text; v_seq record; v_kept bigint := 0;
BEGIN
  IF NOT r.restorable THEN
    RAISE EXCEPTION 'Godwit cannot restore backup % of %.%: %', r.id, r.table_schema, r.table_name, r.note
      USING HINT = 'Roll back with --no-restore to keep the backup without restoring it.';
  END IF;
  -- The table by the oid it had when copied (down.sql may have renamed it back), else by name (recreated).
  SELECT c.oid INTO v_rel FROM pg_class c WHERE c.oid = r.table_oid AND c.relkind IN ('r', 'p');
  v_rel := coalesce(v_rel, to_regclass(format('%I.%I', r.table_schema, r.table_name)));
  IF v_rel IS NULL THEN
    RAISE EXCEPTION 'Godwit cannot restore backup %: down.sql did not recreate table %.%', r.id, r.table_schema, r.table_name;
  END IF;
  SELECT string_agg(quote_ident(c), ', ') INTO v_missing FROM unnest(coalesce(r.key_columns, '{}') || r.column_name || coalesce(r.set_columns, '{}')) AS c
   WHERE c IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = v_rel AND a.attname = c AND a.attnum > 0 AND NOT a.attisdropped);
  IF v_missing IS NOT NULL THEN
    RAISE EXCEPTION 'Godwit cannot restore backup % into %: column(s) % do not exist after down.sql', r.id, v_rel, v_missing;
  END IF;
  v_match := (SELECT string_agg(format('t.%1$I = b.%1$I', k), ' AND ') FROM unnest(r.key_columns) AS k);
  IF r.kind IN ('drop-table', 'truncate', 'delete') THEN
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum), string_agg(godwit.value_v2(v_rel, r.id, a.attname), ', ' ORDER BY a.attnum) INTO v_cols, v_vals
      FROM pg_attribute a
     WHERE a.attrelid = v_rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
       AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = format('godwit.%I', r.id)::regclass AND b.attname = a.attname AND b.attnum > 0 AND NOT b.attisdropped);
    -- Rows whose key is there already (inserted since, or never removed: a copy of every row) are not inserted twice.
    EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM godwit.%I AS b', v_rel, v_cols, v_vals, r.id)
      || CASE WHEN v_match IS NULL THEN '' ELSE format(' WHERE NOT EXISTS (SELECT 1 FROM %s AS t WHERE %s)', v_rel, v_match) END;
    -- Sequences of serial and identity columns continue after the restored values.
    FOR v_seq IN SELECT a.attname, pg_get_serial_sequence(v_rel::text, a.attname) AS s FROM pg_attribute a
                  WHERE a.attrelid = v_rel AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence(v_rel::text, a.attname) IS NOT NULL LOOP
      EXECUTE format('SELECT setval(%L, m) FROM (SELECT max(%I)::bigint AS m FROM %s) x WHERE m IS NOT NULL AND m > (SELECT last_value FROM %s)', v_seq.s, v_seq.attname, v_rel, v_seq.s);
    END LOOP;
  ELSIF r.kind IN ('drop-column', 'alter-type') THEN
    SELECT format_type(a.atttypid, a.atttypmod) INTO v_type FROM pg_attribute a WHERE a.attrelid = v_rel AND a.attname = r.column_name AND NOT a.attisdropped;
    -- An enum's values were copied as text: they go back into an enum of another name (a migration that renamed the
    -- type to E_old while it re-created E) through their text, and a value the enum lacks stops the rollback.
    IF v_type IS DISTINCT FROM r.column_type AND NOT godwit.enum_from_text_v1(v_rel, r.id, r.column_name) THEN
      RAISE EXCEPTION 'Godwit cannot restore column %.% from backup %: it is % now, it was % when copied', v_rel, r.column_name, r.id, v_type, r.column_type
        USING HINT = 'Make down.sql give the column its former type, or roll back with --no-restore.';
    END IF;
  END IF;
  IF r.kind IN ('alter-type', 'update') AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = format('godwit.%I', r.id)::regclass AND a.attname = 'godwit_same' AND NOT a.attisdropped) THEN
    -- Only the rows that still held what the migration left when the rollback began: the others were written since.
    EXECUTE format('SELECT count(*) FROM godwit.%I AS b JOIN %s AS t ON %s WHERE NOT b.godwit_same', r.id, v_rel, v_match) INTO v_kept;
    v_match := v_match || ' AND b.godwit_same';
  END IF;
  IF r.kind IN ('drop-column', 'alter-type') THEN
    EXECUTE format('UPDATE %s AS t SET %I = %s FROM godwit.%I AS b WHERE %s', v_rel, r.column_name, godwit.value_v2(v_rel, r.id, r.column_name), r.id, v_match);
  ELSIF r.kind NOT IN ('drop-table', 'truncate', 'delete') THEN
    EXECUTE format('UPDATE %s AS t SET %s FROM godwit.%I AS b WHERE %s', v_rel,
      (SELECT string_agg(format('%I = %s', c, godwit.value_v2(v_rel, r.id, c)), ', ') FROM unnest(r.set_columns) AS c), r.id, v_match);
  END IF;
  EXECUTE format('DROP TABLE godwit.%I', r.id);
  IF v_kept > 0 THEN
    RETURN format('%s row(s) of %s.%s changed since the upgrade kept their values', v_kept, r.table_schema || '.' || r.table_name,
      coalesce(r.column_name, array_to_string(r.set_columns, ', ')));
  END IF;
  RETURN NULL;
END
$gw$;
  END IF;
  IF to_regprocedure('godwit.restore_v4(text)') IS NULL THEN
    -- Newest copy first (a later statement's copy holds values an earlier one changed), except that rows go back into
    -- a referenced table before anything that references it is put back (Prisma drops tables in name order, children
    -- included; a SET NULL's foreign keys are set again once their rows exist).
    -- Returns what restore_one_v4 said of rows kept, joined, or NULL.
    CREATE FUNCTION godwit.restore_v4(p_history text) RETURNS text LANGUAGE plpgsql AS $gw$
DECLARE
  v_pending text[]; v_next text; v_id text; r godwit.backups; v_said text[] := '{}'; v_one text;
BEGIN
  SELECT array_agg(id ORDER BY seq DESC) INTO v_pending FROM godwit.backups WHERE history_id = p_history AND kind <> 'skipped';
  WHILE coalesce(array_length(v_pending, 1), 0) > 0 LOOP
    v_next := NULL;
    FOREACH v_id IN ARRAY v_pending LOOP
      SELECT * INTO r FROM godwit.backups WHERE id = v_id;
      -- Any copy waits while rows of a table it references are still to be reinserted (its foreign keys need them).
      IF NOT EXISTS (
        SELECT 1 FROM godwit.backups p JOIN pg_constraint f ON f.contype = 'f'
                 AND f.conrelid = to_regclass(format('%I.%I', r.table_schema, r.table_name))
                 AND f.confrelid = to_regclass(format('%I.%I', p.table_schema, p.table_name)) AND f.confrelid <> f.conrelid
         WHERE p.id = ANY (v_pending) AND p.id <> r.id AND p.kind IN ('drop-table', 'truncate', 'delete')) THEN
        v_next := v_id;
        EXIT;
      END IF;
    END LOOP;
    v_next := coalesce(v_next, v_pending[1]); -- a cycle of foreign keys: in order, and the constraint decides
    SELECT * INTO r FROM godwit.backups WHERE id = v_next;
    v_one := godwit.restore_one_v4(r);
    IF v_one IS NOT NULL THEN v_said := v_said || v_one; END IF;
    v_pending := array_remove(v_pending, v_next);
  END LOOP;
  DELETE FROM godwit.backups WHERE history_id = p_history;
  RETURN nullif(array_to_string(v_said, '; '), '');
END
$gw$;
  END IF;
END
$setup$`;

const literalOrNull = (v: string | null) => (v === null ? 'NULL' : sqlLiteral(v));
const textArray = (a: string[]) => (a.length ? `ARRAY[${a.map(sqlLiteral).join(', ')}]::text[]` : 'NULL::text[]');

/** The call that copies what `target` will destroy, sent just before its statement. */
export function backupCallSql(historyIdSql: string, migration: string, seq: number, target: BackupTarget): string {
  const args = [
    historyIdSql, sqlLiteral(migration), String(seq), sqlLiteral(target.kind), sqlLiteral(target.table), literalOrNull(target.column),
    literalOrNull(target.newType?.name ?? null), String(target.newType?.typmod ?? -1), textArray(target.setColumns), literalOrNull(target.rowsQuery),
    textArray(target.newColumns),
  ];
  return `SELECT godwit.backup_v4(${args.join(', ')}) AS godwit_backup`;
}

/** A migration run with --no-backup: the catalog says so, in the migration's transaction (listed, audited). */
export function skippedRecordSql(historyIdSql: string, migration: string, reason: string): string {
  return `INSERT INTO godwit.backups (id, history_id, migration_name, seq, kind, restorable, note)
  VALUES ('skipped_' || replace(${historyIdSql}, '-', ''), ${historyIdSql}, ${sqlLiteral(migration)}, 0, 'skipped', false, ${sqlLiteral(reason)})`;
}

/**
 * Before restoring: a column the migration renamed (`RENAME COLUMN a TO b`) and down.sql renamed back is restored under
 * its name again, as its copy was made under the new one (inbox-zero renamed responseTimeMs to responseTimeMins and
 * divided it: the rollback refused to restore). Only where the table has `a` again and no `b`; the copies' columns and
 * the catalog's names follow.
 */
export function copiesFollowRenamesSql(historyTable: string, migration: string, renames: { old: string; new: string }[]): string {
  const pairs = renames.map((r) => `(${sqlLiteral(r.old)}, ${sqlLiteral(r.new)})`).join(', ');
  return `DO $gw$
DECLARE b record;
BEGIN
  FOR b IN SELECT k.id, r.o, r.n FROM godwit.backups k CROSS JOIN (VALUES ${pairs}) AS r(o, n)
            WHERE k.history_id IN (SELECT "id" FROM ${historyTable} WHERE ${appliedRow(migration)})
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.table_oid AND a.attname = r.o AND a.attnum > 0 AND NOT a.attisdropped)
              AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = k.table_oid AND a.attname = r.n AND a.attnum > 0 AND NOT a.attisdropped)
              AND (k.column_name = r.n OR r.n = ANY (k.set_columns) OR r.n = ANY (k.key_columns)
                   OR EXISTS (SELECT 1 FROM pg_attribute c WHERE c.attrelid = to_regclass(format('godwit.%I', k.id)) AND c.attname = r.n AND NOT c.attisdropped))
  LOOP
    UPDATE godwit.backups SET column_name = CASE WHEN column_name = b.n THEN b.o ELSE column_name END,
      set_columns = array_replace(set_columns, b.n, b.o), key_columns = array_replace(key_columns, b.n, b.o) WHERE id = b.id;
    IF EXISTS (SELECT 1 FROM pg_attribute c WHERE c.attrelid = to_regclass(format('godwit.%I', b.id)) AND c.attname = b.n AND NOT c.attisdropped) THEN
      EXECUTE format('ALTER TABLE godwit.%I RENAME COLUMN %I TO %I', b.id, b.n, b.o);
    END IF;
  END LOOP;
END $gw$`;
}

/** The applied history row of `migration` (the one its backups belong to), as a WHERE condition. */
const appliedRow = (migration: string) => `"migration_name" = ${sqlLiteral(migration)} AND "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;

/** Restores every backup of the applied row of `migration`, newest first, then forgets them; says what it kept. */
export function restoreCallSql(historyTable: string, migration: string): string {
  return `SELECT godwit.restore_v4("id") AS ${RESTORE_COLUMN}, ${sqlLiteral(migration)}::text AS godwit_restored FROM ${historyTable} WHERE ${appliedRow(migration)}`;
}

/** The column of restoreCallSql's row that says which rows kept the values written since the upgrade. */
export const RESTORE_COLUMN = 'godwit_restore';

/** Sent at the end of an upgrade that copies an ALTER COLUMN TYPE's or an UPDATE's values: what the migration left. */
export function afterDigestsSql(historyIdSql: string): string {
  return `SELECT godwit.digests_v1(${historyIdSql}, 'after') AS godwit_digests`;
}

/** Sent before a down.sql whose migration copied such values: which rows still hold what it left. */
export function sameDigestsSql(historyTable: string, migration: string): string {
  return `SELECT godwit.digests_v1("id", 'same') AS godwit_digests FROM ${historyTable} WHERE ${appliedRow(migration)}`;
}
