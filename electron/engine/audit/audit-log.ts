import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { Db } from '../db/db.ts';
import { godwitDataDir } from '../util/data-dir.ts';
import { redactSecrets } from '../util/redact.ts';

/** One up, down or resolve, as the audit trail keeps it. */
export interface AuditEntry {
  at: string;
  osUser: string;
  host: string;
  environment: string;
  action: 'up' | 'down' | 'resolve-applied' | 'resolve-rolled-back';
  migrations: string[];
  /** `started`: written before a run's first migration and replaced by its outcome; one left means the run never reported. */
  result: 'ok' | 'failed' | 'nothing-to-do' | 'started';
  error: string | null;
  durationMs: number;
  /** What else the run decided that the trail must show (a backup skipped with --no-backup, …). */
  note?: string | null | undefined;
  /** Where the entry is kept: the database's `godwit.audit_log` or the local fallback file. */
  store?: 'database' | 'file';
}

const CREATE_AUDIT = `CREATE SCHEMA IF NOT EXISTS godwit;
CREATE TABLE IF NOT EXISTS godwit.audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  os_user     text NOT NULL,
  host        text NOT NULL,
  environment text NOT NULL,
  action      text NOT NULL,
  migrations  text[] NOT NULL,
  result      text NOT NULL,
  error       text,
  duration_ms integer NOT NULL
);
ALTER TABLE godwit.audit_log ADD COLUMN IF NOT EXISTS note text`;

export function currentActor(): { osUser: string; host: string } {
  let osUser = process.env.USER ?? 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // Some containers have no passwd entry for the uid.
  }
  return { osUser, host: hostname() };
}

/** The local fallback file, one per database location, for roles that may not create the `godwit` schema. */
export function auditFilePath(location: string): string {
  const safe = location.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 120);
  return join(godwitDataDir(), 'audit', `${safe}.jsonl`);
}

/** What a started row says until its run reports: true while it runs, and of a run killed before it could. */
export const STARTED_NOTE = 'no outcome recorded: still running, or the process ended before it could report (killed?)';

/**
 * Writes a `started` row for a run about to change the database, so a run killed mid-way (SIGKILL, power loss) still
 * leaves its trace; recordAudit replaces it with the outcome. Null when it could not be written (the outcome is then
 * written as usual, in the table or the fallback file).
 */
export async function beginAudit(db: Db, entry: Pick<AuditEntry, 'environment' | 'action' | 'migrations'>): Promise<string | null> {
  try {
    await db.exec(CREATE_AUDIT);
    const { osUser, host } = currentActor();
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO godwit.audit_log (at, os_user, host, environment, action, migrations, result, error, duration_ms, note)
       VALUES ($1, $2, $3, $4, $5, $6, 'started', NULL, 0, $7) RETURNING id::text`,
      [new Date().toISOString(), osUser, host, entry.environment, entry.action, entry.migrations, STARTED_NOTE],
    );
    return row?.id ?? null;
  } catch {
    return null;
  }
}

/** Appends an entry to `godwit.audit_log` (or replaces the run's `started` row), creating it on first write; falls back to a local file. */
export async function recordAudit(db: Db, entry: Omit<AuditEntry, 'at' | 'osUser' | 'host' | 'store'>, startedId?: string | null): Promise<AuditEntry> {
  const full: AuditEntry = { at: new Date().toISOString(), ...currentActor(), ...entry, error: entry.error === null ? null : redactSecrets(entry.error) };
  try {
    if (startedId) {
      const updated = await db.query<{ id: string }>(
        `UPDATE godwit.audit_log SET result = $2, error = $3, duration_ms = $4, note = $5, migrations = $6 WHERE id = $1::bigint RETURNING id::text`,
        [startedId, full.result, full.error, Math.round(full.durationMs), full.note ?? null, full.migrations],
      );
      if (updated.length) return { ...full, store: 'database' };
    }
    await db.exec(CREATE_AUDIT);
    await db.query(
      `INSERT INTO godwit.audit_log (at, os_user, host, environment, action, migrations, result, error, duration_ms, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [full.at, full.osUser, full.host, full.environment, full.action, full.migrations, full.result, full.error, Math.round(full.durationMs), full.note ?? null],
    );
    return { ...full, store: 'database' };
  } catch {
    const file = auditFilePath(db.display);
    await mkdir(dirname(file), { recursive: true });
    await appendFile(file, `${JSON.stringify(full)}\n`);
    return { ...full, store: 'file' };
  }
}

interface AuditRow {
  at: Date;
  os_user: string;
  host: string;
  environment: string;
  action: AuditEntry['action'];
  migrations: string[];
  result: AuditEntry['result'];
  error: string | null;
  duration_ms: number;
  note: string | null;
}

/** The audit trail of one database, newest first: the table's rows and the fallback file's, merged. */
export async function readAudit(db: Db, limit = 200): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  const exists = await db.query<{ t: string | null }>(`SELECT to_regclass('godwit.audit_log')::text AS t`);
  if (exists[0]?.t) {
    const rows = await db.query<AuditRow>(
      "SELECT at, os_user, host, environment, action, migrations, result, error, duration_ms, to_jsonb(a) ->> 'note' AS note FROM godwit.audit_log a ORDER BY at DESC, id DESC LIMIT $1",
      [limit],
    );
    for (const r of rows) {
      entries.push({
        at: new Date(r.at).toISOString(), osUser: r.os_user, host: r.host, environment: r.environment, action: r.action,
        migrations: r.migrations, result: r.result, error: r.error, durationMs: r.duration_ms, ...(r.note ? { note: r.note } : {}), store: 'database',
      });
    }
  }
  const text = await readFile(auditFilePath(db.display), 'utf8').catch(() => '');
  for (const line of text.split('\n')) if (line.trim()) entries.push({ ...(JSON.parse(line) as AuditEntry), store: 'file' });
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
}
