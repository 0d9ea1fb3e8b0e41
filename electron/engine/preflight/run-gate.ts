import type { Db } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import type { MigrationsFolder } from '../migrations/read-folder.ts';
import { assertHistoryClean, planRollback, planUpgrade, type Plan, type RollbackTarget } from '../apply/plan.ts';
import { requireConfirmation } from '../apply/run-plan.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { describeError } from '../util/errors.ts';
import { refuseWhileBlocked } from './preflight.ts';

export type RunRequest = { direction: 'up'; to?: string | undefined } | ({ direction: 'down' } & RollbackTarget);

/** The plan a run would make now (as `planFor` does), for the checks before it. */
export async function currentPlan(db: Db, env: Environment, folder: MigrationsFolder, req: RunRequest): Promise<Plan> {
  await loadSqlParser();
  const status = await readEnvironmentStatus(db, env, folder);
  assertHistoryClean(status, req.direction === 'up' ? 'upgrade' : 'roll back');
  return req.direction === 'up' ? planUpgrade(status, folder, req.to) : planRollback(status, folder, req);
}

/**
 * What a host calls before starting a run: on a protected environment, first the typed-name gate, then the live
 * pre-flight; while a session blocks what the plan needs the run is refused (and the refusal audited), unless
 * `ignoreBlockers`. Unprotected environments pass at once.
 */
export async function preflightGate(
  ctx: { db: Db; env: Environment; folder: MigrationsFolder },
  req: RunRequest,
  opts: { confirm?: string | undefined; ignoreBlockers?: boolean | undefined },
): Promise<void> {
  const { db, env } = ctx;
  if (!env.protected || opts.ignoreBlockers) return;
  requireConfirmation(env, opts.confirm, req.direction === 'up' ? 'upgrade' : 'roll back');
  const plan = await currentPlan(db, env, ctx.folder, req);
  try {
    await refuseWhileBlocked(db, env, plan, { ignoreBlockers: opts.ignoreBlockers });
  } catch (err) {
    await recordAudit(db, {
      environment: env.name, action: req.direction, migrations: plan.steps.map((s) => s.name), result: 'failed', error: describeError(err), durationMs: 0,
    }).catch(() => undefined);
    throw err;
  }
}
