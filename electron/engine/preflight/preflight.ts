import type { Db } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import type { Plan } from '../apply/plan.ts';
import { analyzePlan } from '../analysis/analyze-plan.ts';
import type { PlanAnalysis } from '../analysis/types.ts';
import { GodwitError } from '../util/errors.ts';
import { deriveChecks } from './derive-checks.ts';
import { describePreflightBlocker, findBlockers } from './find-blockers.ts';
import { runChecks } from './run-checks.ts';
import {
  DEFAULT_CHECK_TIMEOUT_MS, DEFAULT_IDLE_IN_TRANSACTION_MS, DEFAULT_LONG_TRANSACTION_MS, type DataCheck, type PreflightOptions, type PreflightReport,
} from './types.ts';

/**
 * The analysis with the environment's statistics, read under a short lock_timeout: reading a table's size takes
 * ACCESS SHARE, and a blocker holding ACCESS EXCLUSIVE must be reported, not waited for. Then the static analysis.
 */
export async function analyzeWithoutWaiting(db: Db, plan: Plan): Promise<PlanAnalysis> {
  if (db.kind !== 'postgres') return analyzePlan(plan, { db });
  await db.exec("BEGIN READ ONLY; SET LOCAL lock_timeout = '1s'");
  try {
    return await analyzePlan(plan, { db });
  } catch (err) {
    if ((err as { code?: string }).code !== '55P03') throw err;
    await db.exec('ROLLBACK');
    const [row] = await db.query<{ v: number }>("SELECT current_setting('server_version_num')::int / 10000 AS v");
    return analyzePlan(plan, { serverVersion: Number(row?.v ?? 15) });
  } finally {
    await db.exec('ROLLBACK').catch(() => undefined);
  }
}

const FINDING: ReadonlySet<DataCheck['status']> = new Set(['violations', 'error', 'timeout']);

/**
 * The live pre-flight of a plan on its environment: who is in the way right now (blockers), and which existing rows
 * a pending statement will fail on (data checks). Reads only. `analysis` may be passed when already made.
 */
export async function runPreflight(db: Db, env: Environment, plan: Plan, opts: PreflightOptions = {}, analysis?: PlanAnalysis): Promise<PreflightReport> {
  const thresholds = {
    longTransactionMs: opts.longTransactionMs ?? DEFAULT_LONG_TRANSACTION_MS,
    idleInTransactionMs: opts.idleInTransactionMs ?? DEFAULT_IDLE_IN_TRANSACTION_MS,
    checkTimeoutMs: opts.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
  };
  const planned = analysis ?? (await analyzeWithoutWaiting(db, plan));
  // Nothing pending, nothing to stand in the way of.
  const blockers = plan.steps.length ? await findBlockers(db, planned, thresholds) : [];
  let dataChecks: DataCheck[] = [];
  if (!opts.blockersOnly && plan.steps.length) {
    const specs = await deriveChecks(plan.steps.map((s) => ({ name: s.name, statements: s.script.statements })), db);
    dataChecks = await runChecks(db, specs, thresholds.checkTimeoutMs);
  }
  return {
    environment: env.name,
    direction: plan.direction,
    migrations: plan.steps.map((s) => s.name),
    serverVersion: planned.serverVersion,
    blockers,
    dataChecks,
    clear: blockers.length === 0 && !dataChecks.some((c) => FINDING.has(c.status)),
    thresholds,
    note: db.kind === 'postgres' ? undefined : 'An embedded database has one session: nobody else can hold a lock on it.',
  };
}

/** Whether a data check is a finding (violations found, or it could not tell). */
export const isFinding = (c: DataCheck): boolean => FINDING.has(c.status);

/**
 * The gate every run on a protected environment passes (the service's apply/rollback and the CLI's up/down call
 * it): while a session blocks what the plan needs, the run is refused, unless `ignoreBlockers`. Unprotected
 * environments and empty plans pass without a look. Returns the report it made (null when it did not look).
 */
export async function refuseWhileBlocked(db: Db, env: Environment, plan: Plan, opts: { ignoreBlockers?: boolean | undefined } & PreflightOptions = {}): Promise<PreflightReport | null> {
  if (!env.protected || opts.ignoreBlockers || plan.steps.length === 0) return null;
  const report = await runPreflight(db, env, plan, { ...opts, blockersOnly: true });
  if (report.blockers.length) {
    const list = report.blockers.map(describePreflightBlocker).join('; ');
    throw new GodwitError(
      'blockers-present',
      `Refusing to ${plan.direction === 'up' ? 'upgrade' : 'roll back'} ${env.name}: ${report.blockers.length} session(s) stand in the way: ${list}.`,
      'Wait for them to finish (or end them), check again with godwit preflight, or run with --ignore-blockers.',
    );
  }
  return report;
}
