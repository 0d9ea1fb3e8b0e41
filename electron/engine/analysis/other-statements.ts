import type { AnalysisContext, Findings } from './findings.ts';
import { lockModeFromNumber } from './lock-modes.ts';
import { isObject, kindOf, list, qualifiedName, rangeVarName, str, strings, tableRangeVars, type Json } from './parse-tree.ts';
import { analyzeColumnDef } from './column-def.ts';
import { addConstraint } from './add-constraint.ts';

const EXPAND_CONTRACT_RENAME =
  'Renames break running application code at once. Expand/contract: add the new name (a new column kept in sync, or a view with the old name), switch the application, then drop the old one.';

export function createTable(body: Json, f: Findings, ctx: AnalysisContext): void {
  const table = rangeVarName(body.relation);
  if (!table) return;
  const partbound = isObject(body.partbound) ? body.partbound : undefined;
  for (const parent of list(body.inhRelations).map(rangeVarName)) {
    if (!parent) continue;
    // A new partition changes the parent's partition descriptor: AccessExclusive; plain INHERITS only blocks DDL.
    f.lock(parent, partbound ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock');
    const facts = ctx.model.touch(parent, partbound ? 'partitioned' : 'table');
    if (partbound?.is_default) facts.defaultPartition = table;
    else if (partbound && facts.defaultPartition) {
      f.lock(facts.defaultPartition, 'AccessExclusiveLock');
      f.scan = true;
      f.warn(`Scans the default partition ${facts.defaultPartition} for rows that belong to the new partition.`);
    }
  }
  f.created.add(table);
  ctx.model.create(table, body.partspec ? 'partitioned' : 'table');
  for (const item of list(body.tableElts)) {
    const [kind, elt] = kindOf(item);
    if (kind === 'ColumnDef') analyzeColumnDef(table, elt, f, ctx, 'create');
    else if (kind === 'Constraint') addConstraint(table, elt, f, ctx, true);
    else if (kind === 'TableLikeClause') f.lock(rangeVarName(elt.relation), 'AccessShareLock');
  }
}

export function createIndex(body: Json, f: Findings, ctx: AnalysisContext): void {
  const table = rangeVarName(body.relation);
  if (!table) return;
  const concurrent = body.concurrent === true;
  f.lock(table, concurrent ? 'ShareUpdateExclusiveLock' : 'ShareLock');
  f.scan = true;
  const name = str(body.idxname);
  if (name) {
    const schema = table.includes('.') ? `${table.slice(0, table.lastIndexOf('.'))}.` : '';
    f.created.add(`${schema}${name}`);
    ctx.model.create(`${schema}${name}`, 'index').table = table;
  }
  if (body.unique) f.warn(`Fails if ${table} has duplicate keys.`);
  if (concurrent) {
    f.warn('Runs outside a transaction; if it fails it leaves an INVALID index behind, to drop before retrying.');
  } else if (!ctx.model.get(table)?.createdByPlan) {
    f.warn(`Blocks writes to ${table} for the whole index build.`);
    f.advise('CREATE INDEX CONCURRENTLY, in a migration of its own (it cannot run in a transaction): reads and writes go on while it builds.');
  }
}

function dropIndex(names: string[], concurrent: boolean, f: Findings, ctx: AnalysisContext): void {
  const index = qualifiedName(names);
  if (!index) return;
  const table = ctx.model.indexTable(index);
  // CONCURRENTLY holds ShareUpdateExclusive on both while it waits out every transaction using the table; its final
  // AccessExclusive on the index comes once nobody can use that index any more.
  const mode = concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
  f.lock(index, mode);
  if (table) f.lock(table, mode);
  else f.warn(`The table of index ${index} is not known here; DROP INDEX locks it too (${mode}).`);
  if (!concurrent) f.advise('DROP INDEX CONCURRENTLY, in a migration of its own: the table stays readable and writable.');
  ctx.model.drop(index);
}

function dropTable(names: string[], cascade: boolean, f: Findings, ctx: AnalysisContext): void {
  const table = qualifiedName(names);
  if (!table) return;
  f.lock(table, 'AccessExclusiveLock');
  // Its foreign keys' triggers live on the referenced tables too, and are removed under AccessExclusive.
  for (const fk of ctx.model.foreignKeysOf(table)) f.lock(fk.references, 'AccessExclusiveLock');
  if (cascade) for (const other of ctx.model.referencing(table)) f.lock(other, 'AccessExclusiveLock');
  for (const index of ctx.model.indexesOf(table)) ctx.model.drop(index);
  ctx.model.drop(table);
}

export function drop(body: Json, f: Findings, ctx: AnalysisContext): void {
  const type = str(body.removeType);
  const cascade = body.behavior === 'DROP_CASCADE';
  for (const obj of list(body.objects)) {
    const names = strings(obj);
    switch (type) {
      case 'OBJECT_INDEX':
        dropIndex(names, body.concurrent === true, f, ctx);
        break;
      case 'OBJECT_TABLE':
        dropTable(names, cascade, f, ctx);
        break;
      case 'OBJECT_VIEW':
      case 'OBJECT_MATVIEW':
      case 'OBJECT_SEQUENCE':
      case 'OBJECT_FOREIGN_TABLE':
        f.lock(qualifiedName(names), 'AccessExclusiveLock');
        ctx.model.drop(qualifiedName(names) ?? '');
        break;
      case 'OBJECT_TRIGGER':
      case 'OBJECT_POLICY':
      case 'OBJECT_RULE':
        // `DROP TRIGGER name ON table`: the last name is the object, the ones before it its table.
        f.lock(qualifiedName(names, 1), 'AccessExclusiveLock');
        break;
    }
  }
}

export function rename(body: Json, f: Findings, ctx: AnalysisContext): void {
  const relation = rangeVarName(body.relation);
  const newname = str(body.newname) ?? '';
  switch (str(body.renameType)) {
    case 'OBJECT_INDEX': {
      // ALTER INDEX … RENAME takes ShareUpdateExclusive since PostgreSQL 12 — unless the name is a table after all.
      const isTable = ctx.model.get(relation)?.kind !== undefined && ctx.model.get(relation)?.kind !== 'index';
      f.lock(relation, ctx.version >= 12 && !isTable ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
      ctx.model.rename(relation ?? '', newname);
      return;
    }
    case 'OBJECT_TABLE':
    case 'OBJECT_VIEW':
    case 'OBJECT_MATVIEW':
    case 'OBJECT_SEQUENCE':
    case 'OBJECT_FOREIGN_TABLE':
      f.lock(relation, 'AccessExclusiveLock');
      if (ctx.model.get(relation)?.kind !== 'index') {
        f.warn(`Renaming ${relation}: queries that use the old name fail as soon as this commits.`);
        f.advise(EXPAND_CONTRACT_RENAME);
      }
      ctx.model.rename(relation ?? '', newname);
      return;
    case 'OBJECT_COLUMN': {
      f.lock(relation, 'AccessExclusiveLock');
      const old = str(body.subname) ?? '';
      f.warn(`Renaming ${relation}.${old}: queries that use the old name fail as soon as this commits.`);
      f.advise(EXPAND_CONTRACT_RENAME);
      const columns = ctx.model.get(relation)?.columns;
      const type = columns?.get(old);
      if (columns && type) {
        columns.delete(old);
        columns.set(newname, type);
      }
      return;
    }
    case 'OBJECT_TABCONSTRAINT':
    case 'OBJECT_TRIGGER':
    case 'OBJECT_POLICY':
    case 'OBJECT_RULE':
      f.lock(relation, 'AccessExclusiveLock');
      return;
  }
}

/** Relations a query reads (views, CREATE TABLE AS, INSERT … SELECT): AccessShare on each. */
export function readsOf(query: unknown, f: Findings): void {
  for (const rv of tableRangeVars(query)) f.lock(rangeVarName(rv), 'AccessShareLock');
}

export function dataChange(kind: string, body: Json, f: Findings, ctx: AnalysisContext): void {
  readsOf({ ...body, relation: undefined }, f);
  const target = rangeVarName(body.relation);
  f.lock(target, 'RowExclusiveLock');
  // A row inserted, or a foreign key column updated, is checked against the referenced table with SELECT … FOR KEY
  // SHARE: RowShare there (ghostfolio's INSERT … SELECT, seen by rehearse and not predicted).
  const set = kind === 'UpdateStmt' ? new Set(list(body.targetList).map((t) => str((t as { ResTarget?: { name?: unknown } }).ResTarget?.name))) : null;
  if (target && (kind === 'InsertStmt' || kind === 'UpdateStmt')) {
    for (const fk of ctx.model.foreignKeysOf(target)) if (!set || (fk.columns ?? []).some((c) => set.has(c))) f.lock(fk.references, 'RowShareLock');
  }
  if ((kind === 'UpdateStmt' || kind === 'DeleteStmt') && !body.whereClause) {
    f.warn(`${kind === 'UpdateStmt' ? 'Updates' : 'Deletes'} every row of ${target} in one transaction: each row stays locked until it commits.`);
    f.advise('On a large table, change rows in batches (by key range), each in its own transaction, outside the migration.');
  }
}

export function lockStatement(body: Json, f: Findings): void {
  const mode = lockModeFromNumber(typeof body.mode === 'number' ? body.mode : 8) ?? 'AccessExclusiveLock';
  for (const rv of list(body.relations)) f.lock(rangeVarName(rv), mode);
}

export function alterEnum(body: Json, f: Findings, ctx: AnalysisContext): void {
  if (body.oldVal) return; // RENAME VALUE: catalog only.
  if (ctx.version < 12) f.warn('ALTER TYPE … ADD VALUE cannot run inside a transaction block before PostgreSQL 12.');
  // From 12 on, only a use of the value in the same transaction fails: that statement is warned about (new-enum-values.ts).
  // Said here of every ADD VALUE, it was one caution per enum value in check (323 on civitai), most of them harmless.
}

export function comment(body: Json, f: Findings): void {
  const names = strings(body.object);
  // COMMENT ON TABLE/COLUMN locks its relation ShareUpdateExclusive (it only touches pg_description).
  if (body.objtype === 'OBJECT_TABLE' || body.objtype === 'OBJECT_VIEW' || body.objtype === 'OBJECT_MATVIEW') f.lock(qualifiedName(names), 'ShareUpdateExclusiveLock');
  else if (body.objtype === 'OBJECT_COLUMN') f.lock(qualifiedName(names, 1), 'ShareUpdateExclusiveLock');
}
