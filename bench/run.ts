import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import type { BenchContext, BenchResult } from './harness.ts';
import { benchUpDown } from './measures/status-and-upgrade.ts';
import { benchReadCommands, benchStartup } from './measures/cli-processes.ts';
import { benchAlembic } from './measures/alembic.ts';
import { compareWithBaseline, saveBaseline } from './regression.ts';
import { benchRenderer, benchServerMemory } from './measures/renderer.ts';
import { benchServerMemorySession } from './measures/server-memory-session.ts';
import { benchBackupCost } from './measures/backup-cost.ts';
import { benchShadowCache } from './measures/shadow-cache.ts';

const SUITES: Record<string, { ids: string[]; run: (ctx: BenchContext) => Promise<BenchResult[]> }> = {
  startup: { ids: ['B0'], run: benchStartup },
  readCommands: { ids: ['B1', 'B1c', 'B5', 'B5a', 'B5b'], run: benchReadCommands },
  upDown: { ids: ['B2', 'B2s', 'B2c', 'B4', 'B4s', 'B4c'], run: benchUpDown },
  alembic: { ids: ['B3'], run: benchAlembic },
  renderer: { ids: ['B6', 'B6a', 'B6b', 'B6c'], run: benchRenderer },
  serverMemory: { ids: ['B7'], run: benchServerMemory },
  serverMemorySession: { ids: ['B8'], run: benchServerMemorySession },
  backupCost: { ids: ['B9'], run: benchBackupCost },
  shadowCache: { ids: ['B10a', 'B10b', 'B10c'], run: benchShadowCache },
};

const fmt = (n: number | undefined) => (n === undefined ? '' : n >= 100 ? n.toFixed(0) : n.toFixed(1));

function markdown(results: BenchResult[], meta: Record<string, string>): string {
  const lines = [
    `Measured ${meta.date} on ${meta.machine}${meta.quick === 'yes' ? ' (quick sizes)' : ''}; ${meta.load}.`,
    '',
    '| id | what | Godwit median (min–max) | baseline median (min–max) | ratio | target | result | PostgreSQL floor |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of results) {
    const g = `${fmt(r.godwit.median)} ${r.unit} (${fmt(r.godwit.min)}–${fmt(r.godwit.max)})`;
    const b = r.baseline ? `${fmt(r.baseline.median)} ${r.unit} (${fmt(r.baseline.min)}–${fmt(r.baseline.max)}) — ${r.baselineName}` : r.baselineName;
    const verdict = r.skipped ? `skipped: ${r.skipped}` : r.pass === null ? '—' : r.pass ? 'met' : 'MISSED';
    const floor = r.floor ? `${fmt(r.floor.ms)} ms: Godwit ${r.floor.ratio.toFixed(1)}× the floor` : '';
    lines.push(`| ${r.id} | ${r.what} | ${r.skipped ? '' : g} | ${b} | ${r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`} | ${r.target} | ${verdict} | ${floor} |`);
  }
  const notes = results.filter((r) => r.note);
  if (notes.length) lines.push('', 'Notes:', ...notes.map((r) => `- ${r.id}: ${r.note}`));
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const program = new Command('bench')
    .description('Godwit benchmarks: ratios against psql, raw pg and Alembic measured in the same run.')
    .option('--only <ids>', 'comma-separated ids, e.g. B2 or B1,B5')
    .option('--quick', 'tiny sizes, one or few runs: checks the suite works, in seconds')
    .option('--out <dir>', 'where to write results (default bench/results)')
    .option('--save-baseline', 'store these ratios as the regression baseline for this machine kind (bench/results/baselines.json)')
    .option('--check-baseline', 'exit 1 when a ratio is more than 50% worse than the stored baseline for this machine kind')
    .parse(process.argv);
  const opts = program.opts<{ only?: string; quick?: boolean; out?: string; saveBaseline?: boolean; checkBaseline?: boolean }>();
  const only = opts.only?.split(',').map((s) => s.trim().toUpperCase());
  // Ids are matched without case (B5a and B5A); B5 picks B5a and B5b, B10 picks B10a–c, and B1 is B1 alone.
  const picked = (id: string) => only!.includes(id.toUpperCase()) || only!.includes(id.replace(/[a-z]$/, '').toUpperCase());
  const serverUrl = process.env.GODWIT_TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const tmp = await mkdtemp(join(tmpdir(), 'godwit-bench-'));
  const ctx: BenchContext = { serverUrl, quick: opts.quick === true, runs: opts.quick ? 1 : 5, tmp };
  const results: BenchResult[] = [];
  const loadAtStart = loadavg()[0]!;
  try {
    for (const [name, suite] of Object.entries(SUITES)) {
      if (only && !suite.ids.some(picked)) continue;
      process.stderr.write(`bench: ${name} (${suite.ids.join(', ')})…\n`);
      results.push(...(await suite.run(ctx)).filter((r) => !only || picked(r.id)));
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  const meta = {
    date: new Date().toISOString(),
    machine: `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    quick: opts.quick ? 'yes' : 'no',
    // Other work on the machine slows both sides of a ratio, but not always alike: said with the results.
    load: `load average ${loadAtStart.toFixed(1)} at the start, ${loadavg()[0]!.toFixed(1)} at the end (${cpus().length} CPUs)`,
  };
  const md = markdown(results, meta);
  process.stdout.write(`\n${md}`);
  const out = opts.out ?? join(import.meta.dirname, 'results');
  await mkdir(out, { recursive: true });
  const base = opts.quick ? 'quick' : 'latest';
  await writeFile(join(out, `${base}.json`), JSON.stringify({ ...meta, results }, null, 2));
  await writeFile(join(out, `${base}.md`), md);
  process.stderr.write(`bench: wrote ${join(out, `${base}.json`)} and ${base}.md\n`);
  if (opts.saveBaseline) process.stderr.write(`bench: ${await saveBaseline(results, opts.quick === true)}\n`);
  if (opts.checkBaseline) {
    let verdict = await compareWithBaseline(results, opts.quick === true);
    if (verdict.regressions.length) {
      // One slow measurement is often the machine (a backup, another build); a regression shows on a second one too.
      // The suites that regressed are measured again, and each ratio is judged by the better of its two measurements.
      const ids = new Set(verdict.regressions.map((r) => r.id.split(':')[0]!));
      // Not yet "REGRESSION": that word is kept for a regression the second measurement confirms (the CI test looks for it).
      process.stderr.write(`bench: ${verdict.message.replace(/^REGRESSION on/, 'slower at first measurement on')}; measuring ${[...ids].join(', ')} again to confirm…\n`);
      const tmp2 = await mkdtemp(join(tmpdir(), 'godwit-bench-'));
      const again: BenchResult[] = [];
      try {
        for (const suite of Object.values(SUITES)) if (suite.ids.some((id) => ids.has(id))) again.push(...(await suite.run({ ...ctx, tmp: tmp2 })));
      } finally {
        await rm(tmp2, { recursive: true, force: true });
      }
      const better = results.map((r) => {
        const b = again.find((x) => x.id === r.id);
        return b && b.ratio !== null && r.ratio !== null && b.ratio < r.ratio ? b : r;
      });
      verdict = await compareWithBaseline(better, opts.quick === true);
    }
    process.stderr.write(`bench: ${verdict.message}\n`);
    if (verdict.regressions.length) process.exitCode = 1;
  }
}

await main();
