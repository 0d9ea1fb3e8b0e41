import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { sqlErrorInfo } from '../db/db.ts';
import { HISTORY_TABLE, sqlLiteral } from '../history/history-table.ts';
import type { LocalMigration } from '../migrations/read-folder.ts';
import type { PreparedScript } from '../sql/prepare-script.ts';
import { errorLine, MigrationFailedError, type StatementFailure } from './migration-failure.ts';

type File = 'migration.sql' | 'down.sql';

function failure(name: string, file: File, script: PreparedScript, index: number, err: unknown, rolledBack: boolean): MigrationFailedError {
  const stmt = script.statements[index]!;
  const error = sqlErrorInfo(err);
  return new MigrationFailedError({
    migration: name, file, statementIndex: index + 1, line: errorLine(stmt.line, stmt.text, error.position), statement: stmt.text, error, rolledBack,
  });
}

/** Runs the statements one by one (autocommit); used for scripts PostgreSQL refuses inside a transaction. */
async function runStatements(db: Db, name: string, file: File, script: PreparedScript): Promise<void> {
  for (const [i, stmt] of script.statements.entries()) {
    try {
      await db.exec(stmt.text);
    } catch (err) {
      throw failure(name, file, script, i, err, false);
    }
  }
}

/**
 * Finds which statement failed after a whole-script attempt was rolled back. With a server position the offset
 * says it; otherwise the statements are replayed one by one in a transaction that is rolled back, so the database
 * is unchanged either way.
 */
async function locateFailure(db: Db, name: string, file: File, script: PreparedScript, sql: string, bodyStart: number, err: unknown): Promise<MigrationFailedError> {
  const info = sqlErrorInfo(err);
  const at = info.position === undefined ? -1 : info.position - 1 - bodyStart;
  const statementAt = (offset: number) => {
    let found = -1;
    script.statements.forEach((s, i) => (s.offset <= offset ? (found = i) : undefined));
    return found;
  };
  if (at >= 0 && at < sql.length && script.statements.length) {
    const i = Math.max(0, statementAt(at));
    const stmt = script.statements[i]!;
    const line = 1 + (sql.slice(0, at).match(/\n/g)?.length ?? 0);
    return new MigrationFailedError({ migration: name, file, statementIndex: i + 1, line, statement: stmt.text, error: { ...info, position: at - stmt.offset + 1 }, rolledBack: true });
  }
  if (at < 0 && script.statements.length > 1) {
    await db.exec('BEGIN');
    try {
      for (const [i, stmt] of script.statements.entries()) {
        try {
          await db.exec(stmt.text);
        } catch (replayErr) {
          return failure(name, file, script, i, replayErr, true);
        }
      }
    } finally {
      await db.exec('ROLLBACK').catch(() => undefined);
    }
  }
  if (at < 0 && script.statements.length === 1) return failure(name, file, script, 0, err, true);
  // The script ran; the history bookkeeping or COMMIT (deferred constraints) failed.
  const f: StatementFailure = { migration: name, file, statementIndex: 0, line: 1, statement: 'COMMIT', error: info, rolledBack: true };
  return new MigrationFailedError(f);
}

/** One migration's transaction as text: the script between its bookkeeping, ready to send whole. */
export interface MigrationTransaction {
  name: string;
  file: File;
  sql: string;
  script: PreparedScript;
  /** BEGIN and what precedes the script; its length locates server error positions in the script. */
  head: string;
  /** What follows the script: the history row change, a duration marker, COMMIT. */
  tail: string;
}

/** The marker row each transaction returns just before COMMIT: which migration, and how long it took in the server. */
const MARKER_COLUMN = 'godwit_duration_ms';
const marker = (name: string) =>
  `SELECT ${sqlLiteral(name)}::text AS godwit_migration, (extract(epoch FROM clock_timestamp() - now()) * 1000)::float8 AS ${MARKER_COLUMN}`;

function transaction(name: string, file: File, sql: string, script: PreparedScript, bookkeeping: string): MigrationTransaction {
  // Each migration commits without waiting for its own WAL flush; flushDurably() at the end of the run waits for
  // all of them at once. Atomicity is unchanged: a crash can only lose whole migrations, each with its history row.
  return { name, file, sql, script, head: 'BEGIN;\nSET LOCAL synchronous_commit = off;\n', tail: `\n;\n${bookkeeping};\n${marker(name)};\nCOMMIT;` };
}

/** The transaction that applies a migration and records it exactly as Prisma does (one row, written at the end). */
export function upTransaction(migration: LocalMigration, script: PreparedScript, idSql = sqlLiteral(randomUUID())): MigrationTransaction {
  // now() is the transaction's start, so started_at is when the migration began.
  const record = `INSERT INTO "${HISTORY_TABLE}" ("id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count") VALUES (${idSql}, ${sqlLiteral(migration.checksum)}, clock_timestamp(), ${sqlLiteral(migration.name)}, now(), 1)`;
  return transaction(migration.name, 'migration.sql', migration.upSql, script, record);
}

/** The transaction that runs a down.sql and forgets the migration's history rows. */
export function downTransaction(name: string, downSql: string, script: PreparedScript): MigrationTransaction {
  return transaction(name, 'down.sql', downSql, script, `DELETE FROM "${HISTORY_TABLE}" WHERE "migration_name" = ${sqlLiteral(name)}`);
}

/**
 * Sends BEGIN, the script, the bookkeeping and COMMIT as one simple-protocol query: one round trip per migration,
 * everything committed together or nothing. On failure the transaction is rolled back first.
 */
export async function runTransaction(db: Db, tx: MigrationTransaction): Promise<void> {
  try {
    await db.exec(`${tx.head}${tx.sql}${tx.tail}`);
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw await locateFailure(db, tx.name, tx.file, tx.script, tx.sql, tx.head.length, err);
  }
}

export type BatchOutcome = { ok: true; durations: Map<string, number> } | { ok: false; committed: number };

/**
 * Several migrations' transactions in one round trip (each still its own BEGIN … COMMIT). PostgreSQL stops at the
 * first error: the transactions before it are committed, the failing one is rolled back here, later ones never ran.
 * On failure, says how many committed; the caller then runs the failing migration alone to report it precisely.
 */
export async function runBatch(db: Db, batch: MigrationTransaction[], isCommitted: (names: string[]) => Promise<Set<string>>): Promise<BatchOutcome> {
  try {
    const results = await db.queryBatch(batch.map((tx) => `${tx.head}${tx.sql}${tx.tail}`).join('\n'));
    const durations = new Map<string, number>();
    for (const rows of results) {
      const row = rows[0];
      if (rows.length === 1 && row && MARKER_COLUMN in row && typeof row.godwit_migration === 'string') durations.set(row.godwit_migration, Number(row[MARKER_COLUMN]));
    }
    return { ok: true, durations };
  } catch {
    await db.exec('ROLLBACK').catch(() => undefined);
    const done = await isCommitted(batch.map((tx) => tx.name));
    let committed = 0;
    while (committed < batch.length && done.has(batch[committed]!.name)) committed++;
    return { ok: false, committed };
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

/**
 * Applies one migration. In a transaction (the normal case) the script and its `_prisma_migrations` row commit
 * together or not at all. A script PostgreSQL refuses to run in a transaction runs statement by statement with a
 * row written first, as Prisma does, so a failure leaves a failed row to resolve.
 */
export async function applyMigration(db: Db, migration: LocalMigration, script: PreparedScript): Promise<void> {
  if (script.nonTransactional.length === 0) {
    await runTransaction(db, upTransaction(migration, script));
    return;
  }
  const id = randomUUID();
  await db.exec(`INSERT INTO "${HISTORY_TABLE}" ("id", "checksum", "migration_name") VALUES (${sqlLiteral(id)}, ${sqlLiteral(migration.checksum)}, ${sqlLiteral(migration.name)})`);
  try {
    await runStatements(db, migration.name, 'migration.sql', script);
  } catch (err) {
    const logs = err instanceof Error ? err.message : String(err);
    await db.exec(`UPDATE "${HISTORY_TABLE}" SET "logs" = ${sqlLiteral(logs)} WHERE "id" = ${sqlLiteral(id)}`).catch(() => undefined);
    throw err;
  }
  await db.exec(`UPDATE "${HISTORY_TABLE}" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = ${sqlLiteral(id)}`);
}

/** Rolls one migration back: its down.sql and the deletion of its rows, in one transaction when possible. */
export async function revertMigration(db: Db, name: string, downSql: string, script: PreparedScript): Promise<void> {
  if (script.nonTransactional.length === 0) {
    await runTransaction(db, downTransaction(name, downSql, script));
    return;
  }
  await runStatements(db, name, 'down.sql', script);
  await db.exec(`DELETE FROM "${HISTORY_TABLE}" WHERE "migration_name" = ${sqlLiteral(name)}`);
}
