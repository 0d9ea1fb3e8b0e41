import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runGodwit } from './testing/run-cli.ts';
import { copyDemoProject, type TempProject } from '../engine/testing/temp-project.ts';
import { createTestDatabase, sqlOn, type TestDatabase } from '../engine/testing/test-database.ts';
import { sshdUnavailable, startSshd, type TestSshd } from '../engine/db/testing/sshd-server.ts';
import { connectPostgres } from '../engine/db/connect-postgres.ts';
import { openTunnelCount } from '../engine/db/ssh-tunnel.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { GodwitService } from '../engine/service/godwit-service.ts';
import { SettingsStore } from '../engine/service/settings-store.ts';

const skip = sshdUnavailable();
if (skip) console.log(`SSH tunnel tests SKIPPED: ${skip}.`);

describe.skipIf(Boolean(skip))('an environment behind an SSH bastion', () => {
  let sshd: TestSshd;
  let project: TempProject;
  let db: TestDatabase;
  const writeEnv = (ssh: Record<string, unknown>) =>
    writeFileSync(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { bastion: { url: db.url, ssh } } }));
  const ssh = () => ({ host: '127.0.0.1', port: sshd.port, user: sshd.user, identityFile: sshd.identityFile, knownHostsFile: sshd.knownHostsFile });

  beforeAll(async () => {
    sshd = await startSshd();
    project = await copyDemoProject();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
    await project?.remove();
    await sshd?.stop();
  });

  it('runs status, up and down through the tunnel', async () => {
    writeEnv(ssh());
    const before = await runGodwit(['status', '--env', 'bastion', '--json'], { cwd: project.dir });
    expect(before.stderr).toBe('');
    expect(before.code).toBe(1); // connected; the demo's migrations are pending
    const up = await runGodwit(['up', '--env', 'bastion', '--yes'], { cwd: project.dir });
    expect(up.code).toBe(0);
    const applied = await sqlOn<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
    expect(applied[0]!.n).toBeGreaterThan(0);
    const down = await runGodwit(['down', '--env', 'bastion', '--yes'], { cwd: project.dir });
    expect(down.code).toBe(0);
    const after = await sqlOn<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL');
    expect(after[0]!.n).toBe(applied[0]!.n - 1);
  });

  it('refuses an unknown host key, showing its fingerprint, and accepts it with --accept-host-key', async () => {
    const knownHostsFile = join(sshd.dir, 'empty_known_hosts');
    writeFileSync(knownHostsFile, '');
    writeEnv({ ...ssh(), knownHostsFile });
    const refused = await runGodwit(['status', '--env', 'bastion'], { cwd: project.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`its key fingerprint is ${sshd.hostKeyFingerprint}`);
    const accepted = await runGodwit(['status', '--env', 'bastion', '--accept-host-key', sshd.hostKeyFingerprint], { cwd: project.dir });
    expect(accepted.stderr).toBe('');
    expect(readFileSync(knownHostsFile, 'utf8')).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519 `);
  });

  it('refuses a key the bastion does not know, in one line, exit 2', async () => {
    writeEnv({ ...ssh(), identityFile: sshd.wrongIdentityFile });
    const res = await runGodwit(['status', '--env', 'bastion'], { cwd: project.dir });
    expect(res.code).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain(`SSH: ${sshd.user}@127.0.0.1:${sshd.port} refused the key ${sshd.wrongIdentityFile}.`);
  });

  it('shares one tunnel between sessions and closes it after the last; a dropped tunnel fails the next query', async () => {
    const target = { url: db.url, name: 'bastion', ssh: ssh() };
    const a = await connectPostgres(target);
    const b = await connectPostgres(target);
    expect(openTunnelCount()).toBe(1);
    expect(await a.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await a.close();
    expect(openTunnelCount()).toBe(1);
    await b.close();
    expect(openTunnelCount()).toBe(0);
    const c = await connectPostgres(target);
    // Kill the bastion's session processes for this client: the tunnel drops mid-session.
    await sqlOn(db.url, `SELECT 1`);
    const { execFileSync } = await import('node:child_process');
    execFileSync('pkill', ['-TERM', '-P', readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim()]);
    await expect(c.query('SELECT pg_sleep(0.1)')).rejects.toThrow();
    await c.close();
    expect(openTunnelCount()).toBe(0);
  });

  it('environments/testConnection reports each hop, shows an unknown host key, and accepts it when asked', async () => {
    const knownHostsFile = join(sshd.dir, 'app_known_hosts');
    writeFileSync(knownHostsFile, '');
    writeEnv({ ...ssh(), knownHostsFile });
    const dataDir = mkdtempSync(join(tmpdir(), 'godwit-svc-'));
    try {
      const service = new GodwitService({ settings: new SettingsStore(join(dataDir, 'settings.json')) });
      const opened = await service.call('project/open', { dir: project.dir });
      expect(opened.environments[0]!.reach).toMatchObject({ ssh: { host: '127.0.0.1', port: sshd.port, agent: false }, sslmode: 'prefer', encrypted: false, suggestVerifyFull: false });
      const first = await service.call('environments/testConnection', { name: 'bastion' });
      expect(first.ok).toBe(false);
      expect(first.hostKey).toEqual({ fingerprint: sshd.hostKeyFingerprint, status: 'unknown' });
      expect(first.hops.map((h) => [h.hop, h.ok])).toEqual([['ssh', false], ['tls', null], ['auth', null]]);
      const accepted = await service.call('environments/testConnection', { name: 'bastion', acceptHostKey: sshd.hostKeyFingerprint });
      expect(accepted.hops.map((h) => [h.hop, h.ok])).toEqual([['ssh', true], ['tls', null], ['auth', true]]);
      expect(accepted.ok).toBe(true);
      expect(readFileSync(knownHostsFile, 'utf8')).toContain(`[127.0.0.1]:${sshd.port} ssh-ed25519 `);
      // Saved from the editor: ssh kept when absent, removed with null.
      await service.call('environments/save', { name: 'bastion', previousName: 'bastion', url: db.url, protected: false });
      expect(JSON.parse(readFileSync(join(project.dir, 'godwit.json'), 'utf8')).environments.bastion.ssh.port).toBe(sshd.port);
      await service.call('environments/save', { name: 'bastion', previousName: 'bastion', url: db.url, protected: false, ssh: null });
      expect(JSON.parse(readFileSync(join(project.dir, 'godwit.json'), 'utf8')).environments.bastion.ssh).toBeUndefined();
      expect(openTunnelCount()).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a tunnel that drops mid-migration: the command fails in one line, and status then reports the outcome the database really has', async () => {
    const fresh = await createTestDatabase();
    const slow = join(project.dir, 'migrations', '20990101000000_slow');
    const { mkdirSync, rmSync: rm } = await import('node:fs');
    mkdirSync(slow);
    writeFileSync(join(slow, 'migration.sql'), 'CREATE TABLE slow_probe (id int);\nSELECT pg_sleep(4);\n');
    try {
      writeFileSync(join(project.dir, 'godwit.json'), JSON.stringify({ environments: { bastion: { url: fresh.url, ssh: ssh() } } }));
      const run = runGodwit(['up', '--env', 'bastion', '--yes'], { cwd: project.dir });
      // Wait (by polling the server, not the clock) until the slow statement runs, then cut the bastion's sessions.
      let finished: Awaited<typeof run> | undefined;
      void run.then((r) => (finished = r));
      for (;;) {
        const rows = await sqlOn(fresh.url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep' AND pid <> pg_backend_pid()");
        if (rows.length) break;
        if (finished) throw new Error(`up ended before the slow statement ran: ${finished.code} ${finished.stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const { execFileSync } = await import('node:child_process');
      execFileSync('pkill', ['-TERM', '-P', readFileSync(join(sshd.dir, 'sshd.pid'), 'utf8').trim()]);
      const res = await run;
      expect(res.code).toBe(2);
      // The same report as any lost connection on this path (apply/ owns its wording); one error line.
      expect(res.stderr.split('\n').filter((l) => l.startsWith('Error:'))).toHaveLength(1);
      // The server does not notice a vanished client during pg_sleep: the script (BEGIN … COMMIT, sent whole) runs on.
      // Wait for its backend to end, then the real outcome is whatever the database holds, and status must say so.
      for (;;) {
        const busy = await sqlOn(fresh.url, "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'");
        if (!busy.length) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const t = (await sqlOn<{ t: string | null }>(fresh.url, "SELECT to_regclass('slow_probe')::text AS t"))[0]!.t;
      const rows = await sqlOn(fresh.url, "SELECT 1 FROM _prisma_migrations WHERE migration_name = '20990101000000_slow' AND finished_at IS NOT NULL AND rolled_back_at IS NULL");
      expect(rows.length === 1).toBe(t !== null); // the history row and the schema change agree (one transaction)
      const after = await runGodwit(['status', '--env', 'bastion', '--json'], { cwd: project.dir });
      const state = (JSON.parse(after.stdout) as { migrations: { name: string; state: string }[] }[])[0]!.migrations.find((m) => m.name === '20990101000000_slow')!.state;
      expect(state).toBe(t !== null ? 'applied' : 'pending');
      console.log(`tunnel drop mid-migration reported: ${res.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    } finally {
      rm(slow, { recursive: true, force: true });
      await fresh.drop();
    }
  });
});
