import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { machineKind, type BenchResult } from './harness.ts';

/**
 * Regression check: each ratio (Godwit over its baseline, both measured in the same run, and Godwit over the server's
 * floor) against the ratio stored for the same machine kind and the same sizes. Ratios, not times: a loaded or slower
 * machine moves both sides of a ratio together. Worse by more than half is a regression.
 */
export const BASELINES_FILE = join(import.meta.dirname, 'results', 'baselines.json');
export const TOLERANCE = 1.5;
/** A server floor shorter than this is not compared: a ratio to it measures noise. */
const MIN_FLOOR_MS = 50;

type Stored = Record<string, Record<'quick' | 'full', { date: string; ratios: Record<string, number> } | undefined>>;

export function ratiosOf(results: BenchResult[], quick: boolean): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of results) {
    // A ratio to a fixed budget (the renderer's) is a time in disguise: a loaded machine moves it. Only ratios of two
    // sides measured together are compared.
    if (r.skipped || r.ratio === null || r.baseline === null) continue;
    out[r.id] = r.ratio;
    // At --quick sizes the server's floor is a few milliseconds: the ratio to it is process start-up over noise, and
    // moves with the machine's load. Floors are compared at full sizes only, and only floors of real work (B9's, one
    // ALTER TABLE, is under a millisecond at any size).
    if (r.floor && !quick && r.floor.ms >= MIN_FLOOR_MS) out[`${r.id}:floor`] = r.floor.ratio;
  }
  return out;
}

async function load(file: string): Promise<Stored> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Stored;
  } catch {
    return {};
  }
}

export async function saveBaseline(results: BenchResult[], quick: boolean, file = BASELINES_FILE): Promise<string> {
  const stored = await load(file);
  const kind = machineKind();
  stored[kind] = { ...stored[kind], [quick ? 'quick' : 'full']: { date: new Date().toISOString(), ratios: ratiosOf(results, quick) } } as Stored[string];
  await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`);
  return `stored the ${quick ? 'quick' : 'full'} ratios as the baseline for ${kind} in ${file}`;
}

export interface Regression {
  id: string;
  stored: number;
  now: number;
}

export async function compareWithBaseline(results: BenchResult[], quick: boolean, file = BASELINES_FILE): Promise<{ regressions: Regression[]; compared: number; message: string }> {
  const kind = machineKind();
  const base = (await load(file))[kind]?.[quick ? 'quick' : 'full'];
  if (!base) return { regressions: [], compared: 0, message: `no stored baseline for ${kind} (${quick ? 'quick' : 'full'} sizes): nothing to compare; npm run bench -- ${quick ? '--quick ' : ''}--save-baseline stores one` };
  const regressions: Regression[] = [];
  let compared = 0;
  for (const [id, now] of Object.entries(ratiosOf(results, quick))) {
    const stored = base.ratios[id];
    if (stored === undefined) continue;
    compared++;
    if (now > stored * TOLERANCE) regressions.push({ id, stored, now });
  }
  const list = regressions.map((r) => `${r.id} ${r.now.toFixed(2)}× (stored ${r.stored.toFixed(2)}×)`).join(', ');
  return {
    regressions, compared,
    message: regressions.length ? `REGRESSION on ${kind}: ${list} — more than ${Math.round((TOLERANCE - 1) * 100)}% worse than the baseline of ${base.date}` : `${compared} ratio(s) within ${Math.round((TOLERANCE - 1) * 100)}% of the baseline of ${base.date} for ${kind}`,
  };
}
