import { blocksReads, blocksWrites } from './lock-modes.ts';
import type { RelationLock, Risk, StatementAnalysis } from './types.ts';

/** Thresholds of the risk rule (documented in the README). */
export const LARGE_ROWS = 1_000_000;
export const LARGE_BYTES = 1024 ** 3;
export const MEDIUM_ROWS = 10_000;
export const MEDIUM_BYTES = 100 * 1024 ** 2;
export const BUSY_OPS_PER_SECOND = 1;

type Size = 'small' | 'medium' | 'large';

function sizeOf(lock: RelationLock): Size {
  const rows = lock.stats?.rows ?? 0;
  const bytes = lock.stats?.sizeBytes ?? 0;
  if (rows >= LARGE_ROWS || bytes >= LARGE_BYTES) return 'large';
  if (rows >= MEDIUM_ROWS || bytes >= MEDIUM_BYTES) return 'medium';
  return 'small';
}

const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

/**
 * Risk of one statement on one environment: for each relation it locks, how much of the application the lock
 * stops (reads, writes, or neither) × how long (rewrite or scan: proportional to size; otherwise an instant) × how
 * busy the relation is (a brief AccessExclusive still stalls a busy table while it waits behind a long transaction).
 */
export function riskOf(analysis: Pick<StatementAnalysis, 'locks' | 'rewrite' | 'scan'>): { risk: Risk; reason: string } {
  let worst: { risk: Risk; reason: string } | undefined;
  const long = analysis.rewrite || analysis.scan;
  for (const lock of analysis.locks) {
    if (lock.createdByPlan || !blocksWrites(lock.mode)) continue;
    const size = sizeOf(lock);
    const busy = (lock.stats?.opsPerSecond ?? 0) >= BUSY_OPS_PER_SECOND;
    const stops = blocksReads(lock.mode) ? 'reads and writes' : 'writes';
    let risk: Risk = 'low';
    if (long && size === 'large') risk = 'high';
    else if (long && size === 'medium') risk = blocksReads(lock.mode) || busy ? 'high' : 'medium';
    else if (long && busy) risk = 'medium';
    else if (!long && busy && blocksReads(lock.mode)) risk = 'medium';
    const what = long ? `${analysis.rewrite ? 'rewrites' : 'scans'} a ${size} table` : 'holds the lock briefly';
    const reason = `${lock.relation}: stops ${stops}, ${what}${busy ? ', busy' : ''}`;
    if (!worst || RANK[risk] > RANK[worst.risk]) worst = { risk, reason };
  }
  return worst ?? { risk: 'low', reason: 'no lock that stops reads or writes of an existing table' };
}
