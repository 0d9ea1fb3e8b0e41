import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHmac, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pgpassPassword } from './pgpass.ts';
import { addKnownHost, checkHostKey, hostKeyFingerprint } from './known-hosts.ts';
import { applyPgService } from './pg-service.ts';
import { tlsFromParams } from './libpq-tls.ts';
import { clientConfigFromUrl } from './connect-postgres.ts';
import { readGodwitJson } from '../project/environment-config.ts';

let dir: string;
const saved = { ...process.env };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'godwit-reach-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const k of ['PGSERVICEFILE', 'PGSERVICE', 'PGSYSCONFDIR', 'PGSSLMODE', 'PGSSLROOTCERT', 'HOME']) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** An ssh key blob: string type, then opaque bytes (enough for the parser). */
const keyBlob = (type: string) => {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, randomBytes(32)]);
};

describe('.pgpass as libpq reads it', () => {
  it('matches host, port, database and user with * and escapes; first line wins; ignores a file others can read', () => {
    const file = join(dir, 'pgpass');
    writeFileSync(file, ['# comment', 'db.example:5432:app:alice:first', 'db.example:*:*:alice:p\\:w\\\\d', 'localhost:5433:*:*:local'].join('\n'));
    chmodSync(file, 0o600);
    expect(pgpassPassword({ host: 'db.example', port: 5432, database: 'app', user: 'alice' }, file)).toBe('first');
    expect(pgpassPassword({ host: 'db.example', port: 6543, database: 'other', user: 'alice' }, file)).toBe('p:w\\d');
    expect(pgpassPassword({ host: '/var/run/postgresql', port: 5433, database: 'x', user: 'y' }, file)).toBe('local');
    expect(pgpassPassword({ host: 'db.example', port: 5432, database: 'app', user: 'bob' }, file)).toBeUndefined();
    chmodSync(file, 0o644);
    expect(pgpassPassword({ host: 'db.example', port: 5432, database: 'app', user: 'alice' }, file)).toBeUndefined();
  });
});

describe('known_hosts', () => {
  it('knows plain and hashed [host]:port entries, sees a changed key, and records an accepted one', () => {
    const file = join(dir, 'known_hosts');
    const key = keyBlob('ssh-ed25519');
    expect(checkHostKey(file, 'bastion', 2222, key)).toBe('unknown');
    addKnownHost(file, 'bastion', 2222, key);
    expect(checkHostKey(file, 'bastion', 2222, key)).toBe('known');
    expect(checkHostKey(file, 'bastion', 22, key)).toBe('unknown');
    expect(checkHostKey(file, 'bastion', 2222, keyBlob('ssh-ed25519'))).toBe('changed');
    const salt = randomBytes(20);
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('hidden.example').digest('base64')}`;
    writeFileSync(file, `${hashed} ssh-ed25519 ${key.toString('base64')}\n`);
    expect(checkHostKey(file, 'hidden.example', 22, key)).toBe('known');
    expect(hostKeyFingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe('pg_service.conf', () => {
  it('fills what the URL leaves out; the URL wins', () => {
    const file = join(dir, 'services');
    writeFileSync(file, '[other]\nhost=nope\n[prod]\nhost=db.internal\nport=6543\nuser=deploy\ndbname=app\nsslmode=require\n');
    process.env.PGSERVICEFILE = file;
    const u = applyPgService(new URL('postgresql:///?service=prod'));
    expect(u.hostname).toBe('db.internal');
    expect(u.port).toBe('6543');
    expect(u.username).toBe('deploy');
    expect(applyPgService(new URL('postgresql://me@h:1/x?service=prod')).toString()).toBe('postgresql://me@h:1/x?sslmode=require');
    process.env.PGSERVICE = 'prod';
    expect(clientConfigFromUrl('postgresql:///')).toMatchObject({ host: 'db.internal', port: 6543, user: 'deploy', database: 'app' });
    delete process.env.PGSERVICE;
    expect(u.pathname).toBe('/app');
    expect(u.searchParams.get('sslmode')).toBe('require');
    expect(u.searchParams.has('service')).toBe(false);
    expect(() => applyPgService(new URL('postgresql://h/?service=missing'))).toThrow(/service "missing" is not defined/);
  });
});

describe('TLS as libpq reads it', () => {
  it('require does not verify unless a root certificate is given; verify-* need one; prefer is plain', () => {
    process.env.HOME = dir; // no ~/.postgresql/root.crt
    expect(tlsFromParams(new URLSearchParams('sslmode=require'))).toMatchObject({ encrypted: true, ssl: { rejectUnauthorized: false } });
    expect(tlsFromParams(new URLSearchParams(''))).toMatchObject({ mode: 'prefer', encrypted: false, ssl: false });
    expect(() => tlsFromParams(new URLSearchParams('sslmode=verify-full'))).toThrow(/needs a root certificate/);
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, 'not really a certificate');
    const req = tlsFromParams(new URLSearchParams(`sslmode=require&sslrootcert=${ca}`));
    expect(req.ssl && req.ssl.rejectUnauthorized).toBe(true); // acts as verify-ca
    expect(req.ssl && typeof req.ssl.checkServerIdentity).toBe('function');
    const full = tlsFromParams(new URLSearchParams(`sslmode=verify-full&sslrootcert=${ca}`));
    expect(full.ssl && full.ssl.checkServerIdentity).toBeUndefined();
    expect(() => tlsFromParams(new URLSearchParams('sslmode=bogus'))).toThrow(/Unknown sslmode "bogus"/);
    process.env.PGSSLMODE = 'disable';
    expect(tlsFromParams(new URLSearchParams('')).encrypted).toBe(false);
  });

  it('keeps the TLS parameters away from pg\'s parser (no verify-full for require)', () => {
    const c = clientConfigFromUrl('postgresql://u@db.example:5432/app?sslmode=require&schema=s');
    expect(c.ssl).toMatchObject({ rejectUnauthorized: false });
    expect(c.options).toContain('search_path="s"');
  });
});

describe('godwit.json ssh and passwordCommand', () => {
  it('accepts a bastion with a key file or the agent, not both or neither', async () => {
    const write = (ssh: unknown) => writeFileSync(join(dir, 'godwit.json'), JSON.stringify({ environments: { prod: { url: 'postgresql://u@db/app', ssh, passwordCommand: 'vault read -field=pw x' } } }));
    write({ host: 'bastion', user: 'me', identityFile: '~/.ssh/id_ed25519', passphrase: 'env:KEY_PASS' });
    expect((await readGodwitJson(dir))![0]).toMatchObject({ ssh: { host: 'bastion', identityFile: '~/.ssh/id_ed25519' }, passwordCommand: 'vault read -field=pw x' });
    write({ host: 'bastion', user: 'me', agent: true });
    expect((await readGodwitJson(dir))![0]!.ssh?.agent).toBe(true);
    write({ host: 'bastion', user: 'me' });
    await expect(readGodwitJson(dir)).rejects.toThrow(/set either "identityFile" or "agent": true/);
    write({ host: 'bastion', user: 'me', agent: true, passphrase: 'literal-secret' });
    await expect(readGodwitJson(dir)).rejects.toThrow(/passphrase must be env:VARIABLE/);
  });
});
