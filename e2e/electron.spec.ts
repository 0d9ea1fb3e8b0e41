import { describe, expect, it } from 'vitest';
import { _electron as electron } from 'playwright-core';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { packageRoot } from '../electron/engine/util/package-root.ts';
// @ts-expect-error plain JS helper shared with npm start
import { electronBinary } from '../scripts/electron-binary.mjs';
// @ts-expect-error plain JS helper shared with npm start
import { buildElectron } from '../scripts/build-electron.mjs';
import { ensureRendererBuilt } from '../electron/server/renderer-build.ts';

const binary = (() => {
  const cwd = process.cwd();
  process.chdir(packageRoot());
  try {
    return electronBinary() as { path?: string; reason?: string };
  } finally {
    process.chdir(cwd);
  }
})();
const skipReason = !binary.path ? binary.reason : binary.reason ?? null;
if (skipReason) console.log(`Electron smoke test SKIPPED: ${skipReason}.`);

describe('Electron smoke test', () => {
  it.skipIf(Boolean(skipReason))('opens the demo in a sandboxed window whose preload exposes only the contract', async () => {
    const root = packageRoot();
    await ensureRendererBuilt();
    const cwd = process.cwd();
    process.chdir(root);
    await buildElectron();
    process.chdir(cwd);
    const userData = await mkdtemp(join(tmpdir(), 'godwit-electron-'));
    const app = await electron.launch({ executablePath: binary.path!, args: [join(root, 'dist/electron/main.cjs'), '--godwit-demo', `--user-data-dir=${userData}`], env: { ...process.env, GODWIT_DATA_DIR: userData } });
    try {
      const page = await app.firstWindow();
      await page.locator('[data-testid=app][data-ready=true]').waitFor({ timeout: 60_000 });
      const exposed = await page.evaluate(() => Object.keys((globalThis as unknown as { godwit: object }).godwit).sort());
      expect(exposed).toContain('environments/status');
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      await page.screenshot({ path: join(root, 'test-results', 'e2e', 'electron-demo.png') });
    } finally {
      await app.close();
      await rm(userData, { recursive: true, force: true });
    }
  });
});
