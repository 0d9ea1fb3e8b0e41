// The e2e tests drive Debian's Chromium through playwright-core (`npx playwright install` cannot work offline).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.GODWIT_CHROMIUM ?? '/usr/bin/chromium';

/** Returns the browser's path, installing Debian's chromium when missing and allowed; throws one sentence otherwise. */
export function ensureChromium() {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (root && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0) {
    console.error('npm test: installing Debian\'s chromium for the browser tests…');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () => spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env }).status === 0;
    // A fresh machine may have no package lists yet: fetch them and try once more.
    if (!install()) {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      install();
    }
    if (existsSync(CHROMIUM)) return CHROMIUM;
  }
  throw new Error(`the browser tests need Chromium at ${CHROMIUM}: install Debian's chromium package (or set GODWIT_CHROMIUM).`);
}
