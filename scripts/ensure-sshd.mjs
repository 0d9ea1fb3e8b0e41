// The SSH-tunnel tests start a throwaway sshd (electron/engine/db/testing/sshd-server.ts): Debian's openssh-server,
// installed here when missing and allowed (root with apt-get). Without it those tests say they were skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const SSHD = '/usr/sbin/sshd';

export function ensureSshd() {
  if (existsSync(SSHD)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) return;
  console.error('npm test: installing Debian\'s openssh-server for the SSH tunnel tests…');
  try {
    // Installed, not started: the tests run their own sshd on a free port with their own keys.
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'openssh-server'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    console.error('npm test: openssh-server could not be installed; the SSH tunnel tests will say they were skipped.');
  }
}
