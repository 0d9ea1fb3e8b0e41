import type { Db } from '../db/db.ts';
import { openEnvironment, type Environment } from '../project/environments.ts';

/**
 * A second session beside the migrating one, to do what the busy session cannot: cancel its statement
 * (pg_cancel_backend) and ask who blocks it (pg_blocking_pids). None for an embedded database: PGlite has one
 * session, and nothing else can hold its locks.
 */
export interface Companion {
  observer: Db;
  /** The migrating session's backend pid. */
  pid: number;
  /** Cancels whatever the migrating session runs now; PostgreSQL then fails that statement with SQLSTATE 57014. */
  cancel(): Promise<void>;
  close(): Promise<void>;
}

export async function openCompanion(env: Environment, main: Db): Promise<Companion | null> {
  if (main.kind !== 'postgres' || env.target.kind !== 'postgres') return null;
  let observer: Db | undefined;
  try {
    const [row] = await main.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    observer = await openEnvironment(env);
    // Its reads must never queue for long themselves.
    await observer.exec("SET statement_timeout = 5000; SET lock_timeout = 1000; SET application_name = 'godwit-observer'");
    const o = observer;
    const pid = row!.pid;
    return {
      observer: o,
      pid,
      cancel: async () => {
        await o.query('SELECT pg_cancel_backend($1)', [pid]);
      },
      close: () => o.close(),
    };
  } catch {
    // No second connection (connection limit, …): the run goes on without cancel and without naming blockers.
    await observer?.close().catch(() => undefined);
    return null;
  }
}
