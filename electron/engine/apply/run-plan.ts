import type { Db } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { GodwitError, describeError } from '../util/errors.ts';
import { ensureHistoryTable } from '../history/history-table.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, withMigrationLock } from '../lock/advisory-lock.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { requireNameForUnanalysed } from '../sql/unanalysed-gate.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { readEnvironmentStatus, type EnvironmentStatus } from '../status/environment-status.ts';
import { flushDurably } from './run-migration.ts';
import { executeSteps } from './execute-steps.ts';
import { MigrationFailedError, type StatementFailure } from './migration-failure.ts';
import { assertHistoryClean, planRollback, planUpgrade, type Plan, type RollbackTarget } from './plan.ts';

/** Reported while a run progresses, one pair per migration. */
export type ProgressEvent =
  | { type: 'start'; environment: string; direction: Plan['direction']; name: string; index: number; total: number }
  | { type: 'done'; environment: string; direction: Plan['direction']; name: string; index: number; total: number; durationMs: number }
  | { type: 'failed'; environment: string; direction: Plan['direction']; name: string; index: number; total: number; failure: StatementFailure };

export interface RunOptions {
  /** Must equal the environment's name when it is protected: the engine enforces it, whatever the front end. */
  confirm?: string | undefined;
  lockTimeoutMs?: number | undefined;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Called with the plan decided under the lock, before anything runs. */
  onPlan?: ((plan: Plan) => void) | undefined;
}

export interface RunReport {
  environment: string;
  direction: Plan['direction'];
  completed: { name: string; durationMs: number }[];
  failure: StatementFailure | null;
  headAfter: string | null;
  durationMs: number;
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
      `${env.name} is protected: to ${verb} it, confirm with its exact name.`,
      `On the command line: --yes --confirm ${env.name}.`,
    );
  }
}

async function runPlan(
  ctx: RunContext,
  direction: Plan['direction'],
  makePlan: (s: EnvironmentStatus) => Plan,
  opts: RunOptions,
  verb: string,
): Promise<RunReport> {
  const started = performance.now();
  // The parser (WebAssembly) loads while the lock and the history are read.
  const parserReady = loadSqlParser();
  let plan: Plan | undefined;
  const completed: RunReport['completed'] = [];
  let failure: StatementFailure | null = null;
  let error: unknown;
  try {
    await withMigrationLock(ctx.db, opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, async () => {
      // Read the history under the lock: another process may have moved the environment meanwhile.
      const status = await readEnvironmentStatus(ctx.db, ctx.env, ctx.folder);
      assertHistoryClean(status, verb);
      await parserReady;
      plan = makePlan(status);
      // A script the parser could not analyse needs the typed environment name, protected or not (issue 8).
      requireNameForUnanalysed(ctx.env.name, opts.confirm, plan.steps);
      opts.onPlan?.(plan);
      if (plan.createsHistoryTable && plan.steps.length) await ensureHistoryTable(ctx.db);
      const p = plan;
      const base = (name: string, i: number) => ({ environment: ctx.env.name, direction: p.direction, name, index: i + 1, total: p.steps.length });
      let current: { name: string; index: number } | undefined;
      try {
        await executeSteps(ctx.db, p, {
          start: (step, i) => {
            current = { name: step.name, index: i };
            opts.onProgress?.({ type: 'start', ...base(step.name, i) });
          },
          done: (step, i, durationMs) => {
            completed.push({ name: step.name, durationMs });
            opts.onProgress?.({ type: 'done', ...base(step.name, i), durationMs });
          },
        });
      } catch (err) {
        if (err instanceof MigrationFailedError) {
          failure = err.failure;
          opts.onProgress?.({ type: 'failed', ...base(err.failure.migration, current?.name === err.failure.migration ? current.index : completed.length), failure });
        }
        throw err;
      }
    });
  } catch (err) {
    error = err;
  }
  if (completed.length) await flushDurably(ctx.db).catch(() => undefined);
  const durationMs = performance.now() - started;
  const failedName = (failure as StatementFailure | null)?.migration;
  await recordAudit(ctx.db, {
    environment: ctx.env.name,
    action: direction,
    migrations: [...completed.map((c) => c.name), ...(failedName ? [failedName] : [])],
    result: error ? 'failed' : completed.length ? 'ok' : 'nothing-to-do',
    error: error ? describeError(error) : null,
    durationMs,
  }).catch(() => undefined);
  if (error) throw error;
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
