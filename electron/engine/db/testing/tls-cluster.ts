import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './sshd-server.ts';

/** The installed PostgreSQL server binaries (initdb, pg_ctl), newest first. */
const bin = existsSync('/usr/lib/postgresql')
  ? readdirSync('/usr/lib/postgresql').sort().reverse().map((v) => `/usr/lib/postgresql/${v}/bin`).find((b) => existsSync(`${b}/initdb`))
  : undefined;

function postgresUid(): number | undefined {
  try {
    return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  } catch {
    return undefined;
  }
}

/** Why a TLS cluster cannot be started here, or null. */
export function clusterUnavailable(): string | null {
  if (!bin) return 'no PostgreSQL server binaries (initdb)';
  if (process.getuid?.() !== 0 || postgresUid() === undefined) return 'needs root and a postgres OS user to start a cluster';
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
  } catch {
    return 'openssl is not installed';
  }
  return null;
}

/**
 * A throwaway cluster with ssl=on, a certificate for `localhost` signed by a generated CA, scram-sha-256 for TCP
 * (user postgres, the given password), plus a second CA that signed nothing (the "wrong CA").
 */
export interface TlsCluster {
  port: number;
  dir: string;
  caFile: string;
  wrongCaFile: string;
  stop(): Promise<void>;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'ignore' });

export async function startTlsCluster(password: string): Promise<TlsCluster> {
  const uid = postgresUid()!;
  const dir = mkdtempSync(join(tmpdir(), 'godwit-tlscluster-'));
  chmodSync(dir, 0o755);
  const port = await freePort();
  for (const ca of ['ca', 'wrong-ca']) {
    openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=Godwit test ${ca}`, '-keyout', `${ca}.key`, '-out', `${ca}.crt`], dir);
  }
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr'], dir);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'san.ext', '-out', 'server.crt'], dir);
  writeFileSync(join(dir, 'pw'), `${password}\n`);
  for (const f of ['server.key', 'server.crt', 'pw']) {
    chownSync(join(dir, f), uid, 0);
    chmodSync(join(dir, f), 0o600);
  }
  const asPostgres = (args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', ...args], { stdio: 'ignore' });
  const data = join(dir, 'data');
  chownSync(dir, uid, 0);
  asPostgres([`${bin}/initdb`, '-D', data, '-U', 'postgres', '--auth=scram-sha-256', `--pwfile=${join(dir, 'pw')}`, '-E', 'UTF8']);
  const opts = [
    `-p ${port}`, `-k ${dir}`, "-c listen_addresses='127.0.0.1'", '-c ssl=on',
    `-c ssl_cert_file=${join(dir, 'server.crt')}`, `-c ssl_key_file=${join(dir, 'server.key')}`,
  ].join(' ');
  asPostgres([`${bin}/pg_ctl`, '-D', data, '-o', opts, '-w', 'start']);
  return {
    port, dir, caFile: join(dir, 'ca.crt'), wrongCaFile: join(dir, 'wrong-ca.crt'),
    async stop() {
      try {
        asPostgres([`${bin}/pg_ctl`, '-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
