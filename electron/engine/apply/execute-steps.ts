import type { Db } from '../db/db.ts';
import { HISTORY_TABLE } from '../history/history-table.ts';
import { applyMigration, downTransaction, revertMigration, runBatch, upTransaction } from './run-migration.ts';
import type { Plan, PlannedStep } from './plan.ts';

/** Reports the start and end of each migration; `durationMs` is the server's own time for it when known. */
export interface StepEvents {
  start(step: PlannedStep, index: number): void;
  done(step: PlannedStep, index: number, durationMs: number): void;
}

const MAX_BATCH = 128;
const MAX_BATCH_BYTES = 1 << 20;
/** Batches grow while they finish this fast, and shrink when slower: progress stays live for slow migrations. */
const FAST_MS = 60;
const SLOW_MS = 250;

/**
 * Runs a plan's steps in order. Quick transactional migrations are sent several to a round trip (each still its own
 * transaction), the batch growing while batches stay fast; a slow migration, one that must run outside a
 * transaction, or one that failed in a batch runs alone, so failures are always reported from a single run.
 */
export async function executeSteps(db: Db, plan: Plan, events: StepEvents): Promise<void> {
  const steps = plan.steps;
  const up = plan.direction === 'up';
  const isCommitted = async (names: string[]): Promise<Set<string>> => {
    if (up) {
      const rows = await db.query<{ n: string }>(`SELECT migration_name AS n FROM "${HISTORY_TABLE}" WHERE migration_name = ANY($1) AND finished_at IS NOT NULL AND rolled_back_at IS NULL`, [names]);
      return new Set(rows.map((r) => r.n));
    }
    const left = new Set((await db.query<{ n: string }>(`SELECT DISTINCT migration_name AS n FROM "${HISTORY_TABLE}" WHERE migration_name = ANY($1)`, [names])).map((r) => r.n));
    return new Set(names.filter((n) => !left.has(n)));
  };
  const single = async (i: number) => {
    const step = steps[i]!;
    events.start(step, i);
    const t = performance.now();
    if (up) await applyMigration(db, step.migration, step.script);
    else await revertMigration(db, step.name, step.sql, step.script);
    const elapsed = performance.now() - t;
    events.done(step, i, elapsed);
    return elapsed;
  };

  let size = 1;
  let i = 0;
  while (i < steps.length) {
    const batch: number[] = [];
    let bytes = 0;
    for (let j = i; j < steps.length && batch.length < size; j++) {
      if (steps[j]!.script.nonTransactional.length) break;
      bytes += steps[j]!.sql.length;
      if (batch.length && bytes > MAX_BATCH_BYTES) break;
      batch.push(j);
    }
    if (batch.length <= 1) {
      const elapsed = await single(i);
      i++;
      size = elapsed < FAST_MS ? Math.min(Math.max(2, size * 2), MAX_BATCH) : 1;
      continue;
    }
    batch.forEach((j) => events.start(steps[j]!, j));
    const txs = batch.map((j) => {
      const s = steps[j]!;
      return up ? upTransaction(s.migration, s.script) : downTransaction(s.name, s.sql, s.script);
    });
    const t = performance.now();
    const outcome = await runBatch(db, txs, isCommitted);
    const elapsed = performance.now() - t;
    const finished = outcome.ok ? batch.length : outcome.committed;
    for (let k = 0; k < finished; k++) {
      const step = steps[batch[k]!]!;
      events.done(step, batch[k]!, outcome.ok ? (outcome.durations.get(step.name) ?? elapsed / batch.length) : elapsed / batch.length);
    }
    i += finished;
    if (!outcome.ok) size = 1; // the failing migration runs alone next, and reports exactly what failed
    else if (elapsed < FAST_MS) size = Math.min(size * 2, MAX_BATCH);
    else if (elapsed > SLOW_MS) size = Math.max(1, Math.floor(size / 2));
  }
}
