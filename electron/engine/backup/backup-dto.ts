import type { PreviewDto, StepBackupDto } from '../../shared/dto.ts';
import type { Plan, PlannedStep } from '../apply/plan.ts';
import type { Environment } from '../project/environments.ts';
import { describeStepBackup } from './describe.ts';
import { backupTotals } from './plan-backups.ts';

const unquote = (t: string) => t.replace(/"/g, '');

/** A step's backups as the preview shows them (the app's confirmation reads it); undefined when there are none. */
export function stepBackupDto(step: PlannedStep): StepBackupDto | undefined {
  const b = step.backup;
  if (!b) return undefined;
  return {
    copies: b.copies.map((c) => ({
      statement: c.target.statementIndex + 1, kind: c.target.kind, table: unquote(c.target.table), column: c.target.column,
      rows: c.rows, bytes: c.bytes, restorable: c.restorable, note: c.note, skipped: c.skipped,
    })),
    skipped: b.skipped,
    restores: b.restores.filter((r) => r.kind !== 'skipped').map((r) => ({ id: r.id, kind: r.kind, table: r.table ? `${r.schema}.${r.table}` : null, column: r.column, rows: r.rows, bytes: r.bytes, comparesRows: r.comparesRows })),
    problems: b.problems,
    lines: describeStepBackup(step),
  };
}

/** The plan's backup totals against the environment's limit (up), when anything is copied. */
export function planBackupDto(plan: Plan, env: Environment | undefined): PreviewDto['backup'] {
  if (plan.direction !== 'up' || !env || !plan.steps.some((s) => s.backup?.copies.some((c) => !c.skipped))) return undefined;
  const t = backupTotals(plan, env);
  return { rows: t.rows, bytes: t.bytes, limitBytes: t.limitBytes, overLimit: t.bytes > t.limitBytes };
}
