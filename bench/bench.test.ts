import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchResult } from './harness.ts';
import { compareWithBaseline, saveBaseline } from './regression.ts';

const run = promisify(execFile);

describe('npm run bench -- --quick', () => {
  it('runs every benchmark at tiny sizes, writes its results, and fails on a ratio >50% worse than this machine kind\'s baseline', async () => {
    const out = await mkdtemp(join(tmpdir(), 'godwit-bench-test-'));
    try {
      // --check-baseline makes the run exit 1 on a regression against bench/results/baselines.json (same machine kind).
      const res = await run(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), '--quick', '--check-baseline', '--out', out], { maxBuffer: 16 * 1024 * 1024 }).catch((err: { stderr?: string; code?: number }) => err);
      const stderr = String(res.stderr ?? '');
      expect(stderr, stderr.split('\n').filter((l) => l.includes('REGRESSION')).join('\n')).not.toContain('REGRESSION');
      expect('code' in res ? res.code : 0).toBeFalsy();
      const json = JSON.parse(await readFile(join(out, 'quick.json'), 'utf8')) as { results: BenchResult[] };
      const ids = json.results.map((r) => r.id);
      expect(ids).toEqual(expect.arrayContaining(['B0', 'B1', 'B1c', 'B2', 'B2s', 'B2c', 'B3', 'B4', 'B4s', 'B4c', 'B5a', 'B5b', 'B6a', 'B6b', 'B6c', 'B7', 'B8']));
      for (const r of json.results) {
        if (r.skipped) continue;
        expect(r.godwit.median, r.id).toBeGreaterThan(0);
        if (r.baseline) expect(r.ratio, r.id).toBeCloseTo(r.godwit.median / r.baseline.median, 5);
        else expect(r.ratio, r.id).toBeGreaterThan(0);
        if (r.floor) expect(r.floor.ms, r.id).toBeGreaterThan(0);
      }
      // Upgrades and rollbacks are measured against the server's own execution time as well.
      expect(json.results.filter((r) => r.floor).map((r) => r.id)).toEqual(expect.arrayContaining(['B2', 'B2s', 'B2c', 'B4', 'B4s', 'B4c']));
      expect(await readFile(join(out, 'quick.md'), 'utf8')).toContain('| B2s |');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('the regression check compares ratios with the stored ones of the same machine kind, 50% tolerance', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'godwit-bench-baseline-'));
    const file = join(dir, 'baselines.json');
    const result = (id: string, ratio: number, floorRatio?: number, floorMs = 800): BenchResult => ({
      id, what: id, unit: 'ms', godwit: { median: ratio, min: ratio, max: ratio, samples: [ratio] }, baseline: { median: 1, min: 1, max: 1, samples: [1] },
      baselineName: 'x', ratio, target: '', pass: null, ...(floorRatio ? { floor: { ms: floorMs, ratio: floorRatio } } : {}),
    });
    try {
      expect((await compareWithBaseline([result('B1', 9)], true, file)).regressions).toEqual([]);
      await saveBaseline([result('B1', 2), result('B2', 1, 3)], true, file);
      expect((await compareWithBaseline([result('B1', 2.9), result('B2', 1.4, 4.4)], true, file)).regressions).toEqual([]);
      const worse = await compareWithBaseline([result('B1', 3.1), result('B2', 1, 4.6)], true, file);
      // At quick sizes the floor (a few ms of server time) is not compared; at full sizes it is.
      expect(worse.regressions.map((r) => r.id)).toEqual(['B1']);
      // Full-size results are compared with full-size baselines only.
      expect((await compareWithBaseline([result('B1', 30)], false, file)).compared).toBe(0);
      await saveBaseline([result('B1', 2), result('B2', 1, 3), result('B9', 1, 600, 0.9)], false, file);
      const worseFull = await compareWithBaseline([result('B1', 3.1), result('B2', 1, 4.6), result('B9', 1, 1200, 0.45)], false, file);
      // A floor under a few dozen milliseconds (B9's one ALTER TABLE) is noise: never stored, never compared.
      expect(worseFull.regressions.map((r) => r.id)).toEqual(['B1', 'B2:floor']);
      expect(worseFull.compared).toBe(4);
      await writeFile(file, '{ not json');
      expect((await compareWithBaseline([result('B1', 30)], true, file)).compared).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
