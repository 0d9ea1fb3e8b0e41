import type { Db } from '../db/db.ts';
import type { BlockerWatch, Blocker } from '../lock/blockers.ts';
import { describeBlocker } from '../lock/blockers.ts';
import { backoffMs, type SessionLimits } from '../lock/session-limits.ts';
import { downTransaction, runBatch, runTransaction, upTransaction, type TxOptions, type TxOutcome } from './run-migration.ts';
import { applyOutsideTransaction, revertOutsideTransaction } from './run-statements.ts';
import { MigrationFailedError, type StatementFailure } from './migration-failure.ts';
import { StopRequested } from './interrupt.ts';
import type { Plan, PlannedStep } from './plan.ts';
import { stepExtras } from '../backup/plan-backups.ts';
import { historyIdsByName } from '../history/history-table.ts';

/** A migration rolled back by the lock timeout, about to be tried again. */
export interface LockRetry {
  attempt: number;
  attempts: number;
  waitMs: number;
  blockers: Blocker[];
}

/** Reports the start and end of each migration; `durationMs` is the server's own time for it when known. */
export interface StepEvents {
  start(step: PlannedStep, index: number): void;
  /** `kept`: the restore's sentence about rows written since the upgrade that kept their values (backup-sql.ts). */
  done(step: PlannedStep, index: number, durationMs: number, kept?: string): void;
  retry?(step: PlannedStep, index: number, retry: LockRetry): void;
}

/** What a run executes with, besides the plan. */
export interface StepContext {
  db: Db;
  tx: TxOptions;
  limits: SessionLimits;
  watch: BlockerWatch;
  signal?: AbortSignal | undefined;
  /** "Stop after the current migration": nothing new starts once aborted; what runs finishes (see RunOptions). */
  stopAfter?: AbortSignal | undefined;
}

const MAX_BATCH = 128;
const MAX_BATCH_BYTES = 1 << 20;
/** Batches grow while they finish this fast, and shrink when slower: progress stays live for slow migrations. */
const FAST_MS = 60;
const SLOW_MS = 250;
const LOCK_NOT_AVAILABLE = '55P03';

const seconds = (ms: number) => `${ms < 10_000 ? Number((ms / 1000).toFixed(1)) : Math.round(ms / 1000)} s`;

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** The failure a lock timeout becomes once every attempt timed out: still pending, and who held the lock. */
function lockTimeoutFailure(f: StatementFailure, limits: SessionLimits, attempts: number, blockers: Blocker[]): StatementFailure {
  const still = f.file === 'migration.sql' ? 'still pending' : 'still applied';
  const who = blockers.length ? `Blocked by ${blockers.map(describeBlocker).join('; ')}.` : 'The session holding the lock was not seen (it may have ended).';
  return {
    ...f,
    blockers,
    outcome: `It is ${still}: on each of ${attempts} attempt(s) it waited more than ${seconds(limits.lockTimeoutMs)} for a lock (lock_timeout) and was rolled back, so nothing queued behind it for longer. ${who}`,
  };
}

/**
 * Runs a plan's steps in order. Quick transactional migrations are sent several to a round trip (each still its own
 * transaction), the batch growing while batches stay fast; a slow migration, one that must run outside a
 * transaction, or one that failed in a batch runs alone, so failures are always reported from a single run.
 * A migration rolled back by the lock timeout is tried again after a growing pause, up to `lockAttempts` times.
 * An abort (Ctrl+C) stops the run before the next migration starts.
 */
export async function executeSteps(ctx: StepContext, plan: Plan, events: StepEvents): Promise<void> {
  const { db, tx, limits, watch, signal, stopAfter } = ctx;
  const steps = plan.steps;
  const up = plan.direction === 'up';
  /** Server durations of migrations a failed batch committed, read back from their rows (up only). */
  const rowDurations = new Map<string, number>();
  const isCommitted = async (names: string[]): Promise<Set<string>> => {
    if (up) {
      const rows = await db.query<{ n: string; ms: number }>(
        `SELECT migration_name AS n, (extract(epoch FROM finished_at - started_at) * 1000)::float8 AS ms FROM ${tx.historyTable} WHERE migration_name = ANY($1) AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        [names],
      );
      for (const r of rows) rowDurations.set(r.n, Number(r.ms));
      return new Set(rows.map((r) => r.n));
    }
    const left = new Set((await db.query<{ n: string }>(`SELECT DISTINCT migration_name AS n FROM ${tx.historyTable} WHERE migration_name = ANY($1)`, [names])).map((r) => r.n));
    return new Set(names.filter((n) => !left.has(n)));
  };
  // A rollback forgets each migration's history rows by their ids, read once here under the migration lock.
  const historyIds = up ? null : await historyIdsByName(db, tx.historyTable, steps.map((s) => s.name));
  /** The step's transaction, with its backups woven in (engine/backup). */
  const transactionOf = (step: PlannedStep) => {
    const extras = stepExtras(step, tx.historyTable);
    return up ? upTransaction(step.migration, step.script, tx, undefined, extras) : downTransaction(step.name, step.sql, step.script, tx, extras(''), historyIds?.get(step.name));
  };
  const stopIfAsked = () => {
    if (signal?.aborted) throw new StopRequested();
  };
  const once = async (step: PlannedStep): Promise<{ ms: number; kept?: string | undefined }> => {
    const t = performance.now();
    let outcome: TxOutcome = {};
    if (step.script.nonTransactional.length === 0) {
      const txn = transactionOf(step);
      outcome = await watch.during(() => runTransaction(db, txn, tx));
    } else if (up) await watch.during(() => applyOutsideTransaction(db, step.migration, step.script, tx));
    else await watch.during(() => revertOutsideTransaction(db, step.name, step.script, tx));
    return { ms: outcome.durationMs ?? performance.now() - t, kept: outcome.kept };
  };
  /** Runs step i alone; `firstAttempt` > 1 when a batch with it already hit the lock timeout once. */
  const single = async (i: number, firstAttempt = 1): Promise<number> => {
    const step = steps[i]!;
    events.start(step, i);
    const t = performance.now();
    if (firstAttempt > 1) {
      const waitMs = backoffMs(limits, firstAttempt);
      events.retry?.(step, i, { attempt: firstAttempt, attempts: limits.lockAttempts, waitMs, blockers: watch.last });
      await sleep(waitMs, signal);
      stopIfAsked();
    }
    for (let attempt = firstAttempt; ; attempt++) {
      try {
        const { ms, kept } = await once(step);
        events.done(step, i, ms, kept);
        return performance.now() - t;
      } catch (err) {
        const f = err instanceof MigrationFailedError ? err.failure : undefined;
        if (!f || f.error.code !== LOCK_NOT_AVAILABLE || !f.rolledBack || signal?.aborted) throw err;
        const blockers = watch.last;
        if (attempt >= limits.lockAttempts) throw new MigrationFailedError(lockTimeoutFailure(f, limits, attempt, blockers));
        const waitMs = backoffMs(limits, attempt + 1);
        events.retry?.(step, i, { attempt: attempt + 1, attempts: limits.lockAttempts, waitMs, blockers });
        await sleep(waitMs, signal);
        if (signal?.aborted) throw new MigrationFailedError(lockTimeoutFailure(f, limits, attempt, blockers));
      }
    }
  };

  let size = 1;
  let i = 0;
  let lockTimedOut = false;
  while (i < steps.length) {
    stopIfAsked();
    if (stopAfter?.aborted) throw new StopRequested();
    const batch: number[] = [];
    let bytes = 0;
    for (let j = i; j < steps.length && batch.length < size; j++) {
      if (steps[j]!.script.nonTransactional.length) break;
      bytes += steps[j]!.sql.length;
      if (batch.length && bytes > MAX_BATCH_BYTES) break;
      batch.push(j);
    }
    if (batch.length <= 1) {
      // The batch's lock timeout counts as the first attempt (with lockAttempts 1 the lone run still reports it).
      const elapsed = await single(i, lockTimedOut && limits.lockAttempts > 1 ? 2 : 1);
      lockTimedOut = false;
      i++;
      size = elapsed < FAST_MS ? Math.min(Math.max(2, size * 2), MAX_BATCH) : 1;
      continue;
    }
    batch.forEach((j) => events.start(steps[j]!, j));
    const txs = batch.map((j) => transactionOf(steps[j]!));
    const t = performance.now();
    const outcome = await watch.during(() => runBatch(db, txs, tx, isCommitted));
    const elapsed = performance.now() - t;
    const finished = outcome.ok ? batch.length : outcome.committed;
    for (let k = 0; k < finished; k++) {
      const step = steps[batch[k]!]!;
      const told = outcome.ok ? outcome.outcomes.get(step.name) : undefined;
      events.done(step, batch[k]!, (outcome.ok ? told?.durationMs : rowDurations.get(step.name)) ?? elapsed / batch.length, told?.kept);
    }
    i += finished;
    if (!outcome.ok && signal?.aborted) {
      // Cancelled inside the batch: the one that was running is rolled back; say so without running it again.
      const name = steps[i]!.name;
      const file = steps[i]!.file;
      throw new MigrationFailedError({ migration: name, file, statementIndex: 0, line: 1, statement: '', error: { message: 'canceling statement due to user request', code: '57014' }, rolledBack: true, phase: 'unknown' });
    }
    if (!outcome.ok) {
      size = 1; // the failing migration runs alone next, and reports exactly what failed
      lockTimedOut = (outcome.error as { code?: string }).code === LOCK_NOT_AVAILABLE;
    } else if (elapsed < FAST_MS) size = Math.min(size * 2, MAX_BATCH);
    else if (elapsed > SLOW_MS) size = Math.max(1, Math.floor(size / 2));
  }
}
