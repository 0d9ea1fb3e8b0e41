import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** `pg_dump --schema-only` of a database, the byte-for-byte witness of "the schema did not change". */
export async function schemaDump(url: string, opts: { excludeAudit?: boolean } = {}): Promise<string> {
  const args = ['--schema-only', '--no-owner', '--no-privileges', url];
  if (opts.excludeAudit !== false) args.unshift('--exclude-schema=godwit');
  const { stdout } = await run('pg_dump', args, { maxBuffer: 64 * 1024 * 1024 });
  // pg_dump 15.14+ wraps the dump in \restrict <random key> lines; the key differs on every run.
  return stdout.replace(/^\\(un)?restrict .*$/gm, '\\$1restrict <key>');
}
