import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BenchDatabases } from '../databases.ts';
import { runProcess, stats, type BenchContext, type BenchResult } from '../harness.ts';
import { writeProject } from '../workloads/generate-project.ts';
import { generateRealisticHistory } from '../workloads/realistic-history.ts';
import { GODWIT_BIN } from './status-and-upgrade.ts';

const env = { ...process.env, NO_COLOR: '1', PGOPTIONS: '' };

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * B8: browser mode (`godwit serve`, a whole process) through a long session on a realistic 2,500-migration history,
 * driven over its HTTP API as the page does: open, status, preview, up, down, tables, compare, ten times over. The
 * server's resident memory is sampled every 100 ms; the peak carries the target.
 */
export async function benchServerMemorySession(ctx: BenchContext): Promise<BenchResult[]> {
  const count = ctx.quick ? 60 : 2500;
  const rounds = ctx.quick ? 2 : 10;
  const steps = 5;
  const dbs = new BenchDatabases(ctx.serverUrl);
  try {
    const migrations = generateRealisticHistory(count);
    const dir = await writeProject(join(ctx.tmp, 'b7s-project'), migrations);
    const dev = await dbs.create('b7sdev');
    const test = await dbs.create('b7stest');
    await writeFile(join(dir, 'godwit.json'), JSON.stringify({ environments: { dev: { url: dev }, test: { url: test } } }));
    // dev at head, test 20 behind: each round moves test up 5 and back down (not timed, not sampled).
    const godwit = (...args: string[]) => runProcess(process.execPath, [GODWIT_BIN, '--project', dir, ...args], { env });
    await godwit('--env', 'dev', 'up', '--yes');
    await godwit('--env', 'test', 'up', '--yes', '--to', migrations[count - 21]!.name);

    await runProcess(process.execPath, [GODWIT_BIN, '--version']); // builds the CLI bundle if a source changed: not measured
    const child = spawn(process.execPath, [GODWIT_BIN, 'serve', '--project', dir], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, GODWIT_DATA_DIR: join(ctx.tmp, 'b7s-data') },
    });
    const samples: number[] = [];
    let sampler: NodeJS.Timeout | undefined;
    try {
      const url = await new Promise<URL>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
          if (m) resolve(new URL(m[1]!));
        });
        child.on('exit', (code) => reject(new Error(`godwit serve exited ${code}`)));
      });
      const token = url.searchParams.get('token')!;
      // The highest resident memory seen right after each kind of call: where the peak comes from.
      const byOp: Record<string, number> = {};
      const started = await rssMb(child.pid!);
      const api = async (op: string, body: unknown): Promise<unknown> => {
        const r = await fetch(new URL(`/api/${op}`, url), {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-godwit-token': token, origin: url.origin }, body: JSON.stringify(body),
        });
        const json = (await r.json()) as { ok?: boolean; error?: unknown };
        if (!r.ok || json.ok === false) throw new Error(`${op}: ${JSON.stringify(json).slice(0, 300)}`);
        const mb = await rssMb(child.pid!);
        if (mb > (byOp[op] ?? 0)) byOp[op] = mb;
        return json;
      };
      sampler = setInterval(() => void rssMb(child.pid!).then((mb) => mb && samples.push(mb)), 100);
      const afterRound: number[] = [];
      for (let i = 0; i < rounds; i++) {
        await api('project/open', { dir });
        await api('environments/status', {});
        await api('migrations/preview', { env: 'test', direction: 'up' });
        await api('migrations/apply', { env: 'test', to: migrations[count - 21 + steps]!.name, runId: `up-${i}` });
        await api('migrations/preview', { env: 'test', direction: 'down', steps });
        await api('migrations/rollback', { env: 'test', steps, runId: `down-${i}` });
        await api('tables/list', { env: 'dev' });
        await api('environments/compare', { a: 'dev', b: 'test' });
        afterRound.push(await rssMb(child.pid!));
      }
      const s = stats(samples);
      return [{
        id: 'B8', what: `browser mode peak resident memory, ${rounds} rounds of open/status/preview/up/down/tables/compare, ${count} realistic migrations`,
        unit: 'MB', godwit: { ...s, median: s.max }, baseline: null, baselineName: 'target 300 MB', ratio: s.max / 300, target: 'peak < 300 MB',
        pass: s.max < 300, note: `Peak of ${samples.length} samples every 100 ms; at start ${started.toFixed(0)} MB; after each round: ${afterRound.map((m) => m.toFixed(0)).join(', ')} MB; highest after each call: ${Object.entries(byOp).map(([op, mb]) => `${op} ${mb.toFixed(0)}`).join(', ')} MB.`,
      }];
    } finally {
      clearInterval(sampler);
      child.kill('SIGTERM');
    }
  } finally {
    await dbs.dropAll();
  }
}
