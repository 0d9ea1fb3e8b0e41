import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from '../db/db.ts';
import type { Project } from '../project/load-project.ts';
import { migrationIndex, type MigrationsFolder } from '../migrations/read-folder.ts';
import { GodwitError } from '../util/errors.ts';
import { isEmptyScript, migrationList, projectFilter, withSchemaEngine } from '../schema-engine/engine-session.ts';
import { snapshottingShadows } from '../catalog/shadow-snapshots.ts';
import { catalogChanges, combineScripts } from '../catalog/catalog-changes.ts';
import { mendPrismaSql } from './prisma-sql-fixes.ts';
import { mendDownSql } from './down-sql-fixes.ts';
import { loadSqlParser, splitStatements } from '../sql/split-statements.ts';
import type { CatalogSnapshot } from '../catalog/types.ts';
import { kindOf, notNullWithoutValue, str, type Json } from '../analysis/parse-tree.ts';
import { addedColumn, alterCommands, columnsOfTable, parsed } from './down-sql-edits.ts';
import { withShadowCache, type ShadowCacheUse } from '../shadow-cache/with-shadow-cache.ts';

export interface GeneratedDownSql {
  name: string;
  sql: string;
  path: string;
  written: boolean;
  /** Whether the two replayed shadows came from Godwit's shadow cache (README, "Shadow cache"). */
  cache?: ShadowCacheUse;
}

const DATA_STATEMENTS: Record<string, string> = {
  InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE', CopyStmt: 'COPY', TruncateStmt: 'TRUNCATE',
  DoStmt: 'DO block', CallStmt: 'CALL',
};

/**
 * An index the migration built CONCURRENTLY (not to block writes on a live table) is dropped the same way: the
 * reverse gets `DROP INDEX CONCURRENTLY`, and so runs outside a transaction, as the migration itself did.
 */
async function dropConcurrentlyAsBuilt(upSql: string, script: string): Promise<string> {
  await loadSqlParser();
  const split = splitStatements(upSql);
  const names = split.statements.flatMap((s) => {
    const body = s.node && (s.node as { IndexStmt?: { concurrent?: boolean; idxname?: string } }).IndexStmt;
    return body?.concurrent && body.idxname ? [body.idxname] : [];
  });
  let out = script;
  for (const name of names) {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    const id = `(?:${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${/^[a-z_][a-z0-9_$]*$/.test(name) ? `|${name}` : ''})`;
    out = out.replace(new RegExp(`^DROP INDEX (IF EXISTS )?((?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\\.)?${id};$`, 'm'), (stmt) =>
      `-- godwit: dropped CONCURRENTLY, as it was built (no lock that blocks writes; runs outside a transaction)\n${stmt.replace(/^DROP INDEX /, 'DROP INDEX CONCURRENTLY ')}`);
  }
  return out;
}

/**
 * An extension the migration created only if it was missing (`CREATE EXTENSION IF NOT EXISTS`, hoppscotch's pg_trgm)
 * may have been there before it, on a real database if not on the empty shadow, with other objects using it: its
 * DROP EXTENSION is left as a comment for the reviewer, not run.
 */
function keepExtensionsMaybeThere(upSql: string, script: string): string {
  const names = (parsed(upSql) ?? []).flatMap((s) => {
    const [kind, body] = kindOf(s.node);
    return kind === 'CreateExtensionStmt' && body.if_not_exists === true && str(body.extname) ? [str(body.extname)!] : [];
  });
  let out = script;
  for (const name of names) {
    const id = `(?:"${name.replace(/"/g, '""').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"${/^[a-z_][a-z0-9_$]*$/.test(name) ? `|${name}` : ''})`;
    out = out.replace(new RegExp(`^DROP EXTENSION (?:IF EXISTS )?${id}( CASCADE)?;$`, 'gm'), (stmt) =>
      `-- godwit: the migration created ${name} only if it was missing (IF NOT EXISTS): it may have been there before it, and other\n-- objects may use it. Not dropped; drop it by hand where the migration did create it:\n-- ${stmt}`);
  }
  return out;
}

/** What in the migration changes data (the catalog cannot reverse it), as header lines; none when it is all DDL. */
async function dataChangeWarning(upSql: string): Promise<string[]> {
  await loadSqlParser();
  const split = splitStatements(upSql);
  if (split.parseError) return [`-- WARNING: the migration could not be parsed (${split.parseError}); any data it changes is not reversed here.`];
  const found = split.statements.flatMap((s) => {
    const key = s.node ? Object.keys(s.node)[0] ?? '' : '';
    return DATA_STATEMENTS[key] ? [`${DATA_STATEMENTS[key]} (line ${s.line})`] : [];
  });
  if (!found.length) return [];
  return [
    `-- WARNING: this migration changes data, which cannot be reversed from the catalog: ${found.join(', ')}.`,
    '-- Write the reverse of those statements by hand below, or accept that rolling back keeps their effect.',
  ];
}

/**
 * The columns the script adds NOT NULL without a default to a table it does not create, as a header line: such a
 * rollback fails on a table with rows unless the upgrade's copy of the column refills it (inbox-zero's EmailAccount.id).
 */
function notNullAddsWarning(script: string, after: CatalogSnapshot): string[] {
  const statements = parsed(script) ?? [];
  const found = statements.flatMap((s) => {
    const [kind, body] = kindOf(s.node);
    const table = str((body.relation as Json | undefined)?.relname);
    if (kind !== 'AlterTableStmt' || !table || !columnsOfTable(after, table).length) return [];
    return alterCommands(body).flatMap((c) => (c.subtype === 'AT_AddColumn' && notNullWithoutValue(addedColumn(c)) ? [`${table}.${str(addedColumn(c).colname)}`] : []));
  });
  if (!found.length) return [];
  return [`-- WARNING: adds NOT NULL without a default ${found.join(', ')}: it fails on a table with rows, unless the rollback refills the column from the upgrade's backup of it.`];
}

/**
 * `godwit down-sql NAME`: the SQL that takes the schema after NAME back to the schema before it, both replayed on
 * shadow databases. Prisma's differ writes what Prisma models; Godwit's catalog snapshot of the same shadows adds the
 * rest (CHECK and EXCLUDE constraints, views, functions' previous bodies, triggers, policies, comments …), each marked.
 * Data changes are not reversible this way; the header says so when the migration makes any.
 */
export async function generateDownSql(db: Db, project: Project, folder: MigrationsFolder, name: string, opts: { write?: boolean; overwrite?: boolean; shadowCache?: boolean; label?: string } = {}): Promise<GeneratedDownSql> {
  const index = migrationIndex(folder, name);
  const migration = folder.migrations[index]!;
  const path = join(migration.dir, 'down.sql');
  if (opts.write && migration.hasDownSql && !opts.overwrite) {
    throw new GodwitError('down-sql-exists', `${name}/down.sql already exists; not overwriting it.`, 'Pass --force to replace it.');
  }
  // The SQL parser loads while the engine works.
  const warning = dataChangeWarning(migration.upSql);
  warning.catch(() => undefined);
  const afterMigrations = folder.migrations.slice(0, index + 1);
  const beforeMigrations = folder.migrations.slice(0, index);
  const after = migrationList(project, folder, afterMigrations);
  // The state before the first migration is the empty shadow; replaying no migrations gives it, as a snapshot too.
  const before = migrationList(project, folder, beforeMigrations);
  // The engine replays `from` (after), then `to` (before): the cache serves them in that order.
  const { value: replayed, cache } = await withShadowCache(db, project.shadowDbInitScript, [afterMigrations, beforeMigrations], async (shadowed) => {
    const watched = snapshottingShadows(shadowed);
    const result = await withSchemaEngine(watched.db, project, (engine) =>
      engine.diff({
        from: { tag: 'migrations', ...after },
        to: { tag: 'migrations', ...before },
        script: true,
        exitCode: null,
        filters: projectFilter(project),
      }),
    );
    watched.settle();
    const [afterSnap, beforeSnap] = watched.snapshots;
    if (!afterSnap || !beforeSnap) throw new GodwitError('down-sql-shadow-unread', 'Prisma\'s schema engine replayed the migrations but Godwit could not read the replayed schemas.');
    return { result, afterSnap: await afterSnap, beforeSnap: await beforeSnap };
  }, opts.shadowCache ?? true);
  const { result, afterSnap, beforeSnap } = replayed;
  await loadSqlParser();
  // Mended even when empty: an enum only reordered is no change to Prisma's differ (down-sql-fixes.ts).
  const mended = mendDownSql(isEmptyScript(result.stdout) ? '' : mendPrismaSql((result.stdout ?? '').trim()), afterSnap, beforeSnap, migration.upSql);
  const prismaSql = mended ? `${mended}\n` : '';
  const changes = catalogChanges(afterSnap, beforeSnap, prismaSql, 'Written by Godwit from the catalog: what Prisma\'s differ does not reverse.', ['after', 'before']);
  const script = keepExtensionsMaybeThere(migration.upSql, await dropConcurrentlyAsBuilt(migration.upSql, combineScripts(changes.prismaSql, changes)));
  const body = script ? script : '-- The schema is the same before and after this migration: nothing to reverse.\n';
  const header = [
    `-- Generated by godwit down-sql from the schema before and after ${opts.label ?? name}.`,
    ...(await warning),
    ...notNullAddsWarning(body, afterSnap),
    '-- Review it: data changes made by the migration (backfills, updates) are not reversed.',
  ];
  const sql = `${header.join('\n')}\n\n${body}`;
  if (opts.write) await writeFile(path, sql);
  return { name, sql, path, written: opts.write === true, cache };
}
