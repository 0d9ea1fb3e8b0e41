import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGodwit } from './testing/run-cli.ts';
import { CANARY, canaryLeaks, filesUnder } from '../engine/testing/canary.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { clusterUnavailable, startTlsCluster, type TlsCluster } from '../engine/db/testing/tls-cluster.ts';
import { connectPostgres } from '../engine/db/connect-postgres.ts';
import { testConnectionHops } from '../engine/db/environment-reach.ts';

const skip = clusterUnavailable();
if (skip) console.log(`TLS and password-source tests SKIPPED: ${skip}.`);

describe.skipIf(Boolean(skip))('a server with ssl=on and passwords', () => {
  let cluster: TlsCluster;
  let work: string;
  let project: TempProject;
  const url = (host: string, query: string) => `postgresql://postgres:${encodeURIComponent(CANARY)}@${host}:${cluster.port}/postgres?${query}`;
  const sslOf = async (u: string) => {
    const db = await connectPostgres({ url: u });
    try {
      return (await db.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'))[0]!.ssl;
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    cluster = await startTlsCluster(CANARY);
    work = mkdtempSync(join(tmpdir(), 'godwit-pwsources-'));
    project = await copyDemoProject();
  });
  afterAll(async () => {
    await project?.remove();
    if (work) rmSync(work, { recursive: true, force: true });
    await cluster?.stop();
  });

  it('verify-full accepts the right CA and host name', async () => {
    expect(await sslOf(url('localhost', `sslmode=verify-full&sslrootcert=${cluster.caFile}`))).toBe(true);
  });

  it('verify-full refuses a wrong CA', async () => {
    await expect(sslOf(url('localhost', `sslmode=verify-full&sslrootcert=${cluster.wrongCaFile}`))).rejects.toThrow(/certificate/i);
  });

  it('verify-full refuses a host name the certificate does not name; verify-ca does not check it', async () => {
    await expect(sslOf(url('127.0.0.1', `sslmode=verify-full&sslrootcert=${cluster.caFile}`))).rejects.toThrow(/127\.0\.0\.1|altnames|host/i);
    expect(await sslOf(url('127.0.0.1', `sslmode=verify-ca&sslrootcert=${cluster.caFile}`))).toBe(true);
    await expect(sslOf(url('127.0.0.1', `sslmode=verify-ca&sslrootcert=${cluster.wrongCaFile}`))).rejects.toThrow(/certificate/i);
  });

  it('sslrootcert=system trusts NODE_EXTRA_CA_CERTS, which the launcher keeps from Node\'s start-up; child processes see it', async () => {
    const marker = join(work, 'extra-ca-seen');
    writeFileSync(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: {
      url: `postgresql://postgres@localhost:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=system`,
      passwordCommand: `printf '%s' "$NODE_EXTRA_CA_CERTS" > ${marker}; echo '${CANARY}'`,
    } } }));
    const env = { PGPASSFILE: '/nonexistent', PGPASSWORD: undefined };
    // The cluster's CA is in no system store: without the variable the certificate is refused.
    const untrusted = await runGodwit(['status', '--env', 'prod'], { cwd: project.dir, env: { ...env, NODE_EXTRA_CA_CERTS: undefined } });
    expect(untrusted.code).toBe(2);
    expect(untrusted.stderr).toMatch(/certificate/i);
    const trusted = await runGodwit(['status', '--env', 'prod'], { cwd: project.dir, env: { ...env, NODE_EXTRA_CA_CERTS: cluster.caFile } });
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(1); // connected and verified: the demo's migrations are pending
    expect(readFileSync(marker, 'utf8')).toBe(cluster.caFile);
    await scan(trusted.stdout + trusted.stderr);
    // A file that cannot be read is named, in Node's words, and Node's own CAs are trusted alone.
    const missing = await runGodwit(['status', '--env', 'prod'], { cwd: project.dir, env: { ...env, NODE_EXTRA_CA_CERTS: '/nonexistent/extra-ca.pem' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Ignoring extra certs from `/nonexistent/extra-ca.pem`, load failed: ENOENT');
    expect(missing.stderr).toMatch(/certificate/i);
  });

  it('require encrypts without checking (libpq semantics, not pg\'s verify-full); disable does not encrypt', async () => {
    expect(await sslOf(url('127.0.0.1', 'sslmode=require'))).toBe(true);
    expect(await sslOf(url('127.0.0.1', 'sslmode=disable'))).toBe(false);
  });

  it('Test connection tells a TLS failure from an authentication failure', async () => {
    const hops = async (u: string) => (await testConnectionHops({ url: u, name: 'prod' })).hops.map((h) => [h.hop, h.ok]);
    expect(await hops(url('localhost', `sslmode=verify-full&sslrootcert=${cluster.caFile}`))).toEqual([['ssh', null], ['tls', true], ['auth', true]]);
    expect(await hops(url('localhost', `sslmode=verify-full&sslrootcert=${cluster.wrongCaFile}`))).toEqual([['ssh', null], ['tls', false], ['auth', null]]);
    const wrongPassword = `postgresql://postgres:nope@localhost:${cluster.port}/postgres?sslmode=verify-full&sslrootcert=${cluster.caFile}`;
    const res = await testConnectionHops({ url: wrongPassword, name: 'prod' });
    expect(res.hops.map((h) => [h.hop, h.ok])).toEqual([['ssh', null], ['tls', true], ['auth', false]]);
    expect(res.ok).toBe(false);
    expect(JSON.stringify(res)).not.toContain('nope@');
  });

  const scan = async (text: string) => {
    const leaks = canaryLeaks(text, 'output');
    for (const f of await filesUnder(project.dir)) if (!f.path.endsWith('godwit.json')) leaks.push(...canaryLeaks(f.text, f.path));
    expect(leaks).toEqual([]);
  };

  it('takes the password from PGPASSFILE and never prints it', async () => {
    const pgpass = join(work, 'pgpass');
    writeFileSync(pgpass, `# a comment\n127.0.0.1:${cluster.port}:*:postgres:${CANARY}\n`);
    chmodSync(pgpass, 0o600);
    writeFileSync(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: { url: `postgresql://postgres@127.0.0.1:${cluster.port}/postgres?sslmode=require` } } }));
    const res = await runGodwit(['status', '--env', 'prod', '--json'], { cwd: project.dir, env: { PGPASSFILE: pgpass, PGPASSWORD: undefined } });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1); // connected (authenticated): the demo's migrations are pending
    await scan(res.stdout + res.stderr);
    // libpq ignores a password file others can read; so do we (and then the server refuses).
    chmodSync(pgpass, 0o644);
    const open = await runGodwit(['status', '--env', 'prod'], { cwd: project.dir, env: { PGPASSFILE: pgpass, PGPASSWORD: undefined } });
    expect(open.code).toBe(2);
    await scan(open.stdout + open.stderr);
  });

  it('runs passwordCommand when a connection opens, and never prints its output', async () => {
    const secret = join(work, 'secret');
    writeFileSync(secret, `${CANARY}\n`);
    const marker = join(work, 'ran');
    writeFileSync(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: {
      url: `postgresql://postgres@127.0.0.1:${cluster.port}/postgres?sslmode=require`,
      passwordCommand: `echo x >> ${marker}; cat ${secret}`,
    } } }));
    const res = await runGodwit(['up', '--env', 'prod', '--yes'], { cwd: project.dir, env: { PGPASSFILE: '/nonexistent', PGPASSWORD: undefined } });
    expect(res.stderr).toContain('[8/8]'); // progress goes to stderr
    expect(res.stderr).not.toContain('Error');
    expect(res.code).toBe(0);
    expect(readFileSync(marker, 'utf8').length).toBeGreaterThan(0); // the command ran
    await scan(res.stdout + res.stderr);
    // A failing command: one line naming the exit code, not its output.
    writeFileSync(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { prod: {
      url: `postgresql://postgres@127.0.0.1:${cluster.port}/postgres`,
      passwordCommand: `cat ${secret}; cat ${secret} >&2; exit 3`,
    } } }));
    const failed = await runGodwit(['status', '--env', 'prod'], { cwd: project.dir, env: { PGPASSFILE: '/nonexistent', PGPASSWORD: undefined } });
    expect(failed.code).toBe(2);
    expect(failed.stderr.trim()).toBe('Error: Environment "prod": the passwordCommand exited with code 3. Run the command in a shell to see its error.');
    await scan(failed.stdout + failed.stderr);
  });
});
