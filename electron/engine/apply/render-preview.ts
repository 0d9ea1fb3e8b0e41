import { CREATE_HISTORY_TABLE, HISTORY_TABLE, sqlLiteral } from '../history/history-table.ts';
import type { Plan, PlannedStep } from './plan.ts';
import { migrationChecksum } from '../migrations/checksum.ts';

const RULE = `-- ${'='.repeat(76)}`;

function header(step: PlannedStep, direction: Plan['direction']): string[] {
  const lines = [RULE, `-- ${direction === 'up' ? 'Upgrade' : 'Rollback'}: ${step.name} (${step.file})`];
  if (step.script.nonTransactional.length) {
    lines.push(`-- Transaction: NO — contains ${step.script.nonTransactional.join(', ')}; runs statement by statement,`);
    lines.push('--   and a failure leaves the statements before it applied.');
  } else {
    lines.push('-- Transaction: yes — the script and its history row commit together or not at all.');
  }
  if (step.script.parseError) lines.push(`-- Note: the SQL parser refused this script (${step.script.parseError}); it is sent whole.`);
  for (const w of step.script.warnings) lines.push(`-- WARNING (line ${w.line}): ${w.operation} — ${w.statement}`);
  lines.push(RULE);
  return lines;
}

/**
 * The exact script a plan runs, in the order it runs, including the history bookkeeping: piped into psql it does
 * what `godwit up`/`down` does (ids and times aside).
 */
export function renderPreview(plan: Plan): string {
  if (plan.steps.length === 0) return `-- Nothing to ${plan.direction === 'up' ? 'apply' : 'roll back'} in ${plan.environment}.\n`;
  const out: string[] = [`-- Godwit ${plan.direction === 'up' ? 'upgrade' : 'rollback'} of ${plan.environment}: ${plan.steps.length} migration(s); head after: ${plan.headAfter ?? 'base'}`, ''];
  if (plan.createsHistoryTable) out.push(`-- The history table does not exist yet; it is created as Prisma creates it.`, `${CREATE_HISTORY_TABLE};`, '');
  for (const step of plan.steps) {
    out.push(...header(step, plan.direction));
    const tx = step.script.nonTransactional.length === 0;
    const name = sqlLiteral(step.name);
    if (tx) out.push('BEGIN;');
    if (plan.direction === 'up') {
      out.push(`INSERT INTO "${HISTORY_TABLE}" ("id", "checksum", "migration_name") VALUES (gen_random_uuid()::text, ${sqlLiteral(migrationChecksum(step.sql))}, ${name});`);
    }
    out.push(step.sql.trimEnd());
    if (!/;\s*$/.test(step.sql.trimEnd()) && step.sql.trim()) out.push(';');
    out.push(
      plan.direction === 'up'
        ? `UPDATE "${HISTORY_TABLE}" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "migration_name" = ${name} AND "finished_at" IS NULL AND "rolled_back_at" IS NULL;`
        : `DELETE FROM "${HISTORY_TABLE}" WHERE "migration_name" = ${name};`,
    );
    if (tx) out.push('COMMIT;');
    out.push('');
  }
  return out.join('\n');
}
