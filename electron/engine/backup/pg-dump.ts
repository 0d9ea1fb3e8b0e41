import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Environment } from '../project/environments.ts';
import type { Plan } from '../apply/plan.ts';
import { godwitDataDir } from '../util/data-dir.ts';
import { redactSecrets } from '../util/redact.ts';

/** The outcome of "backupBeforeRun": the file written, or why there is none. */
export type DumpOutcome = { file: string; tables: string[] } | { skipped: string };

/** Tables the plan's destroying statements touch, as written (quoted): what the dump covers. */
export function affectedTables(plan: Plan): string[] {
  // Only tables that exist now (their size is known): one an earlier migration of the run creates has nothing to dump.
  return [...new Set(plan.steps.flatMap((s) => (s.backup && !s.backup.skipped ? s.backup.copies.filter((c) => !c.skipped && c.rows !== null).map((c) => c.target.table) : [])))];
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (e: NodeJS.ErrnoException) => resolve({ code: null, stderr: e.message, missing: e.code === 'ENOENT' }));
    child.on('close', (code) => resolve({ code, stderr, missing: false }));
  });
}

/**
 * A schema-and-data dump (pg_dump, custom format) of the tables a run destroys data in, to
 * <data dir>/backups/<environment>/<time>.dump. The password goes through PGPASSWORD, never the command line.
 */
export async function dumpBeforeRun(env: Environment, plan: Plan): Promise<DumpOutcome> {
  const tables = affectedTables(plan);
  if (!tables.length) return { skipped: 'no existing table of this run loses data' };
  if (env.target.kind !== 'postgres') return { skipped: 'an embedded (PGlite) environment cannot be dumped with pg_dump' };
  if (env.target.ssh) return { skipped: 'pg_dump is not run through the SSH bastion; the backup tables in schema godwit still cover the data' };
  const url = new URL(env.target.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  const dir = join(godwitDataDir(), 'backups', env.name.replace(/[^A-Za-z0-9_.-]/g, '_'));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.dump`);
  const args = ['--format=custom', `--file=${file}`, ...tables.flatMap((t) => ['--table', t]), `--dbname=${url.toString()}`];
  const childEnv = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  const out = await run(process.env.GODWIT_PG_DUMP ?? 'pg_dump', args, childEnv);
  if (out.missing) return { skipped: 'pg_dump is not installed (or not on PATH): no dump file was written' };
  if (out.code !== 0) return { skipped: `pg_dump failed: ${redactSecrets(out.stderr.trim().split('\n')[0] ?? '')}` };
  return { file, tables };
}
