import type { Command } from 'commander';
import { backupTotals } from '../../engine/backup/plan-backups.ts';
import { describeStepBackup } from '../../engine/backup/describe.ts';
import { dropBackups, listBackups, missingBackups, type BackupListing } from '../../engine/backup/catalog.ts';
import { formatBytes, formatCount } from '../../engine/backup/settings.ts';
import { withEnvironment } from '../../engine/project/with-environment.ts';
import type { Environment } from '../../engine/project/environments.ts';
import type { Plan } from '../../engine/apply/plan.ts';
import { GodwitError } from '../../engine/util/errors.ts';
import { resolveHistoryTable } from '../../engine/history/history-table.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, withMigrationLock } from '../../engine/lock/advisory-lock.ts';
import type { DumpOutcome } from '../../engine/backup/pg-dump.ts';
import { LAST_USE, environmentsFromOptions, lockTimeoutMs, optionsOf, projectFromOptions, withCommonOptions } from '../context.ts';
import { confirmChange } from '../confirm.ts';
import { dim, note, printJson, say, table, yellow } from '../output.ts';

/** What the steps of a plan back up or restore, as notices before the confirmation (and at the run with --yes). */
export function printBackupPlan(plan: Plan): void {
  for (const s of plan.steps) {
    const lines = describeStepBackup(s);
    if (lines.length) note(`  ${s.name}`);
    for (const l of lines) note(`    ${/NOT RESTORABLE|CANNOT RESTORE|skipped/.test(l) ? yellow(l) : dim(l)}`);
  }
}

/** ", backups ~1.2 GB — above prod's backupLimit of 1 GB" for the confirmation question; '' when nothing is copied. */
export function backupSummary(plan: Plan, env: Environment, noBackup: boolean): { text: string; overLimit: boolean } {
  if (plan.direction !== 'up' || noBackup) return { text: '', overLimit: false };
  const { bytes, rows, limitBytes } = backupTotals(plan, env);
  if (!plan.steps.some((s) => s.backup?.copies.some((c) => !c.skipped) && !s.backup.skipped)) return { text: '', overLimit: false };
  const overLimit = bytes > limitBytes;
  // Tables an earlier migration of the run creates have no size yet: "~0 B" would contradict their "size unknown".
  const copies = plan.steps.flatMap((s) => (s.backup && !s.backup.skipped ? s.backup.copies.filter((c) => !c.skipped) : []));
  const unknown = copies.filter((c) => c.bytes === null).length;
  const size = unknown === copies.length
    ? `backing up what ${copies.length} statement(s) destroy (size unknown: their tables do not exist yet)`
    : `backing up ~${formatCount(rows)} row(s), ~${formatBytes(bytes)}${unknown ? ` (+ ${unknown} of unknown size)` : ''}`;
  return { text: overLimit ? `, ${size} — above ${env.name}'s backupLimit of ${formatBytes(limitBytes)}` : `, ${size}`, overLimit };
}

export function printBackupEvent(event: { type: 'expired'; ids: string[] } | { type: 'dump'; outcome: DumpOutcome }): void {
  if (event.type === 'expired') note(dim(`Expired ${event.ids.length} backup(s) older than the retention (backupRetentionDays): ${event.ids.join(', ')}`));
  else if ('file' in event.outcome) note(dim(`pg_dump of ${event.outcome.tables.length} table(s) written to ${event.outcome.file}`));
  else note(yellow(`backupBeforeRun: no dump file — ${event.outcome.skipped}.`));
}

const age = (days: number) => (days < 1 / 1440 ? 'just now' : days < 1 / 24 ? `${Math.round(days * 1440)} min` : days < 1 ? `${Math.round(days * 24)} h` : `${Math.round(days)} d`);

function printListing(env: string, rows: BackupListing[]): void {
  if (!rows.length) return say(`No backups in ${env}.`);
  say(table(['ID', 'MIGRATION', 'WHAT', 'ROWS', 'SIZE', 'AGE', 'RESTORE'], rows.map((b) => [
    b.id, b.migration, b.kind === 'skipped' ? 'skipped (--no-backup)' : `${b.kind} ${b.table}${b.column ? `.${b.column}` : ''}`,
    formatCount(b.rows), formatBytes(b.bytes), age(b.ageDays),
    b.kind === 'skipped' ? '' : !b.restorable ? yellow('by hand') : b.attached ? 'on rollback' : yellow('detached'),
  ])));
  const total = rows.reduce((n, b) => n + b.bytes, 0);
  const detached = rows.some((b) => b.kind !== 'skipped' && b.restorable && !b.attached);
  say(dim(`${rows.length} backup(s), ${formatBytes(total)} in schema godwit of ${env}.${detached ? ' "detached": its migration was rolled back without restoring it.' : ''}`));
}

export function registerBackups(program: Command): void {
  const backups = withCommonOptions(program.command('backups'))
    .description('List the data Godwit kept from destructive migrations (schema godwit), restored when they are rolled back.')
    .option('--json', 'print the backups as JSON')
    .addHelpText('after', `
Before a migration destroys data (DROP TABLE, DROP COLUMN, a narrowing ALTER COLUMN TYPE, TRUNCATE, DELETE,
UPDATE), godwit up copies what it destroys into a table in schema godwit, in the migration's own transaction.
godwit down restores it after down.sql, in the same transaction, then drops the copy. In godwit.json, per
environment: "backupLimit" (default "1GB": above it Godwit asks), "backupRetentionDays" (default 30; 0 keeps
them; expired at the start of each run), "backupBeforeRun": true (a pg_dump of the affected tables too).

Examples:
  $ godwit backups --env prod
  $ godwit backups drop bk_5b0c1e0d2a3f4e5d_1 --env prod --yes --confirm prod
  $ godwit backups drop --all --env dev --yes`)
    .action(async (_o, cmd: Command) => {
      const opts = optionsOf<{ json?: boolean }>(cmd);
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      const rows = await withEnvironment(env!, async (db) => listBackups(db, await resolveHistoryTable(db)), LAST_USE);
      if (opts.json) printJson({ environment: env!.name, backups: rows });
      else printListing(env!.name, rows);
    });

  withCommonOptions(backups.command('drop'))
    .description('Drop backups by id, or all of them (--all): their data is gone, and rollbacks no longer restore it.')
    .argument('[ids...]', 'backup ids, as godwit backups lists them')
    .option('--all', 'drop every backup of the environment')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--confirm <environment>', 'the environment\'s name, required with --yes on a protected environment')
    .option('--lock-timeout <seconds>', 'how long to wait for the migration lock (default 10)')
    .option('--json', 'print the dropped ids as JSON')
    .action(async (ids: string[], _o, cmd: Command) => {
      const opts = optionsOf<{ all?: boolean; json?: boolean }>(cmd);
      if (!!opts.all === ids.length > 0) throw new GodwitError('bad-options', 'Give backup ids or --all (not both).');
      const open = await projectFromOptions(opts);
      const [env] = environmentsFromOptions(open, opts);
      // An id that names nothing is said before asking (inbox-zero: the question came first, the error after --yes).
      const missing = await withEnvironment(env!, (db) => missingBackups(db, ids));
      if (missing.length) throw new GodwitError('unknown-backup', `No backup named ${missing.join(', ')} in ${env!.name} (see godwit backups).`);
      await confirmChange(env!, opts, `drop ${opts.all ? 'every backup' : `${ids.length} backup(s)`} in ${env!.name}`);
      // Under the migration lock: never while a rollback is restoring from them.
      const dropped = await withEnvironment(env!, (db) =>
        withMigrationLock(db, lockTimeoutMs(opts) ?? DEFAULT_LOCK_TIMEOUT_MS, () => dropBackups(db, opts.all ? { all: true } : { ids })),
      );
      if (opts.json) printJson({ environment: env!.name, dropped });
      else say(`Dropped ${dropped.length} backup(s) in ${env!.name}${dropped.length ? `: ${dropped.join(', ')}` : ''}.`);
    });
}
