import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

/** Why an sshd cannot be started here, or null. */
export function sshdUnavailable(): string | null {
  if (!existsSync(SSHD)) return 'openssh-server is not installed (apt-get install -y openssh-server)';
  if (process.getuid?.() !== 0) return 'sshd needs root to run';
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

/** A throwaway sshd on 127.0.0.1 with its own host key, trusting one generated user key (and a second key it does not). */
export interface TestSshd {
  dir: string;
  port: number;
  user: string;
  identityFile: string;
  wrongIdentityFile: string;
  /** A known_hosts file listing this server's key. */
  knownHostsFile: string;
  hostKeyFingerprint: string;
  stop(): Promise<void>;
}

const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'ignore' });

export async function startSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'godwit-sshd-'));
  chmodSync(dir, 0o700);
  const port = await freePort();
  const hostKey = join(dir, 'host_key');
  const identityFile = join(dir, 'id_user');
  const wrongIdentityFile = join(dir, 'id_wrong');
  for (const f of [hostKey, identityFile, wrongIdentityFile]) keygen(f);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${identityFile}.pub`));
  chmodSync(join(dir, 'authorized_keys'), 0o600);
  const config = join(dir, 'sshd_config');
  writeFileSync(config, [
    `HostKey ${hostKey}`, 'ListenAddress 127.0.0.1', `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', 'UsePAM no',
    'AllowTcpForwarding yes', 'PermitRootLogin prohibit-password', 'StrictModes no', `PidFile ${join(dir, 'sshd.pid')}`,
    'LogLevel ERROR', '',
  ].join('\n'));
  execFileSync('mkdir', ['-p', '/run/sshd']);
  const child: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config, '-p', String(port)], { stdio: 'ignore' });
  // Ready when the port answers.
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const c = createConnection(port, '127.0.0.1');
      c.once('connect', () => { c.destroy(); resolve(true); });
      c.once('error', () => resolve(false));
    });
    if (up) break;
    if (child.exitCode !== null) throw new Error(`sshd exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const pub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  const knownHostsFile = join(dir, 'known_hosts');
  writeFileSync(knownHostsFile, `[127.0.0.1]:${port} ${pub[0]} ${pub[1]}\n`);
  const fp = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKey}.pub`]).toString().split(/\s+/)[1]!;
  return {
    dir, port, user: userInfo().username, identityFile, wrongIdentityFile, knownHostsFile, hostKeyFingerprint: fp,
    async stop() {
      if (child.exitCode === null) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
