import type { Db } from '../db/db.ts';
import { isSqlError } from '../db/db.ts';
import { openEnvironment, type Environment } from '../project/environments.ts';
import { sqlLiteral } from '../history/history-table.ts';
import { GodwitError } from '../util/errors.ts';

/**
 * The migrating session's connection dropped (a tunnel or network failure, a proxy restart). The script was sent
 * whole, so the server runs on without the client and commits or rolls back by itself: the only true report is the
 * one read afterwards, on a new connection, once that backend has finished.
 */
export function isConnectionLost(err: unknown): boolean {
  if (isSqlError(err)) return false;
  const message = String((err as { message?: string })?.message ?? err);
  return /Connection terminated|not queryable|ECONNRESET|EPIPE|socket hang up|Client was closed|connection (?:error|lost)/i.test(message);
}

export interface LostConnection {
  pid: number;
  historyTable: string;
  name: string;
  direction: 'up' | 'down';
}

export class ConnectionLostError extends GodwitError {
  constructor(message: string) {
    super('connection-lost', message);
  }
}

const WAIT_MS = 10 * 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reconnects, waits for the old backend to end, and says what the history now holds; returns the new session too. */
export async function settleLostConnection(env: Environment, lost: LostConnection): Promise<{ error: ConnectionLostError; db: Db | null }> {
  const head = `Lost the connection to ${env.name} while ${lost.direction === 'up' ? 'applying' : 'rolling back'} ${lost.name}`;
  let db: Db;
  try {
    db = await openEnvironment(env);
  } catch {
    return { error: new ConnectionLostError(`${head}, and could not reconnect: its outcome is unknown. Check with godwit status before anything else.`), db: null };
  }
  try {
    const deadline = Date.now() + WAIT_MS;
    while ((await db.query('SELECT 1 FROM pg_catalog.pg_stat_activity WHERE pid = $1', [lost.pid])).length) {
      if (Date.now() > deadline) {
        return { error: new ConnectionLostError(`${head}; its server session (pid ${lost.pid}) is still running after ${WAIT_MS / 60_000} minutes, so its outcome is not known yet. Check with godwit status.`), db };
      }
      await sleep(250);
    }
    const [row] = await db.query<{ finished: boolean; rolled_back: boolean }>(
      `SELECT finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM ${lost.historyTable} WHERE migration_name = ${sqlLiteral(lost.name)} ORDER BY started_at DESC LIMIT 1`);
    const applied = row !== undefined && row.finished && !row.rolled_back;
    const outcome = lost.direction === 'up'
      ? applied ? 'the server finished it after the connection dropped: it is applied.'
        : row && !row.finished && !row.rolled_back ? 'the history marks it unfinished: settle it with godwit resolve once you know what ran.'
          : 'the server rolled it back: it is still pending.'
      : row === undefined || row.rolled_back ? 'the server finished the rollback after the connection dropped: it is rolled back.'
        : 'the server did not commit the rollback: it is still applied.';
    return { error: new ConnectionLostError(`${head}; ${outcome}`), db };
  } catch {
    return { error: new ConnectionLostError(`${head}: its outcome could not be read back. Check with godwit status.`), db };
  }
}
