import { CREATE_HISTORY_TABLE, HISTORY_TABLE, sqlIdentifier, sqlLiteral } from '../history/history-table.ts';
import type { Plan, PlannedStep } from './plan.ts';
import { stepExtras } from '../backup/plan-backups.ts';
import { BACKUP_SETUP_SQL } from '../backup/backup-sql.ts';
import { describeStepBackup } from '../backup/describe.ts';
import { downTransaction, FLUSH_SQL, upTransaction, type TxOptions } from './run-migration.ts';

const RULE = `-- ${'='.repeat(76)}`;

function header(step: PlannedStep, direction: Plan['direction']): string[] {
  const lines = [RULE, `-- ${direction === 'up' ? 'Upgrade' : 'Rollback'}: ${step.name} (${step.file})`];
  if (step.script.nonTransactional.length) {
    lines.push(`-- Transaction: NO — contains ${step.script.nonTransactional.join(', ')}; runs statement by statement,`);
    lines.push('--   and a failure leaves the statements before it applied.');
  } else {
    lines.push('-- Transaction: yes — the script and its history row commit together or not at all.');
    if (step.script.ownTransaction.length) lines.push("--   Its own BEGIN and COMMIT are sent as spaces: it runs in Godwit's transaction.");
  }
  if (step.script.parseError) lines.push(`-- Note: the SQL parser refused this script (${step.script.parseError}); it is sent whole.`);
  for (const w of step.script.warnings) lines.push(`-- WARNING (line ${w.line}): ${w.operation} — ${w.statement}`);
  for (const line of describeStepBackup(step)) lines.push(`-- ${line}`);
  lines.push(RULE);
  return lines;
}

/**
 * The exact script a plan runs, in the order it runs, built by the same functions that build what is sent: piped
 * into psql it does what `godwit up`/`down` does (ids and times aside).
 */
export function renderPreview(plan: Plan): string {
  if (plan.steps.length === 0) return `-- Nothing to ${plan.direction === 'up' ? 'apply' : 'roll back'} in ${plan.environment}.\n`;
  const out: string[] = [
    `-- Godwit ${plan.direction === 'up' ? 'upgrade' : 'rollback'} of ${plan.environment}: ${plan.steps.length} migration(s); head after: ${plan.headAfter ?? 'base'}`,
    // Piped into psql, the script stops at the first error as godwit does; without it psql went on after a failed
    // migration and the next ones ran, or a failed non-transactional one was marked applied.
    '-- For psql (run it with `psql -f` or through a pipe): stop at the first error, as godwit up/down does.',
    '\\set ON_ERROR_STOP on',
    '',
  ];
  // The history table is named with its schema, and each migration ends with RESET ALL, as godwit up sends them:
  // a migration's `SET search_path` can neither misdirect the history row nor leak into the next migration.
  const opts: TxOptions = { historyTable: plan.historyTable ?? sqlIdentifier(HISTORY_TABLE), restoreSql: 'RESET ALL;' };
  const t = opts.historyTable;
  if (plan.createsHistoryTable) out.push(`-- The history table does not exist yet; it is created as Prisma creates it.`, `${CREATE_HISTORY_TABLE.replace(`"${HISTORY_TABLE}"`, t)};`, '');
  // Each transaction that backs up or restores data first makes sure of Godwit's backup functions (idempotent, ~100
  // lines): the preview shows that setup once, here, and a one-line reference in each transaction.
  const setupAt = out.length;
  let needsSetup = false;
  for (const step of plan.steps) {
    out.push(...header(step, plan.direction));
    const name = sqlLiteral(step.name);
    if (step.script.nonTransactional.length === 0) {
      const real = stepExtras(step, t);
      const extras = (idSql: string) => {
        const ex = real(idSql);
        if (!ex) return ex;
        needsSetup = true;
        return { ...ex, setup: '-- godwit: backup functions (set up at the top of this script)' };
      };
      const tx = plan.direction === 'up' ? upTransaction(step.migration, step.script, opts, undefined, extras) : downTransaction(step.name, step.sql, step.script, opts, extras(''));
      out.push(`${tx.head}${tx.sql.trimEnd()}${tx.tail}`);
    } else if (plan.direction === 'up') {
      out.push(`INSERT INTO ${t} ("id", "checksum", "migration_name", "started_at") VALUES (gen_random_uuid()::text, ${sqlLiteral(step.migration.checksum)}, ${name}, clock_timestamp());`);
      out.push(step.sql.trimEnd(), ';', opts.restoreSql);
      out.push(`UPDATE ${t} SET "finished_at" = clock_timestamp(), "applied_steps_count" = 1 WHERE "migration_name" = ${name} AND "finished_at" IS NULL AND "rolled_back_at" IS NULL;`);
    } else {
      out.push(step.sql.trimEnd(), ';', opts.restoreSql, `DELETE FROM ${t} WHERE "migration_name" = ${name};`);
    }
    out.push('');
  }
  if (needsSetup) out.splice(setupAt, 0, `-- Godwit's backup catalog and functions (schema godwit), as each backing-up transaction makes sure of them:`, `${BACKUP_SETUP_SQL};`, '');
  out.push('-- Wait until everything above is on disk (each migration committed without waiting for its own flush).', FLUSH_SQL, '');
  return out.join('\n');
}
