import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGodwit } from './testing/run-cli.ts';

/**
 * The local test server trusts 127.0.0.1, so password errors need a server of their own: a throwaway cluster with
 * scram-sha-256 authentication, made with the installed PostgreSQL binaries (as the postgres OS user).
 */
const bin = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').map((v) => `/usr/lib/postgresql/${v}/bin`).find((b) => existsSync(`${b}/initdb`)) : undefined;
let postgresUid: number | undefined;
try {
  postgresUid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
} catch {
  postgresUid = undefined;
}
const isRoot = process.getuid?.() === 0;
const skip = !bin ? 'no PostgreSQL server binaries (initdb)' : !isRoot || postgresUid === undefined ? 'needs root and a postgres OS user to start a password-protected cluster' : null;
if (skip) console.log(`Password authentication test SKIPPED: ${skip}.`);

let dir: string;
let port: number;
const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });

describe.skipIf(Boolean(skip))('a server that checks passwords', () => {
  beforeAll(async () => {
    port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    dir = mkdtempSync(join(tmpdir(), 'godwit-pwcluster-'));
    chmodSync(dir, 0o755);
    chownSync(dir, postgresUid!, 0);
    writeFileSync(join(dir, 'pw'), 'Sekret-42\n');
    chownSync(join(dir, 'pw'), postgresUid!, 0);
    asPostgres([`${bin}/initdb`, '-D', join(dir, 'data'), '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8']);
    asPostgres([`${bin}/pg_ctl`, '-D', join(dir, 'data'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, '-w', 'start']);
  });
  afterAll(() => {
    try {
      asPostgres([`${bin}/pg_ctl`, '-D', join(dir, 'data'), '-m', 'immediate', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says the password was wrong, in one line, without showing it', async () => {
    const wrong = await runGodwit(['status', '--url', `postgresql://postgres:hunter2@127.0.0.1:${port}/postgres`]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr.trim()).toBe(`Error: Password authentication failed for user "postgres" on 127.0.0.1:${port}.`);
    expect(wrong.stdout + wrong.stderr).not.toContain('hunter2');
    const right = await runGodwit(['status', '--json', '--url', `postgresql://postgres:Sekret-42@127.0.0.1:${port}/postgres`]);
    expect(right.code).toBe(1); // connected: the demo's migrations are pending there
    expect(right.stdout).not.toContain('Sekret-42');
    expect(JSON.parse(right.stdout)[0].location).toBe(`postgresql://postgres@127.0.0.1:${port}/postgres`);
  });
});
