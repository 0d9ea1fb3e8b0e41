import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchResult } from './harness.ts';

const run = promisify(execFile);

describe('npm run bench -- --quick', () => {
  it('runs every benchmark at tiny sizes and writes its results, so the suite cannot rot', async () => {
    const out = await mkdtemp(join(tmpdir(), 'godwit-bench-test-'));
    try {
      await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), '--quick', '--out', out], { maxBuffer: 16 * 1024 * 1024 });
      const json = JSON.parse(await readFile(join(out, 'quick.json'), 'utf8')) as { results: BenchResult[] };
      const ids = json.results.map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining(['B1', 'B2', 'B3', 'B4', 'B5a', 'B5b', 'B6a', 'B6b', 'B6c', 'B7']));
      for (const r of json.results) {
        if (r.skipped) continue;
        expect(r.godwit.median, r.id).toBeGreaterThan(0);
        if (r.baseline) expect(r.ratio, r.id).toBeCloseTo(r.godwit.median / r.baseline.median, 5);
        else expect(r.ratio, r.id).toBeGreaterThan(0);
      }
      expect(await readFile(join(out, 'quick.md'), 'utf8')).toContain('| B2 |');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
