import type { Db } from '../db/db.ts';
import type { Environment } from '../project/environments.ts';
import type { Plan, PlannedStep } from '../apply/plan.ts';
import type { TxExtras } from '../apply/run-migration.ts';
import { GodwitError } from '../util/errors.ts';
import { afterDigestsSql, BACKUP_SETUP_SQL, backupCallSql, copiesFollowRenamesSql, restoreCallSql, sameDigestsSql, skippedRecordSql } from './backup-sql.ts';
import { renamesIn } from '../sql/script-renames.ts';
import { estimateTarget, existingTables, type BackupEstimate } from './estimate.ts';
import { findBackupTargets, loadScanner, quoteIdent, type BackupTarget } from './find-targets.ts';
import { notNullReadds } from './not-null-readd.ts';
import { currentColumnTypes, readRestores, restoreProblems, type RestoreItem } from './restore-check.ts';

import { DEFAULT_BACKUP_LIMIT_BYTES, formatBytes } from './settings.ts';

/** The reason a step is not backed up when the user said so (the only case written to the catalog). */
export const NO_BACKUP = 'skipped with --no-backup';

/** One copy a migration will make before a destroying statement, with its estimated size. */
export interface PlannedCopy extends BackupEstimate {
  target: BackupTarget;
}

/** What a step backs up (up) or restores (down); attached to the plan by attachBackups. */
export interface StepBackup {
  copies: PlannedCopy[];
  /** up: why nothing is copied although the migration destroys data; null when it copies (or destroys nothing). */
  skipped: string | null;
  restores: RestoreItem[];
  /** down: why the backups cannot be restored; the run refuses unless restoring is declined (--no-restore). */
  problems: string[];
  /** down: the user declined restoring; the backups are kept, detached from the history. */
  noRestore: boolean;
}

export interface BackupChoices {
  /** --no-backup: copy nothing; the catalog records that the migration ran without its backup. */
  noBackup?: boolean | undefined;
  /** --no-restore: roll back without restoring (keeps the backups). */
  noRestore?: boolean | undefined;
  /** The user accepted copying more than the environment's backupLimit. */
  allowLargeBackup?: boolean | undefined;
}

/** Total estimated bytes a plan copies, and the environment's limit. */
export function backupTotals(plan: Plan, env: Environment): { rows: number; bytes: number; unknown: number; limitBytes: number } {
  let rows = 0;
  let bytes = 0;
  let unknown = 0;
  for (const s of plan.steps) {
    if (s.backup?.skipped) continue;
    for (const c of s.backup?.copies ?? []) {
      if (c.skipped) continue;
      if (c.bytes === null) unknown++;
      rows += c.rows ?? 0;
      bytes += c.bytes ?? 0;
    }
  }
  return { rows, bytes, unknown, limitBytes: env.backup?.limitBytes ?? DEFAULT_BACKUP_LIMIT_BYTES };
}

/**
 * Finds what each step destroys and estimates its copy (up), or reads the backups each rollback restores and
 * whether it can (down). Read-only: the preview and the run both call it (the run under the migration lock).
 */
export async function attachBackups(db: Db, plan: Plan, choices: BackupChoices = {}): Promise<void> {
  if (plan.direction === 'up') {
    if (!plan.steps.length) return; // nothing to scan: the scanner (the SQL parser's WebAssembly) stays unloaded
    await loadScanner();
    let cannot: string | null | undefined;
    const targetsOf = plan.steps.map((step) => (step.script.unanalysed ? [] : findBackupTargets(step.script)));
    const existing = await existingTables(db, targetsOf.flat().map((t) => t.table));
    for (const [i, step] of plan.steps.entries()) {
      const targets = targetsOf[i]!;
      if (!targets.length) continue;
      const copies: PlannedCopy[] = [];
      // A name the run's earlier statements give (a column renamed first, inbox-zero) is not there to be sized yet.
      const unsized = (e: Error) => ((e as { code?: string }).code === '42703' || (e as { code?: string }).code === '42P01'
        ? 'what it reads is named by an earlier statement or migration of the run, so it cannot be sized before: size unknown'
        : `size unknown: ${e.message}`);
      for (const target of targets) copies.push({ target, ...(await estimateTarget(db, target, existing?.has(target.table)).catch((e: Error) => ({ rows: null, bytes: null, restorable: true, note: unsized(e), skipped: false }))) });
      cannot ??= await backupImpossible(db);
      const skipped = choices.noBackup
        ? NO_BACKUP
        : step.script.nonTransactional.length
          ? `not backed up: it runs outside a transaction (${step.script.nonTransactional.join(', ')}), so a copy could not be tied to its outcome`
          : cannot;
      step.backup = { copies, skipped, restores: [], problems: [], noRestore: false };
    }
    return;
  }
  const restores = await readRestores(db, plan.historyTable ?? '"_prisma_migrations"', plan.steps.map((s) => s.name));
  if (!restores.length) return;
  await loadScanner(); // to find a down.sql's NOT NULL re-adds (not-null-readd.ts)
  const types = await currentColumnTypes(db, restores);
  const byMigration = new Map<string, RestoreItem[]>();
  for (const r of restores) {
    const mine = byMigration.get(r.migration);
    if (mine) mine.push(r);
    else byMigration.set(r.migration, [r]);
  }
  for (const step of plan.steps) {
    const mine = byMigration.get(step.name);
    if (!mine) continue;
    const problems = [...restoreProblems(step, mine, types), ...(await rowsWithoutCopies(db, step, mine))];
    step.backup = { copies: [], skipped: null, restores: mine, problems, noRestore: choices.noRestore === true };
  }
}

/**
 * A column down.sql adds back NOT NULL without a default is refilled from its copy, then set NOT NULL: rows inserted
 * since the upgrade have no copy, stay NULL, and the rollback fails at the end (hoppscotch-shaped history: a row
 * added after a NOT NULL column was dropped). Said before anything runs, with how many rows.
 */
async function rowsWithoutCopies(db: Db, step: PlannedStep, items: RestoreItem[]): Promise<string[]> {
  if (step.script.nonTransactional.length) return [];
  const out: string[] = [];
  for (const r of notNullReadds(step.script, items)) {
    const copy = items.find((i) => i.kind === 'drop-column' && i.restorable && i.schema === r.schema && i.table === r.table && i.column === r.column);
    if (!copy?.keyColumns?.length) continue;
    const match = copy.keyColumns.map((k) => `b.${quoteIdent(k)} = t.${quoteIdent(k)}`).join(' AND ');
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${quoteIdent(r.schema)}.${quoteIdent(r.table)} t WHERE NOT EXISTS (SELECT 1 FROM godwit.${quoteIdent(copy.id)} b WHERE ${match})`,
    ).catch(() => [] as { n: number }[]);
    if (row && row.n > 0) {
      out.push(`${r.schema}.${r.table}.${r.column}: ${row.n} row(s) inserted since the upgrade have no copy of the column, which down.sql adds back NOT NULL without a default, so setting NOT NULL after the refill would fail; give it a DEFAULT in down.sql, or fill those rows first`);
    }
  }
  return out;
}

/**
 * Why this session cannot keep backups, or null: the role may not create schema godwit, or tables in it. The run
 * then goes on without them, and says so (preview, progress, audit note).
 */
async function backupImpossible(db: Db): Promise<string | null> {
  const [r] = await db.query<{ schema: boolean; create_db: boolean; create_schema: boolean | null; insert: boolean | null }>(
    `SELECT to_regnamespace('godwit') IS NOT NULL AS schema, has_database_privilege(current_database(), 'CREATE') AS create_db,
            CASE WHEN to_regnamespace('godwit') IS NULL THEN NULL ELSE has_schema_privilege('godwit', 'CREATE') END AS create_schema,
            CASE WHEN to_regclass('godwit.backups') IS NULL THEN NULL ELSE has_table_privilege('godwit.backups', 'INSERT') END AS insert`,
  );
  if (!r) return null;
  if (!r.schema && !r.create_db) return 'not backed up: this role may not create schema godwit (grant it CREATE on the database, or create the schema for it)';
  if (r.schema && (r.create_schema === false || r.insert === false)) return 'not backed up: this role may not create tables in schema godwit or write godwit.backups (grant CREATE on the schema and INSERT on the table)';
  return null;
}

/** Refuses a run that would copy more than the limit, or roll back without restoring what it can't, unless chosen. */
export function assertBackupChoices(plan: Plan, env: Environment, choices: BackupChoices): void {
  if (plan.direction === 'up') {
    if (choices.noBackup || choices.allowLargeBackup) return;
    const { bytes, limitBytes } = backupTotals(plan, env);
    if (bytes > limitBytes) {
      throw new GodwitError(
        'backup-over-limit',
        `The backups of this run would copy about ${formatBytes(bytes)}, more than ${env.name}'s backupLimit of ${formatBytes(limitBytes)}.`,
        'Accept the size (--allow-large-backup, or confirm in the app), skip the backup (--no-backup), or raise "backupLimit" in godwit.json.',
      );
    }
    return;
  }
  if (choices.noRestore) return;
  const blocked = plan.steps.filter((s) => s.backup?.problems.length);
  if (blocked.length) {
    const list = blocked.map((s) => `${s.name}: ${s.backup!.problems.join('; ')}`).join(' | ');
    throw new GodwitError(
      'backup-not-restorable',
      `Rolling back would not restore the backed-up data: ${list}.`,
      'Roll back anyway with --no-restore (the backups are kept, see godwit backups), or fix down.sql first.',
    );
  }
}

/** The backup calls and restore a step's transaction carries (run-migration weaves them in); undefined for none. */
export function stepExtras(step: PlannedStep, historyTable: string): ((idSql: string) => TxExtras | undefined) {
  return (idSql: string) => {
    const b = step.backup;
    if (!b) return undefined;
    if (step.file === 'migration.sql') {
      const copies = b.copies.filter((c) => !c.skipped);
      // The user's --no-backup is recorded in the catalog too; a backup that is impossible (privileges) is not.
      if (b.skipped) return copies.length && b.skipped === NO_BACKUP ? { setup: BACKUP_SETUP_SQL, before: [], after: skippedRecordSql(idSql, step.name, b.skipped) } : undefined;
      if (!copies.length) return undefined;
      // What the migration leaves in the values it changes in place, so a rollback can tell the rows written since.
      const compares = copies.some((c) => c.target.kind === 'alter-type' || c.target.kind === 'update');
      return { setup: BACKUP_SETUP_SQL, before: copies.map((c, k) => ({ index: c.target.statementIndex, sql: backupCallSql(idSql, step.name, k + 1, c.target) })), after: compares ? afterDigestsSql(idSql) : null };
    }
    if (!b.restores.length || b.noRestore) return undefined;
    // A column down.sql adds back NOT NULL is added without it, refilled, and then made NOT NULL again.
    const readds = step.script.nonTransactional.length ? [] : notNullReadds(step.script, b.restores);
    const setNotNull = readds.map((r) => `ALTER TABLE ${quoteIdent(r.schema)}.${quoteIdent(r.table)} ALTER COLUMN ${quoteIdent(r.column)} SET NOT NULL`);
    const renames = renamesIn(step.migration.upSql).filter((r) => r.kind === 'column');
    const follow = renames.length ? [copiesFollowRenamesSql(historyTable, step.name, renames)] : [];
    // Before down.sql changes anything: which rows still hold what the migration left (the others keep their values).
    const same = b.restores.some((r) => r.comparesRows) ? [sameDigestsSql(historyTable, step.name)] : [];
    const first = step.script.statements.length ? same : [];
    return {
      setup: BACKUP_SETUP_SQL,
      before: first.map((sql) => ({ index: 0, sql })),
      after: [...(first.length ? [] : same), ...follow, restoreCallSql(historyTable, step.name), ...setNotNull].join(';\n'),
      blank: readds.map((r) => r.blank),
    };
  };
}
