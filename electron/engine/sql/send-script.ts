import { loadSqlParser } from './split-statements.ts';
import { mayRunOutsideTransaction, prepareScript } from './prepare-script.ts';

/**
 * Sends a migration script as `godwit up` runs it: whole, as one simple-protocol message, unless it holds a statement
 * PostgreSQL refuses in a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, …). A message of several statements
 * is one implicit transaction, so such a script goes statement by statement, in order, through `send`, which must
 * use one session. Shadow replays (Prisma's engine through Godwit's adapters, the shadow cache) so build what `up`
 * builds: two CONCURRENTLY indexes in one migration failed every drift check, down-sql and new after it (civitai).
 */
export async function sendAsUpDoes(script: string, send: (sql: string) => Promise<unknown>): Promise<void> {
  if (mayRunOutsideTransaction(script)) {
    await loadSqlParser();
    const prepared = prepareScript(script);
    if (prepared.nonTransactional.length && prepared.parseError === null) {
      for (const stmt of prepared.statements) await send(stmt.text);
      return;
    }
  }
  await send(script);
}
