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
  IF to_regprocedure('godwit.widens_v1(text,int,text,int)') IS NULL THEN
    CREATE FUNCTION godwit.widens_v1(o text, om int, n text, nm int) RETURNS boolean LANGUAGE sql IMMUTABLE AS $gw$
  SELECT CASE
    WHEN n = 'text' THEN true
    WHEN o = n AND o IN ('varchar', 'varbit', 'bpchar', 'bit') THEN nm < 0 OR (om >= 0 AND nm >= om)
    WHEN o = n AND o = 'numeric' THEN nm < 0 OR (om >= 0 AND ((nm - 4) & 65535) = ((om - 4) & 65535) AND nm >= om)
    WHEN o = n AND o IN ('timestamp', 'timestamptz', 'time', 'timetz') THEN nm < 0 OR nm >= 6 OR (om >= 0 AND nm >= om)
    WHEN o = n THEN nm = om
    WHEN n = 'numeric' AND nm < 0 AND o IN ('int2', 'int4', 'int8') THEN true
    ELSE (o, n) IN (('int2', 'int4'), ('int2', 'int8'), ('int4', 'int8'), ('float4', 'float8'), ('int2', 'float8'), ('int4', 'float8'), ('varchar', 'text'), ('bpchar', 'varchar'))
         AND (n <> 'varchar' OR nm < 0)
  END
$gw$;
  END IF;
  IF to_regprocedure('godwit.backup_v1(text,text,int,text,text,text,text,int,text[],text)') IS NULL THEN
    CREATE FUNCTION godwit.backup_v1(p_history text, p_migration text, p_seq int, p_kind text, p_table text, p_column text,
  p_new_type text, p_new_typmod int, p_set text[], p_rows text) RETURNS void LANGUAGE plpgsql AS $gw$
DECLARE
  v_rel regclass := to_regclass(p_table);
  v_id text := 'bk_' || left(replace(p_history, '-', ''), 16) || '_' || p_seq;
  v_schema text; v_name text; v_key text[]; v_type text; v_typname text; v_typmod int;
  v_sel text; v_ok boolean := true; v_note text; v_rows bigint;
BEGIN
  -- No such table: the statement fails by itself, or has IF EXISTS and destroys nothing.
  IF v_rel IS NULL THEN RETURN; END IF;
  SELECT n.nspname, c.relname INTO v_schema, v_name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = v_rel;
  IF v_schema = 'godwit' THEN RETURN; END IF;
  SELECT array_agg(a.attname::text ORDER BY k.ord) INTO v_key
    FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
   WHERE i.indrelid = v_rel AND i.indisprimary;
  IF p_column IS NOT NULL THEN
    SELECT format_type(a.atttypid, a.atttypmod), t.typname, a.atttypmod INTO v_type, v_typname, v_typmod
      FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
     WHERE a.attrelid = v_rel AND a.attname = p_column AND a.attnum > 0 AND NOT a.attisdropped;
    IF v_type IS NULL THEN RETURN; END IF;
    -- A widening keeps every value: nothing to copy.
    IF p_kind = 'alter-type' AND p_new_type IS NOT NULL AND godwit.widens_v1(v_typname, v_typmod, p_new_type, p_new_typmod) THEN RETURN; END IF;
  END IF;
  IF p_kind IN ('drop-table', 'truncate') THEN
    v_sel := format('SELECT * FROM %s', v_rel);
  ELSIF p_kind IN ('drop-column', 'alter-type') THEN
    IF v_key IS NULL OR p_column = ANY (v_key) THEN
      v_ok := false;
      v_note := CASE WHEN v_key IS NULL THEN 'the table has no primary key' ELSE 'the column is part of the primary key' END
        || ': its rows cannot be matched again, so the whole table was copied for recovery by hand';
      v_sel := format('SELECT * FROM %s', v_rel);
    ELSE
      v_sel := format('SELECT %s FROM %s', (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_key || p_column) AS c), v_rel);
    END IF;
  ELSE
    v_sel := format('SELECT * FROM %s', v_rel) || CASE WHEN p_rows IS NULL THEN '' ELSE format(' WHERE ctid IN (%s)', p_rows) END;
    IF p_kind = 'update' AND v_key IS NULL THEN
      v_ok := false;
      v_note := 'the table has no primary key: the updated rows cannot be matched again (the old rows were copied for recovery by hand)';
    END IF;
  END IF;
  EXECUTE format('CREATE TABLE godwit.%I AS %s', v_id, v_sel);
  GET DIAGNOSTICS v_rows = ROW_COUNT;
  -- Nothing destroyed (an empty table, a WHERE matching no row): nothing to keep.
  IF v_rows = 0 THEN
    EXECUTE format('DROP TABLE godwit.%I', v_id);
    RETURN;
  END IF;
  INSERT INTO godwit.backups (id, history_id, migration_name, seq, kind, table_schema, table_name, column_name, column_type, set_columns, key_columns, rows, bytes, restorable, note)
  VALUES (v_id, p_history, p_migration, p_seq, p_kind, v_schema, v_name, p_column, v_type, p_set, v_key, v_rows,
          pg_total_relation_size(format('godwit.%I', v_id)::regclass), v_ok, v_note);
END
$gw$;
  END IF;
  IF to_regprocedure('godwit.restore_v1(text)') IS NULL THEN
    CREATE FUNCTION godwit.restore_v1(p_history text) RETURNS void LANGUAGE plpgsql AS $gw$
DECLARE
  r godwit.backups; v_rel regclass; v_cols text; v_type text; v_match text; v_missing text; v_seq record;
BEGIN
  FOR r IN SELECT * FROM godwit.backups WHERE history_id = p_history AND kind <> 'skipped' ORDER BY seq DESC LOOP
    IF NOT r.restorable THEN
      RAISE EXCEPTION 'Godwit cannot restore backup % of %.%: %', r.id, r.table_schema, r.table_name, r.note
        USING HINT = 'Roll back with --no-restore to keep the backup without restoring it.';
    END IF;
    v_rel := to_regclass(format('%I.%I', r.table_schema, r.table_name));
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
      SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO v_cols
        FROM pg_attribute a
       WHERE a.attrelid = v_rel AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
         AND EXISTS (SELECT 1 FROM pg_attribute b WHERE b.attrelid = format('godwit.%I', r.id)::regclass AND b.attname = a.attname AND b.attnum > 0 AND NOT b.attisdropped);
      EXECUTE format('INSERT INTO %s (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM godwit.%I', v_rel, v_cols, v_cols, r.id);
      -- Sequences of serial and identity columns continue after the restored values.
      FOR v_seq IN SELECT a.attname, pg_get_serial_sequence(v_rel::text, a.attname) AS s FROM pg_attribute a
                    WHERE a.attrelid = v_rel AND a.attnum > 0 AND NOT a.attisdropped AND pg_get_serial_sequence(v_rel::text, a.attname) IS NOT NULL LOOP
        EXECUTE format('SELECT setval(%L, m) FROM (SELECT max(%I)::bigint AS m FROM %s) x WHERE m IS NOT NULL AND m > (SELECT last_value FROM %s)', v_seq.s, v_seq.attname, v_rel, v_seq.s);
      END LOOP;
    ELSIF r.kind IN ('drop-column', 'alter-type') THEN
      SELECT format_type(a.atttypid, a.atttypmod) INTO v_type FROM pg_attribute a WHERE a.attrelid = v_rel AND a.attname = r.column_name AND NOT a.attisdropped;
      IF v_type IS DISTINCT FROM r.column_type THEN
        RAISE EXCEPTION 'Godwit cannot restore column %.% from backup %: it is % now, it was % when copied', v_rel, r.column_name, r.id, v_type, r.column_type
          USING HINT = 'Make down.sql give the column its former type, or roll back with --no-restore.';
      END IF;
      EXECUTE format('UPDATE %s AS t SET %I = b.%I FROM godwit.%I AS b WHERE %s', v_rel, r.column_name, r.column_name, r.id, v_match);
    ELSE
      EXECUTE format('UPDATE %s AS t SET %s FROM godwit.%I AS b WHERE %s', v_rel,
        (SELECT string_agg(format('%1$I = b.%1$I', c), ', ') FROM unnest(r.set_columns) AS c), r.id, v_match);
    END IF;
    EXECUTE format('DROP TABLE godwit.%I', r.id);
  END LOOP;
  DELETE FROM godwit.backups WHERE history_id = p_history;
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
  ];
  return `SELECT godwit.backup_v1(${args.join(', ')}) AS godwit_backup`;
}

/** A migration run with --no-backup: the catalog says so, in the migration's transaction (listed, audited). */
export function skippedRecordSql(historyIdSql: string, migration: string, reason: string): string {
  return `INSERT INTO godwit.backups (id, history_id, migration_name, seq, kind, restorable, note)
  VALUES ('skipped_' || replace(${historyIdSql}, '-', ''), ${historyIdSql}, ${sqlLiteral(migration)}, 0, 'skipped', false, ${sqlLiteral(reason)})`;
}

/** Restores every backup of the applied row of `migration`, newest first, then forgets them. */
export function restoreCallSql(historyTable: string, migration: string): string {
  return `SELECT godwit.restore_v1("id") AS godwit_restore FROM ${historyTable} WHERE "migration_name" = ${sqlLiteral(migration)} AND "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
}
