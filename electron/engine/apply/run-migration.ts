import { randomUUID } from 'node:crypto';
import type { Db } from '../db/db.ts';
import { sqlErrorInfo } from '../db/db.ts';
import { HISTORY_TABLE, sqlLiteral } from '../history/history-table.ts';
import type { LocalMigration } from '../migrations/read-folder.ts';
import type { PreparedScript } from '../sql/prepare-script.ts';
import { errorLine, MigrationFailedError } from './migration-failure.ts';

type File = 'migration.sql' | 'down.sql';

/** Runs the statements in order; on failure throws MigrationFailedError describing the statement. */
async function runStatements(db: Db, name: string, file: File, script: PreparedScript, inTransaction: boolean): Promise<void> {
  for (const [i, stmt] of script.statements.entries()) {
    try {
      await db.exec(stmt.text);
    } catch (err) {
      const error = sqlErrorInfo(err);
      if (inTransaction) await db.exec('ROLLBACK').catch(() => undefined);
      throw new MigrationFailedError({
        migration: name,
        file,
        statementIndex: i + 1,
        line: errorLine(stmt.line, stmt.text, error.position),
        statement: stmt.text,
        error,
        rolledBack: inTransaction,
      });
    }
  }
}

/** Commit failures (deferred constraints) are failures of the migration too. */
async function commit(db: Db, name: string, file: File, finalSql: string): Promise<void> {
  try {
    await db.exec(`${finalSql}; COMMIT`);
  } catch (err) {
    await db.exec('ROLLBACK').catch(() => undefined);
    throw new MigrationFailedError({
      migration: name, file, statementIndex: 0, line: 1, statement: 'COMMIT', error: sqlErrorInfo(err), rolledBack: true,
    });
  }
}

/**
 * Applies one migration. In a transaction (the normal case) the script and its `_prisma_migrations` row commit
 * together or not at all. A script PostgreSQL refuses to run in a transaction runs statement by statement with a
 * row written first, as Prisma does, so a failure leaves a failed row to resolve.
 */
export async function applyMigration(db: Db, migration: LocalMigration, script: PreparedScript): Promise<void> {
  const id = randomUUID();
  const insert = `INSERT INTO "${HISTORY_TABLE}" ("id", "checksum", "migration_name") VALUES (${sqlLiteral(id)}, ${sqlLiteral(migration.checksum)}, ${sqlLiteral(migration.name)})`;
  const finish = `UPDATE "${HISTORY_TABLE}" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "id" = ${sqlLiteral(id)}`;
  if (script.nonTransactional.length === 0) {
    await db.exec(`BEGIN; ${insert}`);
    await runStatements(db, migration.name, 'migration.sql', script, true);
    await commit(db, migration.name, 'migration.sql', finish);
    return;
  }
  await db.exec(insert);
  try {
    await runStatements(db, migration.name, 'migration.sql', script, false);
  } catch (err) {
    const logs = err instanceof Error ? err.message : String(err);
    await db.exec(`UPDATE "${HISTORY_TABLE}" SET "logs" = ${sqlLiteral(logs)} WHERE "id" = ${sqlLiteral(id)}`).catch(() => undefined);
    throw err;
  }
  await db.exec(finish);
}

/** Rolls one migration back: its down.sql and the deletion of its rows, in one transaction when possible. */
export async function revertMigration(db: Db, name: string, script: PreparedScript): Promise<void> {
  const forget = `DELETE FROM "${HISTORY_TABLE}" WHERE "migration_name" = ${sqlLiteral(name)}`;
  if (script.nonTransactional.length === 0) {
    await db.exec('BEGIN');
    await runStatements(db, name, 'down.sql', script, true);
    await commit(db, name, 'down.sql', forget);
    return;
  }
  await runStatements(db, name, 'down.sql', script, false);
  await db.exec(forget);
}
