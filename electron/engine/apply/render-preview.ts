import { CREATE_HISTORY_TABLE, HISTORY_TABLE, sqlLiteral } from '../history/history-table.ts';
import type { Plan, PlannedStep } from './plan.ts';
import { downTransaction, FLUSH_SQL, upTransaction } from './run-migration.ts';

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
 * The exact script a plan runs, in the order it runs, built by the same functions that build what is sent: piped
 * into psql it does what `godwit up`/`down` does (ids and times aside).
 */
export function renderPreview(plan: Plan): string {
  if (plan.steps.length === 0) return `-- Nothing to ${plan.direction === 'up' ? 'apply' : 'roll back'} in ${plan.environment}.\n`;
  const out: string[] = [`-- Godwit ${plan.direction === 'up' ? 'upgrade' : 'rollback'} of ${plan.environment}: ${plan.steps.length} migration(s); head after: ${plan.headAfter ?? 'base'}`, ''];
  if (plan.createsHistoryTable) out.push(`-- The history table does not exist yet; it is created as Prisma creates it.`, `${CREATE_HISTORY_TABLE};`, '');
  for (const step of plan.steps) {
    out.push(...header(step, plan.direction));
    const name = sqlLiteral(step.name);
    if (step.script.nonTransactional.length === 0) {
      const tx = plan.direction === 'up' ? upTransaction(step.migration, step.script, 'gen_random_uuid()::text') : downTransaction(step.name, step.sql, step.script);
      out.push(`${tx.head}${tx.sql.trimEnd()}${tx.tail}`);
    } else if (plan.direction === 'up') {
      out.push(`INSERT INTO "${HISTORY_TABLE}" ("id", "checksum", "migration_name") VALUES (gen_random_uuid()::text, ${sqlLiteral(step.migration.checksum)}, ${name});`);
      out.push(step.sql.trimEnd(), ';');
      out.push(`UPDATE "${HISTORY_TABLE}" SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "migration_name" = ${name} AND "finished_at" IS NULL AND "rolled_back_at" IS NULL;`);
    } else {
      out.push(step.sql.trimEnd(), ';', `DELETE FROM "${HISTORY_TABLE}" WHERE "migration_name" = ${name};`);
    }
    out.push('');
  }
  out.push('-- Wait until everything above is on disk (each migration committed without waiting for its own flush).', FLUSH_SQL, '');
  return out.join('\n');
}
