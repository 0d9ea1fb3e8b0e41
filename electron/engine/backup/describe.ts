import { DROPPED_PREFIX } from './catalog.ts';
import type { PlannedStep } from '../apply/plan.ts';
import type { PlannedCopy } from './plan-backups.ts';
import { formatBytes, formatCount } from './settings.ts';
import { notNullReadds } from './not-null-readd.ts';
import type { RestoreItem } from './restore-check.ts';

const unquote = (t: string) => t.replace(/"/g, '');

/** "the column patients.phone_number", "table bookings", "rows of bookings a DELETE matches" */
export function copyWhat(c: PlannedCopy): string {
  const t = c.target;
  const table = unquote(t.table);
  switch (t.kind) {
    case 'drop-table':
      return `the table ${table} (DROP TABLE)`;
    case 'truncate':
      return `the table ${table} (TRUNCATE)`;
    case 'drop-column':
    case 'alter-type': {
      const what = t.kind === 'drop-column' ? 'DROP COLUMN' : 'ALTER COLUMN TYPE';
      // Without a key to match rows by, the whole table is copied (for recovery by hand): said as such.
      return c.restorable ? `the column ${table}.${t.column} with its key (${what})` : `the whole table ${table} (${what} ${t.column})`;
    }
    case 'delete':
      return t.rowsQuery ? `the rows of ${table} the DELETE matches` : t.rowsQuery === '' ? `every row of ${table} (which rows the DELETE matches cannot be told)` : `every row of ${table} (a DELETE without WHERE)`;
    case 'update':
      return `${t.rowsQuery ? `the rows of ${table} the UPDATE matches` : `every row of ${table} the UPDATE may change`} (${t.setColumns.join(', ')})`;
  }
}

export const sizeOf = (rows: number | null, bytes: number | null) =>
  rows === null ? 'size unknown' : `~${formatCount(rows)} row(s), ~${formatBytes(bytes ?? 0)}`;

/** The size, and the note when there is one (a note about an unknown size replaces the size). */
const sizeAndNote = (c: PlannedCopy) => (c.rows === null && c.note ? c.note : `${sizeOf(c.rows, c.bytes)}${c.note ? ` (${c.note})` : ''}`);

/** For values changed in place (ALTER COLUMN TYPE, UPDATE): which rows get them back. */
const inPlace = (r: RestoreItem) => (r.kind !== 'alter-type' && r.kind !== 'update' ? ''
  : r.comparesRows ? '; rows changed since the upgrade keep their values'
    : '; every copied row gets its old value back, rows changed since the upgrade too (copied before Godwit compared rows)');

/** Lines telling what a step backs up or restores, for the SQL preview (as comments) and the command line. */
export function describeStepBackup(step: PlannedStep): string[] {
  const b = step.backup;
  if (!b) return [];
  const lines: string[] = [];
  if (step.file === 'migration.sql') {
    if (b.skipped) lines.push(`BACKUP: ${b.skipped}.`);
    for (const c of b.copies) {
      if (c.skipped) continue;
      // Not copied: said as what is lost, not as a copy (a "would copy" line under "not backed up" read as both).
      if (b.skipped) lines.push(`NOT BACKED UP (statement ${c.target.statementIndex + 1}): no copy is made of ${copyWhat(c)}: ${sizeAndNote(c)}.`);
      else lines.push(`BACKUP (statement ${c.target.statementIndex + 1}): copies ${copyWhat(c)} into schema godwit: ${sizeAndNote(c)}${c.restorable ? '' : ' — NOT RESTORABLE on rollback'}.`);
    }
    return lines;
  }
  const real = b.restores.filter((r) => r.kind !== 'skipped');
  if (b.noRestore && real.length) lines.push(`RESTORE: declined (--no-restore): ${real.length} backup(s) are kept in schema godwit, not restored.`);
  else {
    for (const r of real) lines.push(`RESTORE after down.sql: ${r.kind} of ${r.schema}.${r.table}${r.column ? `.${r.column}` : ''} from godwit.${r.id}: ${formatCount(r.rows)} row(s), ${formatBytes(r.bytes)}${inPlace(r)}.`);
    for (const r of step.script.nonTransactional.length ? [] : notNullReadds(step.script, real)) {
      lines.push(`RESTORE: down.sql adds ${r.table}.${r.column} back NOT NULL; it is sent without NOT NULL (blanked), refilled from the backup, then SET NOT NULL.`);
    }
  }
  for (const r of b.restores) if (r.kind === 'skipped' && r.note?.startsWith(DROPPED_PREFIX)) lines.push(`NOT RESTORED: backup ${r.id} was ${r.note}.`);
  for (const p of b.problems) lines.push(`CANNOT RESTORE: ${p}.`);
  return lines;
}
