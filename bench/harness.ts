import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

export const execFileAsync = promisify(execFile);

/** What one benchmark reports: Godwit's samples, its baseline's, and the target the ratio is held to. */
export interface BenchResult {
  id: string;
  what: string;
  unit: 'ms' | 'MB';
  godwit: Stats;
  baseline: Stats | null;
  baselineName: string;
  /** godwit median / baseline median (or godwit median / limit when the baseline is a fixed budget). */
  ratio: number | null;
  target: string;
  pass: boolean | null;
  note?: string | undefined;
  skipped?: string | undefined;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples };
}

/** Times `fn` `runs` times after `setup` each time (setup not timed). */
export async function measure(runs: number, fn: () => Promise<void>, setup?: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (setup) await setup();
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

/** Runs a command to completion, failing loudly with its stderr. */
export function runProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${(err || out).slice(0, 800)}`))));
    child.stdin.end(opts.input ?? '');
  });
}

export interface BenchContext {
  serverUrl: string;
  quick: boolean;
  runs: number;
  tmp: string;
}

export function ratioResult(r: Omit<BenchResult, 'ratio' | 'pass'>, limit: (ratio: number, godwitMedian: number) => boolean): BenchResult {
  const ratio = r.baseline ? r.godwit.median / r.baseline.median : null;
  return { ...r, ratio, pass: ratio === null ? null : limit(ratio, r.godwit.median) };
}
