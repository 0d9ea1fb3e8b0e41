import { execFile } from 'node:child_process';
import { clientConfigFromUrl } from '../db/connect-postgres.ts';
import { redactSecrets } from '../util/redact.ts';

export type DumpSection = 'all' | 'pre-data' | 'post-data';

/**
 * `pg_dump --schema-only` of the database `url` names, as a script Godwit can send whole. The connection goes in
 * libpq's environment variables (PGPASSWORD never appears in a process list, and Prisma's `?schema=` is not a
 * libpq parameter). Rejects with a one-line reason when pg_dump is missing or fails (e.g. older than the server).
 */
export function dumpSchema(url: string, section: DumpSection = 'all'): Promise<string> {
  const c = clientConfigFromUrl(url);
  const sslmode = new URL(url).searchParams.get('sslmode');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: c.host ?? '',
    PGPORT: String(c.port ?? 5432),
    PGUSER: c.user ?? '',
    PGDATABASE: c.database ?? '',
    PGCONNECT_TIMEOUT: '10',
    ...(c.password ? { PGPASSWORD: String(c.password) } : {}),
    ...(sslmode ? { PGSSLMODE: sslmode } : {}),
  };
  const args = ['--schema-only', '--no-owner', '--no-privileges', '--no-publications', '--no-subscriptions', '--exclude-schema=godwit'];
  if (section !== 'all') args.push(`--section=${section}`);
  return new Promise((resolve, reject) => {
    execFile('pg_dump', args, { env, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) {
        const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'pg_dump is not installed (or not on PATH)' : redactSecrets(String(stderr).trim().split('\n')[0] || err.message);
        reject(new Error(why));
        return;
      }
      resolve(restorable(stdout));
    });
  });
}

/** Drops what only psql understands (\restrict of pg_dump 15.14+) and settings an older server lacks. */
function restorable(dump: string): string {
  return dump
    .replace(/^\\(un)?restrict .*$/gm, '')
    .replace(/^SET transaction_timeout = .*;$/gm, '');
}
