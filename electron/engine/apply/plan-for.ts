import type { Db } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import type { OpenProject } from '../project/open-project.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { loadSqlParser } from '../sql/split-statements.ts';
import { assertHistoryClean, planRollback, planUpgrade, type Plan, type RollbackTarget } from './plan.ts';
import { renderPreview } from './render-preview.ts';
import { resolveHistoryTable } from '../history/history-table.ts';
import { attachBackups } from '../backup/plan-backups.ts';

export type PreviewRequest = ({ direction: 'up'; to?: string | undefined } | ({ direction: 'down' } & RollbackTarget));

/** The plan `up` or `down` would run now, without running it. */
export async function planFor(open: OpenProject, env: Environment, db: Db, req: PreviewRequest): Promise<Plan> {
  await loadSqlParser();
  const status = await readEnvironmentStatus(db, env, open.folder);
  assertHistoryClean(status, req.direction === 'up' ? 'upgrade' : 'roll back');
  const plan = req.direction === 'up' ? planUpgrade(status, open.folder, req.to) : planRollback(status, open.folder, req);
  // The preview names the history table with its schema, as the run does (a migration may SET search_path).
  plan.historyTable = await resolveHistoryTable(db);
  // What each step backs up (and its size) or restores, and why not: shown before anything runs (engine/backup).
  await attachBackups(db, plan);
  return plan;
}

/** The exact script `up`/`down` would run now. */
export async function previewSql(open: OpenProject, env: Environment, db: Db, req: PreviewRequest): Promise<{ plan: Plan; sql: string }> {
  const plan = await planFor(open, env, db, req);
  return { plan, sql: renderPreview(plan) };
}
