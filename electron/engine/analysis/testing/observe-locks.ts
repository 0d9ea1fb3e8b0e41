import pg from 'pg';

/** A relation of the test schema before a statement runs: locks are compared on these. */
interface Existing {
  name: string;
  relkind: string;
  relfilenode: number;
}

export interface Observation {
  /** Strongest mode the statement's backend held per pre-existing relation (tables, views; indexes when asked). */
  locks: Record<string, string>;
  /** Some pre-existing table or materialized view got a new relfilenode. */
  rewrite: boolean;
}

const MODE_ORDER = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

async function existing(c: pg.Client): Promise<Map<number, Existing>> {
  const { rows } = await c.query<{ oid: number; relname: string; relkind: string; relfilenode: number }>(
    "SELECT c.oid::int, c.relname, c.relkind::text, c.relfilenode::int FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace");
  return new Map(rows.map((r) => [r.oid, { name: r.relname, relkind: r.relkind, relfilenode: r.relfilenode }]));
}

const LOCKS_OF = `SELECT relation::int AS oid, mode FROM pg_locks
  WHERE pid = $1 AND locktype = 'relation' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`;

/**
 * Which of the locks to compare: every pre-existing table-like relation (tables, partitioned tables, views,
 * materialized views), plus indexes the prediction names. An index or sequence the statement locks only as part
 * of its table (rebuilt indexes, an owned sequence) is implied by the table's lock and is not predicted.
 */
function summarize(before: Map<number, Existing>, held: { oid: number; mode: string }[], named: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { oid, mode } of held) {
    const rel = before.get(oid);
    if (!rel || !('rpvmf'.includes(rel.relkind) || named.has(rel.name))) continue;
    const prev = out[rel.name];
    if (!prev || MODE_ORDER.indexOf(mode) > MODE_ORDER.indexOf(prev)) out[rel.name] = mode;
  }
  return out;
}

async function rewritten(c: pg.Client, before: Map<number, Existing>): Promise<boolean> {
  const after = await existing(c);
  return [...before].some(([oid, rel]) => (rel.relkind === 'r' || rel.relkind === 'm') && after.has(oid) && after.get(oid)!.relfilenode !== rel.relfilenode);
}

/** Runs one statement in a transaction and reads its own backend's pg_locks before COMMIT. */
export async function observeInTransaction(c: pg.Client, sql: string, named: Set<string>): Promise<Observation> {
  const before = await existing(c);
  await c.query('BEGIN');
  try {
    await c.query(sql);
    const held = (await c.query<{ oid: number; mode: string }>(LOCKS_OF, [(await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid])).rows;
    const rewrite = await rewritten(c, before);
    await c.query('COMMIT');
    return { locks: summarize(before, held, named), rewrite };
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  }
}

/**
 * Runs a statement that cannot run in a transaction (… CONCURRENTLY) while a second session holds ROW EXCLUSIVE on
 * `blockOn` in an open transaction: the statement takes its own locks, then waits for that transaction to end.
 * Meanwhile its granted locks are read from a third session.
 */
export async function observeWhileWaiting(url: string, sql: string, blockOn: string, named: Set<string>): Promise<Observation> {
  const [runner, blocker, watcher] = [new pg.Client(url), new pg.Client(url), new pg.Client(url)];
  await Promise.all([runner.connect(), blocker.connect(), watcher.connect()]);
  try {
    const before = await existing(watcher);
    const pid = (await runner.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await blocker.query('BEGIN');
    await blocker.query(`LOCK TABLE ${blockOn} IN ROW EXCLUSIVE MODE`);
    const running = runner.query(sql);
    let held: { oid: number; mode: string }[] = [];
    for (let i = 0; i < 500; i++) {
      const waiting = (await watcher.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [pid])).rowCount;
      if (waiting) {
        held = (await watcher.query<{ oid: number; mode: string }>(LOCKS_OF, [pid])).rows;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await blocker.query('COMMIT');
    await running;
    if (held.length === 0) throw new Error(`never saw ${sql} wait behind the blocker`);
    return { locks: summarize(before, held, named), rewrite: await rewritten(watcher, before) };
  } finally {
    await Promise.all([runner.end(), blocker.end(), watcher.end()]);
  }
}
