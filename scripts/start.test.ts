import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
// @ts-expect-error: a plain .mjs script without types
const { electronBinary } = (await import('./electron-binary.mjs')) as { electronBinary: () => { path?: string; reason?: string } };
const electron = electronBinary();
/** Where Electron can start, npm start opens it instead: browser mode is then not what it does. */
const opensElectron = !!electron.path && !electron.reason;

/** True while something answers at `url`. */
const answers = (url: string) => fetch(url, { signal: AbortSignal.timeout(1000) }).then(() => true, () => false);

describe('npm start (scripts/start.mjs)', () => {
  it.skipIf(opensElectron)('serves the demo in browser mode where Electron cannot start, and a stop sent to the launcher alone stops the server too', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'godwit-start-data-'));
    // Its own process group: the stop reaches the launcher only, as from a service manager or `timeout`.
    const launcher = spawn(process.execPath, ['scripts/start.mjs'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', GODWIT_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        launcher.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\w+/.exec(out);
          if (m) resolve(m[0]);
        });
        launcher.on('exit', (code) => reject(new Error(`start.mjs exited (${code}) before serving: ${out}`)));
      });
      expect(await answers(url)).toBe(true);
      const exited = new Promise((resolve) => launcher.on('exit', resolve));
      launcher.kill('SIGTERM');
      await exited;
      let up = true;
      for (let i = 0; i < 50 && up; i++) {
        await new Promise((r) => setTimeout(r, 100));
        up = await answers(url);
      }
      expect(up).toBe(false);
    } finally {
      // Whatever is left of the group (the server, should the launcher have orphaned it) goes too.
      try {
        process.kill(-launcher.pid!, 'SIGKILL');
      } catch {
        // Nothing left.
      }
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
