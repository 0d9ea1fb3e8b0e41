import { execFile, spawn } from 'node:child_process';
import { cpus, platform, arch } from 'node:os';
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
  /** PostgreSQL's own execution time for the same work (bench/measures/server-floor.ts): Godwit's median / it. */
  floor?: { ms: number; ratio: number } | undefined;
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

/** Wall time of one whole process, start-up and exit included, as a user meets it. */
export async function timeProcess(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<number> {
  const t = performance.now();
  await runProcess(cmd, args, opts);
  return performance.now() - t;
}

/**
 * Runs each side once per round, rotating who goes first, so that a busy moment on the machine (or the server's
 * checkpoints and caches) cannot favour one side: the samples of both sides interleave in time.
 * `prepare` (untimed) runs before each side's timed run, e.g. to create a fresh database.
 */
export async function alternate<K extends string>(
  rounds: number,
  sides: Record<K, { prepare?: () => Promise<void>; run: () => Promise<number> }>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(sides) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order) {
      await sides[name].prepare?.();
      samples[name].push(await sides[name].run());
    }
  }
  return samples;
}

/** What a stored result must match for its ratios to be comparable: same CPU model and count, OS and architecture. */
export function machineKind(): string {
  const list = cpus();
  return `${platform()}-${arch()}-${list.length}x-${(list[0]?.model ?? 'cpu').trim().replace(/\s+/g, ' ')}`;
}

export function ratioResult(r: Omit<BenchResult, 'ratio' | 'pass'>, limit: (ratio: number, godwitMedian: number) => boolean): BenchResult {
  const ratio = r.baseline ? r.godwit.median / r.baseline.median : null;
  return { ...r, ratio, pass: ratio === null ? null : limit(ratio, r.godwit.median) };
}
