import type { Db } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { GodwitError, describeError } from '../util/errors.ts';
import { ensureHistoryTable, mayHavePending, resolveHistoryTable } from '../history/history-table.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, withMigrationLock } from '../lock/advisory-lock.ts';
import { BlockerWatch } from '../lock/blockers.ts';
import { openCompanion, type Companion } from '../lock/companion.ts';
import { restoreSessionSql, sessionLimits, sessionLimitsSql, type SessionLimits } from '../lock/session-limits.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { requireNameForUnanalysed } from '../sql/unanalysed-gate.ts';
import { beginAudit, recordAudit } from '../audit/audit-log.ts';
import { readEnvironmentStatus, type EnvironmentStatus } from '../status/environment-status.ts';
import { IN_DATABASE } from '../status/migration-state.ts';
import { flushDurably } from './run-migration.ts';
import { executeSteps, type LockRetry } from './execute-steps.ts';
import { MigrationFailedError, type StatementFailure } from './migration-failure.ts';
import { interruptedSentence, RunInterruptedError, StopRequested } from './interrupt.ts';
import { isConnectionLost, settleLostConnection, type LostConnection } from './lost-connection.ts';
import { assertHistoryClean, planRollback, planUpgrade, type Plan, type RollbackTarget } from './plan.ts';
import { assertBackupChoices, attachBackups, type BackupChoices } from '../backup/plan-backups.ts';
import { expireBackups } from '../backup/catalog.ts';
import { dumpBeforeRun, type DumpOutcome } from '../backup/pg-dump.ts';
import { backupAuditNote } from '../backup/audit-note.ts';

/** Reported while a run progresses, one pair per migration. */
export type ProgressEvent =
  | { type: 'start'; environment: string; direction: Plan['direction']; name: string; index: number; total: number }
  | { type: 'done'; environment: string; direction: Plan['direction']; name: string; index: number; total: number; durationMs: number; kept?: string }
  | { type: 'failed'; environment: string; direction: Plan['direction']; name: string; index: number; total: number; failure: StatementFailure };

export interface RunOptions {
  /** Must equal the environment's name when it is protected: the engine enforces it, whatever the front end. */
  confirm?: string | undefined;
  /** How long to wait for Prisma's migration advisory lock. */
  lockTimeoutMs?: number | undefined;
  /** Over the environment's godwit.json settings: lock_timeout, statement_timeout, lock attempts. */
  limits?: Partial<SessionLimits> | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** A migration hit the lock timeout, was rolled back, and will be tried again. */
  onLockRetry?: ((event: { name: string; index: number; total: number } & LockRetry) => void) | undefined;
  /** Called with the plan decided under the lock, before anything runs. */
  onPlan?: ((plan: Plan) => void) | undefined;
  /**
   * Aborting it (Ctrl+C) cancels the running statement (pg_cancel_backend from a second session), waits for its
   * transaction's outcome, starts nothing more, writes the audit row, and ends the run with RunInterruptedError.
   */
  signal?: AbortSignal | undefined;
  /**
   * "Stop after the current migration": aborting it lets the running migration (or the batch of quick ones sent
   * together) finish and commit, starts nothing more, and ends the run normally with `stopped` in the report.
   */
  stopAfterCurrent?: AbortSignal | undefined;
  /** --no-backup, --no-restore, accepting a backup over the environment's backupLimit (engine/backup). */
  backup?: BackupChoices | undefined;
  /** Backups expired by the retention, and the "backupBeforeRun" dump's file (or why none was written). */
  onBackupEvent?: ((event: { type: 'expired'; ids: string[] } | { type: 'dump'; outcome: DumpOutcome }) => void) | undefined;
}

export interface RunReport {
  environment: string;
  direction: Plan['direction'];
  /** `kept`: rows written since the upgrade that a rollback's restore left as they were (backup-sql.ts digests_v1). */
  completed: { name: string; durationMs: number; kept?: string }[];
  failure: StatementFailure | null;
  headAfter: string | null;
  durationMs: number;
  /** Set when the run was stopped as asked (stopAfterCurrent) before its plan's end: how many were not run. */
  stopped?: { remaining: number } | undefined;
}

export interface RunContext {
  db: Db;
  env: Environment;
  folder: MigrationsFolder;
}

export function requireConfirmation(env: Environment, confirm: string | undefined, verb: string): void {
  if (env.protected && confirm !== env.name) {
    throw new GodwitError(
      'confirmation-required',
      `${env.name} is protected: to ${verb === 'roll back' ? 'roll it back' : `${verb} it`}, confirm with its exact name.`,
      `On the command line: --yes --confirm ${env.name}.`,
    );
  }
}

/** The environment's head once `completed` moved it, from the status read before the run. */
function headAfterRun(status: EnvironmentStatus | undefined, direction: Plan['direction'], completed: string[]): string | null {
  if (!status) return null;
  const applied = new Set(status.migrations.filter((m) => IN_DATABASE.has(m.state)).map((m) => m.name));
  for (const name of completed) direction === 'up' ? applied.add(name) : applied.delete(name);
  return [...applied].sort().at(-1) ?? null;
}

async function runPlan(
  ctx: RunContext,
  direction: Plan['direction'],
  makePlan: (s: EnvironmentStatus) => Plan,
  opts: RunOptions,
  verb: string,
): Promise<RunReport> {
  const started = performance.now();
  // The parser (WebAssembly, ~40 ms of CPU, ~15 ms of waiting) loads while the lock and the history are read when the
  // run may have steps: a rollback, or an upgrade whose folder holds a migration the history does not show applied (a
  // hint read before the lock; the plan, read under it, decides). A deploy with nothing pending never loads it.
  let parserReady = direction === 'down' || (await mayHavePending(ctx.db, ctx.folder)) ? loadSqlParser() : undefined;
  parserReady?.catch(() => undefined); // awaited below; a plan that fails first must not leave it unhandled
  const limits = sessionLimits(ctx.env.limits, opts.limits);
  let plan: Plan | undefined;
  let status: EnvironmentStatus | undefined;
  const completed: RunReport['completed'] = [];
  let failure: StatementFailure | null = null;
  let error: unknown;
  let companion: Companion | null = null;
  let running = false;
  let cancelling: Promise<void> | undefined;
  let lost: LostConnection | null = null;
  let dumped: DumpOutcome | undefined;
  /** The run's `started` audit row (audit-log.ts), replaced by its outcome at the end. */
  let auditId: string | null = null;
  const { signal } = opts;
  const onAbort = () => {
    if (running && companion) cancelling = companion.cancel().catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort);
  try {
    // Every statement of the run (history reads, bookkeeping, audit) runs under lock_timeout, not only the scripts.
    await ctx.db.exec(sessionLimitsSql(limits));
    await withMigrationLock(ctx.db, opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, async () => {
      // Read the history under the lock: another process may have moved the environment meanwhile.
      status = await readEnvironmentStatus(ctx.db, ctx.env, ctx.folder);
      assertHistoryClean(status, verb);
      plan = makePlan(status); // builds the steps' scripts unparsed (sql/prepare-script.ts)
      if (plan.steps.length) parserReady ??= loadSqlParser();
      await parserReady;
      // A script the parser could not analyse needs the typed environment name, protected or not (issue 8).
      requireNameForUnanalysed(ctx.env.name, opts.confirm, plan.steps);
      plan.historyTable = await resolveHistoryTable(ctx.db);
      // Old backups expire at the start of a run; then what this plan destroys is found and sized (engine/backup).
      const expired = await expireBackups(ctx.db, ctx.env.backup?.retentionDays);
      if (expired.length) opts.onBackupEvent?.({ type: 'expired', ids: expired });
      await attachBackups(ctx.db, plan, opts.backup);
      assertBackupChoices(plan, ctx.env, opts.backup ?? {});
      opts.onPlan?.(plan);
      if (!plan.steps.length) return;
      if (signal?.aborted) throw new StopRequested();
      if (plan.createsHistoryTable) await ensureHistoryTable(ctx.db, plan.historyTable);
      if (ctx.env.backup?.beforeRun && plan.direction === 'up') {
        const outcome = await dumpBeforeRun(ctx.env, plan);
        dumped = outcome;
        opts.onBackupEvent?.({ type: 'dump', outcome });
      }
      // Before the first migration runs: a run killed from here on still leaves its row (result `started`).
      auditId = await beginAudit(ctx.db, { environment: ctx.env.name, action: direction, migrations: plan.steps.map((st) => st.name) });
      companion = await openCompanion(ctx.env, ctx.db);
      const watch = new BlockerWatch(companion?.observer ?? null, companion?.pid ?? null, Math.max(25, Math.min(250, limits.lockTimeoutMs / 5 || 250)));
      const p = plan;
      const base = (name: string, i: number) => ({ environment: ctx.env.name, direction: p.direction, name, index: i + 1, total: p.steps.length });
      let current: { name: string; index: number } | undefined;
      try {
        running = true;
        await executeSteps({ db: ctx.db, tx: { historyTable: p.historyTable!, restoreSql: restoreSessionSql(limits) }, limits, watch, signal, stopAfter: opts.stopAfterCurrent }, p, {
          start: (step, i) => {
            current = { name: step.name, index: i };
            opts.onProgress?.({ type: 'start', ...base(step.name, i) });
          },
          done: (step, i, durationMs, kept) => {
            completed.push({ name: step.name, durationMs, ...(kept ? { kept } : {}) });
            opts.onProgress?.({ type: 'done', ...base(step.name, i), durationMs, ...(kept ? { kept } : {}) });
          },
          retry: (step, i, retry) => opts.onLockRetry?.({ ...base(step.name, i), ...retry }),
        });
      } catch (err) {
        if (err instanceof MigrationFailedError) {
          failure = err.failure;
          opts.onProgress?.({ type: 'failed', ...base(err.failure.migration, current?.name === err.failure.migration ? current.index : completed.length), failure });
        } else if (current && companion && isConnectionLost(err)) {
          // The server may still finish what it was sent: the outcome is read back on a new connection below.
          lost = { pid: (companion as Companion).pid, historyTable: p.historyTable!, name: current.name, direction: p.direction };
        }
        throw err;
      } finally {
        running = false;
      }
    }, signal);
  } catch (err) {
    error = err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A cancel still on its way could hit the flush or the audit row: let it land (on an idle session it is a no-op).
    await cancelling;
    await (companion as Companion | null)?.close().catch(() => undefined);
  }
  // Stopped as asked between migrations: a normal end, short of the plan (a Ctrl+C as well stays an interrupt).
  const stopped = error instanceof StopRequested && opts.stopAfterCurrent?.aborted && !signal?.aborted && plan
    ? { remaining: plan.steps.length - completed.length }
    : undefined;
  if (stopped) error = undefined;
  let auditDb: Db = ctx.db;
  if (lost) {
    const settled = await settleLostConnection(ctx.env, lost);
    error = settled.error;
    if (settled.db) auditDb = settled.db;
  }
  if (completed.length) await flushDurably(auditDb).catch(() => undefined);
  if (signal?.aborted) {
    // One true sentence of where things stand; it is also the audit row's error.
    error = new RunInterruptedError(
      interruptedSentence({
        environment: ctx.env.name,
        direction,
        completed: completed.map((c) => c.name),
        failure,
        remaining: plan ? plan.steps.length - completed.length - (failure ? 1 : 0) : 0,
        headAfter: headAfterRun(status, direction, completed.map((c) => c.name)),
      }),
    );
  }
  const durationMs = performance.now() - started;
  const failedName = (failure as StatementFailure | null)?.migration;
  await recordAudit(auditDb, {
    environment: ctx.env.name,
    action: direction,
    migrations: [...completed.map((c) => c.name), ...(failedName ? [failedName] : [])],
    result: error ? 'failed' : completed.length ? 'ok' : 'nothing-to-do',
    error: error ? describeError(error) : null,
    durationMs,
    note: [stopped ? `stopped as asked after ${completed.length} of ${plan!.steps.length} migration(s)` : null, backupAuditNote(plan, completed.map((c) => c.name), dumped)].filter(Boolean).join('; ') || null,
  }, auditId).catch(() => undefined);
  if (auditDb !== ctx.db) await auditDb.close().catch(() => undefined);
  if (error) throw error;
  if (stopped) return { environment: ctx.env.name, direction, completed, failure, headAfter: headAfterRun(status, direction, completed.map((c) => c.name)), durationMs, stopped };
  return { environment: ctx.env.name, direction, completed, failure, headAfter: plan!.headAfter, durationMs };
}

/** `godwit up`: applies pending migrations oldest first, each in its own transaction with its history row. */
export function upgrade(ctx: RunContext, opts: RunOptions & { to?: string | undefined }): Promise<RunReport> {
  requireConfirmation(ctx.env, opts.confirm, 'upgrade');
  return runPlan(ctx, 'up', (status) => planUpgrade(status, ctx.folder, opts.to), opts, 'upgrade');
}

/** `godwit down`: runs down.sql newest first, each with the deletion of its history row in one transaction. */
export function rollback(ctx: RunContext, opts: RunOptions & RollbackTarget): Promise<RunReport> {
  requireConfirmation(ctx.env, opts.confirm, 'roll back');
  return runPlan(ctx, 'down', (status) => planRollback(status, ctx.folder, opts), opts, 'roll back');
}
