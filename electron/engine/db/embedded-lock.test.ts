import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPglite } from './connect-pglite.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'godwit-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('embedded database lock', () => {
  it('lets one opener at a time use an embedded database, and releases it on close', async () => {
    const data = join(dir, 'dev');
    const db = await connectPglite(data, 'embedded:dev');
    await expect(connectPglite(data, 'embedded:dev')).rejects.toThrow(/already open in this process/);
    await db.close();
    expect(existsSync(`${data}.lock`)).toBe(false);
    const again = await connectPglite(data, 'embedded:dev');
    expect(await again.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await again.close();
  });

  it('refuses while another live process holds it, and takes over a lock whose process is gone', async () => {
    const data = join(dir, 'test');
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      await writeFile(`${data}.lock`, String(sleeper.pid));
      await expect(connectPglite(data, 'embedded:test')).rejects.toThrow(`in use by another Godwit process (pid ${sleeper.pid})`);
    } finally {
      sleeper.kill();
      await new Promise((r) => sleeper.once('exit', r));
    }
    const db = await connectPglite(data, 'embedded:test');
    await db.close();
  });
});
