import type { Db } from '../db/db.ts';

/** A session holding a lock another one waits for (from pg_blocking_pids and pg_stat_activity). */
export interface Blocker {
  pid: number;
  user: string | null;
  application: string | null;
  state: string | null;
  /** How long its transaction (or, outside one, its query) has been running. */
  ageMs: number | null;
  /** Its current or last query, on one line and truncated. */
  query: string | null;
}

const QUERY_CHARS = 160;

/** Sessions that block `pid` right now; empty when it waits for nothing. Reads from another session. */
export async function readBlockers(observer: Db, pid: number): Promise<Blocker[]> {
  const rows = await observer.query<{ pid: number; usename: string | null; application_name: string | null; state: string | null; age_ms: number | null; query: string | null }>(
    `SELECT a.pid, a.usename, a.application_name, a.state,
            (extract(epoch FROM clock_timestamp() - coalesce(a.xact_start, a.query_start)) * 1000)::float8 AS age_ms,
            left(a.query, 2000) AS query
       FROM pg_catalog.pg_stat_activity a
      WHERE a.pid = ANY (pg_catalog.pg_blocking_pids($1))
      ORDER BY a.pid`,
    [pid],
  );
  return rows.map((r) => ({
    pid: r.pid,
    user: r.usename,
    application: r.application_name || null,
    state: r.state,
    ageMs: r.age_ms === null ? null : Math.round(Number(r.age_ms)),
    query: r.query === null ? null : oneLine(r.query),
  }));
}

function oneLine(query: string): string {
  // A blocker's query may set a password; never echo one.
  const flat = query.replace(/\s+/g, ' ').trim().replace(/(password\s+)'(?:[^']|'')*'/gi, "$1'****'");
  return flat.length > QUERY_CHARS ? `${flat.slice(0, QUERY_CHARS - 1)}…` : flat;
}

/** "pid 4242 (user app, psql, idle in transaction for 12 s): SELECT …" */
export function describeBlocker(b: Blocker): string {
  const age = b.ageMs === null ? '' : ` for ${b.ageMs < 10_000 ? `${(b.ageMs / 1000).toFixed(1)}` : Math.round(b.ageMs / 1000)} s`;
  const who = [`user ${b.user ?? '?'}`, b.application, `${b.state ?? 'unknown state'}${age}`].filter(Boolean).join(', ');
  return `pid ${b.pid} (${who})${b.query ? `: ${b.query}` : ''}`;
}

/**
 * Polls, from a second session, who blocks the migrating session while `work` runs, and keeps the last non-empty
 * answer: once PostgreSQL cancels the waiting statement the blocker can no longer be asked for.
 */
export class BlockerWatch {
  private seen: Blocker[] = [];

  constructor(
    private readonly observer: Db | null,
    private readonly pid: number | null,
    private readonly intervalMs: number,
  ) {}

  /** The blockers seen during the last `during` call. */
  get last(): Blocker[] {
    return this.seen;
  }

  async during<T>(work: () => Promise<T>): Promise<T> {
    this.seen = [];
    const { observer, pid } = this;
    if (!observer || pid === null) return work();
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let polling: Promise<void> = Promise.resolve();
    const poll = () => {
      polling = readBlockers(observer, pid)
        .then((found) => {
          if (found.length) this.seen = found;
        })
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) timer = setTimeout(poll, this.intervalMs);
        });
    };
    timer = setTimeout(poll, this.intervalMs);
    try {
      return await work();
    } finally {
      stopped = true;
      clearTimeout(timer);
      await polling;
    }
  }
}
