import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { sqlErrorInfo } from '../db/db.ts';
import { sqlLiteral } from '../history/history-table.ts';
import type { LocalMigration } from '../migrations/read-folder.ts';
import type { PreparedScript } from '../sql/prepare-script.ts';
import { leadingTransactionSettings, transactionSettingsSql } from '../sql/transaction-settings.ts';
import { blankOut } from '../backup/not-null-readd.ts';
import { RESTORE_COLUMN } from '../backup/backup-sql.ts';
import { errorLine, MigrationFailedError, type StatementFailure } from './migration-failure.ts';

export type File = 'migration.sql' | 'down.sql';

/** What every migration's SQL needs from the run: where the history is, and how to restore the session after it. */
export interface TxOptions {
  /** The history table, schema-qualified (history/history-table.ts resolveHistoryTable). */
  historyTable: string;
  /** Sent after each migration: RESET ALL, then Godwit's own session limits again. */
  restoreSql: string;
}

/**
 * Errors for which replaying the script to find the failing statement would be wrong: the server cancelled the
 * script (lock timeout, statement timeout, Ctrl+C), and a replay would wait or run that long again.
 */
const NO_REPLAY = new Set(['55P03', '57014']);

export function statementFailure(name: string, file: File, script: PreparedScript, index: number, err: unknown, rolledBack: boolean): StatementFailure {
  const stmt = script.statements[index]!;
  const error = sqlErrorInfo(err);
  return { migration: name, file, statementIndex: index + 1, line: errorLine(stmt.line, stmt.text, error.position), statement: stmt.text, error, rolledBack, phase: 'script' };
}

/** Where a server position inside the sent body falls: a statement of the script, or one of Godwit's woven calls. */
function placeInBody(tx: MigrationTransaction, at: number): { scriptAt: number } | { insert: Insert } {
  let shift = 0;
  for (const ins of tx.inserts) {
    const start = ins.at + shift;
    if (at < start) break;
    if (at < start + ins.len) return { insert: ins };
    shift += ins.len;
  }
  return { scriptAt: at - shift };
}

/**
 * Finds which statement failed after a whole-script attempt was rolled back. With a server position the offset
 * says it (inside the script, or in Godwit's bookkeeping around it); otherwise the statements are replayed one by
 * one in a transaction that is rolled back, so the database is unchanged either way. The replay includes Godwit's
 * backup calls and restore (tx.extras), so their failures are told apart from the script's.
 */
async function locateFailure(db: Db, tx: MigrationTransaction, err: unknown): Promise<MigrationFailedError> {
  const { name, file, script, source: sql, extras } = tx;
  const bodyStart = tx.head.length;
  const info = sqlErrorInfo(err);
  const outside = (phase: StatementFailure['phase'], statement: string) =>
    new MigrationFailedError({ migration: name, file, statementIndex: 0, line: 1, statement, error: info, rolledBack: true, phase });
  const backupFailure = (index: number, error: unknown) =>
    new MigrationFailedError({ ...statementFailure(name, file, script, index, error, true), phase: 'backup' });
  if (info.position !== undefined) {
    const place = placeInBody(tx, info.position - 1 - bodyStart);
    if ('insert' in place) return backupFailure(place.insert.index, err);
    const at = place.scriptAt;
    if (at < 0 || at >= sql.length) return outside('history', 'the _prisma_migrations bookkeeping');
    let i = 0;
    script.statements.forEach((s, k) => (s.offset <= at ? (i = k) : undefined));
    const stmt = script.statements[i];
    if (!stmt) return outside('unknown', '');
    const line = 1 + (sql.slice(0, at).match(/\n/g)?.length ?? 0);
    return new MigrationFailedError({ migration: name, file, statementIndex: i + 1, line, statement: stmt.text, error: { ...info, position: at - stmt.offset + 1 }, rolledBack: true, phase: 'script' });
  }
  if (NO_REPLAY.has(info.code ?? '')) return outside('unknown', '');
  if (script.statements.length === 1 && !extras) return new MigrationFailedError(statementFailure(name, file, script, 0, err, true));
  if (script.statements.length > 1 || extras) {
    await db.exec('BEGIN');
    try {
      const settings = transactionSettingsSql(script, sql);
      if (settings) await db.exec(settings);
      if (extras) await db.exec(extras.setup);
      for (const [i, stmt] of script.statements.entries()) {
        for (const call of extras?.before.filter((b) => b.index === i) ?? []) {
          try {
            await db.exec(call.sql);
          } catch (replayErr) {
            return backupFailure(i, replayErr);
          }
        }
        try {
          // As it was sent: with the characters Godwit blanked (its own BEGIN/COMMIT, a NOT NULL set after the
          // restore) blanked again. A script's COMMIT replayed here would commit what this replay must roll back.
          const blanks = blanksOf(script, extras, sql);
          await db.exec(blanks.length ? blankOut(sql, blanks).slice(stmt.offset, stmt.offset + stmt.text.length) : stmt.text);
        } catch (replayErr) {
          return new MigrationFailedError(statementFailure(name, file, script, i, replayErr, true));
        }
      }
      if (extras?.after) {
        try {
          await db.exec(extras.after);
        } catch (replayErr) {
          return new MigrationFailedError({ migration: name, file, statementIndex: 0, line: 1, statement: extras.after, error: sqlErrorInfo(replayErr), rolledBack: true, phase: 'restore' });
        }
      }
    } finally {
      await db.exec('ROLLBACK').catch(() => undefined);
    }
  }
  // Every statement ran: COMMIT failed (deferred constraints), or the bookkeeping did without saying where.
  return outside('commit', 'COMMIT');
}

/**
 * Godwit's own SQL woven into a migration's transaction (engine/backup): copies of what a statement destroys, sent
 * just before it, and the restore of a rolled-back migration's data, sent after its down.sql.
 */
export interface TxExtras {
  /** Sent first: the backup catalog and functions (idempotent). */
  setup: string;
  /** Calls sent just before statement `index` (0-based) of the script. */
  before: { index: number; sql: string }[];
  /** Sent after the script, before the history row changes. */
  after: string | null;
  /** Characters of the script sent as spaces (a down.sql's NOT NULL set only after the restore: not-null-readd.ts). */
  blank?: { at: number; len: number }[] | undefined;
}

/** A woven call's place: at script offset `at`, `len` characters long, before statement `index`. */
interface Insert {
  at: number;
  len: number;
  index: number;
}

/** The script with the calls of `extras.before` put just before their statements (and `extras.blank` blanked). */
/**
 * What of the script is sent as spaces: its own BEGIN and COMMIT (prepare-script.ts), its leading SET TRANSACTION
 * (sent right after Godwit's BEGIN instead: transaction-settings.ts), and `extras.blank`.
 */
const blanksOf = (script: PreparedScript, extras: TxExtras | undefined, sql: string) => [
  ...script.ownTransaction, ...leadingTransactionSettings(script, sql), ...(extras?.blank ?? []),
];

function weave(source: string, script: PreparedScript, extras: TxExtras | undefined): { body: string; inserts: Insert[] } {
  const blanks = blanksOf(script, extras, source);
  const sql = blanks.length ? blankOut(source, blanks) : source;
  if (!extras?.before.length) return { body: sql, inserts: [] };
  const indexes = [...new Set(extras.before.map((b) => b.index))].sort((a, b) => a - b);
  const inserts: Insert[] = [];
  let body = '';
  let last = 0;
  for (const index of indexes) {
    const at = script.statements[index]!.offset;
    const text = extras.before.filter((b) => b.index === index).map((b) => `${b.sql};\n`).join('');
    body += sql.slice(last, at) + text;
    inserts.push({ at, len: text.length, index });
    last = at;
  }
  return { body: body + sql.slice(last), inserts };
}

/** One migration's transaction as text: the script between its bookkeeping, ready to send whole. */
export interface MigrationTransaction {
  name: string;
  file: File;
  /** What is sent between head and tail: the script, with Godwit's backup calls woven in when there are any. */
  sql: string;
  /** The script as written (server positions are mapped back to it). */
  source: string;
  script: PreparedScript;
  inserts: Insert[];
  extras?: TxExtras | undefined;
  /** BEGIN and what precedes the script; its length locates server error positions in the script. */
  head: string;
  /** What follows the script: the history row change, a duration marker, COMMIT, the session restore. */
  tail: string;
}

/** The marker row each transaction returns just before COMMIT: which migration, and how long it took in the server. */
const MARKER_COLUMN = 'godwit_duration_ms';
const STARTED_SETTING = 'godwit.migration_started_at';

function transaction(name: string, file: File, sql: string, script: PreparedScript, start: string, finish: string, opts: TxOptions, extras?: TxExtras): MigrationTransaction {
  // Each migration commits without waiting for its own WAL flush; flushDurably() at the end of the run waits for
  // all of them at once. Atomicity is unchanged: a crash can only lose whole migrations, each with its history row.
  // The session is restored after COMMIT, so a migration's SET (search_path, role, …) never reaches the next one.
  const { body, inserts } = weave(sql, script, extras);
  const setup = extras ? `${extras.setup};\n` : '';
  const after = extras?.after ? `${extras.after};\n` : '';
  return {
    name, file, sql: body, source: sql, script, inserts, extras,
    head: `BEGIN;\n${transactionSettingsSql(script, sql)}SET LOCAL synchronous_commit = off;\n${setup}${start};\n`,
    tail: `\n;\n${after}${finish};\nCOMMIT;\n${opts.restoreSql}`,
  };
}

/** Sent first in a migration's transaction: when it began (now() is the same for every transaction of one message). */
const START_SQL = `SELECT set_config('${STARTED_SETTING}', clock_timestamp()::text, true) AS godwit_started_at`;
/** That start; `otherwise` when the script ran RESET ALL, which loses the setting. */
const startedAt = (otherwise: string) => `coalesce(nullif(current_setting('${STARTED_SETTING}', true), '')::timestamptz, ${otherwise})`;

/**
 * The transaction that applies a migration and records it as Prisma does: its row, with started_at = when this
 * migration began and finished_at = when its script ended, written in the same transaction as the script. Prisma
 * writes the row before the script and updates it after; inside one transaction nobody else can see the difference,
 * and one write instead of two is ~0.1 ms less per migration (~0.1 s of a 1,000-migration up). A script that runs
 * RESET ALL loses its start: it is then recorded as starting when it ended (never before the migration before it).
 */
export function upTransaction(migration: LocalMigration, script: PreparedScript, opts: TxOptions, idSql = sqlLiteral(randomUUID()), extras?: (idSql: string) => TxExtras | undefined): MigrationTransaction {
  const finish = `INSERT INTO ${opts.historyTable} ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
  VALUES (${idSql}, ${sqlLiteral(migration.checksum)}, ${sqlLiteral(migration.name)}, ${startedAt('clock_timestamp()')}, clock_timestamp(), 1)
  RETURNING "migration_name"::text AS godwit_migration, (extract(epoch FROM "finished_at" - "started_at") * 1000)::float8 AS ${MARKER_COLUMN}`;
  return transaction(migration.name, 'migration.sql', migration.upSql, script, START_SQL, finish, opts, extras?.(idSql));
}

/**
 * The transaction that runs a down.sql and forgets the migration's history rows: by their ids when the run read them
 * under the migration lock (`historyIds`: the primary key; Prisma's table has no index on the name, and deleting by
 * name scanned the whole history once per migration, ~0.3 s over a rollback of 1,000), else by name (the preview,
 * which may be piped into psql later, when ids could have changed).
 */
export function downTransaction(name: string, downSql: string, script: PreparedScript, opts: TxOptions, extras?: TxExtras, historyIds?: readonly string[]): MigrationTransaction {
  const rows = historyIds?.length ? `"id" IN (${historyIds.map(sqlLiteral).join(', ')})` : `"migration_name" = ${sqlLiteral(name)}`;
  // A down.sql that runs RESET ALL loses the setting: its duration then counts from the message's start.
  const finish = `DELETE FROM ${opts.historyTable} WHERE ${rows};
SELECT ${sqlLiteral(name)}::text AS godwit_migration, (extract(epoch FROM clock_timestamp() - ${startedAt('now()')}) * 1000)::float8 AS ${MARKER_COLUMN}`;
  return transaction(name, 'down.sql', downSql, script, START_SQL, finish, opts, extras);
}

/** What a migration's transaction told: its server duration, and what its restore kept (rows written since the upgrade). */
export interface TxOutcome {
  durationMs?: number | undefined;
  kept?: string | undefined;
}

function outcomesOf(results: Record<string, unknown>[][]): Map<string, TxOutcome> {
  const outcomes = new Map<string, TxOutcome>();
  const of = (name: string) => outcomes.get(name) ?? outcomes.set(name, {}).get(name)!;
  for (const rows of results) {
    const row = rows[0];
    if (rows.length === 1 && row && MARKER_COLUMN in row && typeof row.godwit_migration === 'string') of(row.godwit_migration).durationMs = Number(row[MARKER_COLUMN]);
    if (rows.length === 1 && row && typeof row[RESTORE_COLUMN] === 'string' && typeof row.godwit_restored === 'string') of(row.godwit_restored).kept = row[RESTORE_COLUMN];
  }
  return outcomes;
}

/**
 * Sends BEGIN, the script, the bookkeeping and COMMIT as one simple-protocol query: one round trip per migration,
 * everything committed together or nothing. On failure the transaction is rolled back and the session restored
 * first. Returns the migration's own duration in the server.
 */
export async function runTransaction(db: Db, tx: MigrationTransaction, opts: TxOptions): Promise<TxOutcome> {
  try {
    return outcomesOf(await db.queryBatch(`${tx.head}${tx.sql}${tx.tail}`)).get(tx.name) ?? {};
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    await db.exec(opts.restoreSql).catch(() => undefined);
    throw await locateFailure(db, tx, err);
  }
}

export type BatchOutcome = { ok: true; outcomes: Map<string, TxOutcome> } | { ok: false; committed: number; error: unknown };

/**
 * Several migrations' transactions in one round trip (each still its own BEGIN … COMMIT). PostgreSQL stops at the
 * first error: the transactions before it are committed, the failing one is rolled back here, later ones never ran.
 * On failure, says how many committed; the caller then runs the failing migration alone to report it precisely.
 */
export async function runBatch(db: Db, batch: MigrationTransaction[], opts: TxOptions, isCommitted: (names: string[]) => Promise<Set<string>>): Promise<BatchOutcome> {
  try {
    const results = await db.queryBatch(batch.map((tx) => `${tx.head}${tx.sql}${tx.tail}`).join('\n'));
    return { ok: true, outcomes: outcomesOf(results) };
  } catch (error) {
    await db.exec('ROLLBACK').catch(() => undefined);
    await db.exec(opts.restoreSql).catch(() => undefined);
    const done = await isCommitted(batch.map((tx) => tx.name));
    let committed = 0;
    while (committed < batch.length && done.has(batch[committed]!.name)) committed++;
    return { ok: false, committed, error };
  }
}

/**
 * Waits until every migration committed so far is on disk: a transaction with an xid committed synchronously
 * flushes the WAL before it. Runs before a run reports its result, success or failure.
 */
export const FLUSH_SQL = 'BEGIN; SET LOCAL synchronous_commit = on; SELECT pg_catalog.txid_current(); COMMIT;';

export async function flushDurably(db: Db): Promise<void> {
  await db.exec(FLUSH_SQL);
}
