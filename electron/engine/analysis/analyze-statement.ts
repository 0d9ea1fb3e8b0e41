import type { SqlStatement } from '../sql/split-statements.ts';
import type { AnalysisContext } from './findings.ts';
import { Findings } from './findings.ts';
import { blocksReads } from './lock-modes.ts';
import { findAll, kindOf, list, rangeVarName, str, strings, tableRangeVars, unwrap, type Json } from './parse-tree.ts';
import { analyzeAlterTable } from './alter-table.ts';
import { alterEnum, comment, createIndex, createTable, dataChange, drop, lockStatement, readsOf, rename } from './other-statements.ts';
import type { RelationLock, StatementAnalysis } from './types.ts';

function dispatch(kind: string, body: Json, f: Findings, ctx: AnalysisContext): void {
  switch (kind) {
    case 'AlterTableStmt':
      return analyzeAlterTable(body, f, ctx);
    case 'CreateStmt':
      return createTable(body, f, ctx);
    case 'IndexStmt':
      return createIndex(body, f, ctx);
    case 'DropStmt':
      return drop(body, f, ctx);
    case 'RenameStmt':
      return rename(body, f, ctx);
    case 'CreateTrigStmt':
      // ShareRowExclusive since PostgreSQL 9.5 (AccessExclusive before): writes wait, reads go on.
      return f.lock(rangeVarName(body.relation), 'ShareRowExclusiveLock');
    case 'AlterEnumStmt':
      return alterEnum(body, f, ctx);
    case 'CommentStmt':
      return comment(body, f);
    case 'LockStmt':
      return lockStatement(body, f);
    case 'InsertStmt':
    case 'UpdateStmt':
    case 'DeleteStmt':
      return dataChange(kind, body, f, ctx);
    case 'SelectStmt':
      return readsOf(body, f);
    case 'ViewStmt': {
      const view = rangeVarName(body.view);
      if (body.replace && ctx.model.get(view)) f.lock(view, 'AccessExclusiveLock');
      else if (view) f.created.add(view);
      readsOf(body.query, f);
      if (view && !ctx.model.get(view)) ctx.model.create(view, 'view');
      return;
    }
    case 'CreateTableAsStmt': {
      const into = unwrap(body.into, 'IntoClause') ?? (body.into as Json | undefined);
      const target = rangeVarName(into?.rel);
      if (target) {
        f.created.add(target);
        ctx.model.create(target, body.objtype === 'OBJECT_MATVIEW' ? 'matview' : 'table');
      }
      return readsOf(body.query, f);
    }
    case 'RefreshMatViewStmt':
      f.lock(rangeVarName(body.relation), body.concurrent ? 'ExclusiveLock' : 'AccessExclusiveLock');
      if (!body.concurrent) f.rewrite = true;
      return;
    case 'TruncateStmt':
      // A new, empty file for each table: relfilenode changes as in a rewrite.
      for (const rv of list(body.relations)) f.lock(rangeVarName(rv), 'AccessExclusiveLock');
      f.rewrite = true;
      return;
    case 'ClusterStmt':
      f.lock(rangeVarName(body.relation), 'AccessExclusiveLock');
      f.rewrite = true;
      f.advise('pg_repack (or pg_squeeze) reorders a table without holding ACCESS EXCLUSIVE for the whole copy.');
      return;
    case 'VacuumStmt': {
      const full = list(body.options).some((o) => str(unwrap(o, 'DefElem')?.defname) === 'full');
      for (const rel of list(body.rels)) f.lock(rangeVarName(unwrap(rel, 'VacuumRelation')?.relation), full ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock');
      if (full) {
        f.rewrite = true;
        f.advise('pg_repack (or pg_squeeze) reclaims space without holding ACCESS EXCLUSIVE for the whole copy.');
      }
      return;
    }
    case 'ReindexStmt': {
      const concurrently = list(body.params).some((o) => str(unwrap(o, 'DefElem')?.defname) === 'concurrently');
      const target = rangeVarName(body.relation);
      if (body.kind === 'REINDEX_OBJECT_INDEX') {
        f.lock(target, concurrently ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock');
        f.lock(ctx.model.indexTable(target ?? ''), concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock');
      } else f.lock(target, concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock');
      if (!concurrently) f.advise('REINDEX … CONCURRENTLY (PostgreSQL 12+, outside a transaction) keeps the table writable.');
      return;
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return f.lock(rangeVarName(body.table), 'AccessExclusiveLock');
    case 'RuleStmt':
      return f.lock(rangeVarName(body.relation), 'AccessExclusiveLock');
    case 'CreateStatsStmt':
      for (const rv of findAll(body.relations, 'RangeVar')) f.lock(rangeVarName(rv), 'ShareUpdateExclusiveLock');
      return;
    case 'AlterObjectSchemaStmt':
      if (body.relation) f.lock(rangeVarName(body.relation), 'AccessExclusiveLock');
      return;
    case 'DoStmt':
    case 'CallStmt':
      // Procedural code: whatever it runs (often DDL through EXECUTE) is not in the parse tree. "No lock" would be a guess.
      f.warn(`${kind === 'DoStmt' ? 'A DO block' : 'CALL'} runs procedural code this analysis cannot see into: the locks, rewrites and scans of the statements it runs are not predicted. Read it, or rehearse the migration (godwit rehearse) to see its real locks.`);
      return;
  }
}

/** Lock, rewrite and scan prediction for one statement; updates `ctx.model` with what the statement changes. */
export function analyzeStatement(stmt: Pick<SqlStatement, 'line' | 'text' | 'node'>, ctx: AnalysisContext): StatementAnalysis {
  const f = new Findings();
  if (stmt.node) {
    const [kind, body] = kindOf(stmt.node);
    dispatch(kind, body, f, ctx);
  } else f.warn('The SQL parser could not read this statement; nothing is predicted for it.');
  const locks: RelationLock[] = [];
  for (const [relation, mode] of f.locks) {
    if (f.created.has(relation)) continue;
    const facts = ctx.model.get(relation);
    locks.push(facts?.createdByPlan ? { relation, mode, createdByPlan: true } : { relation, mode });
  }
  // Only relations this plan creates are locked: they are empty and nobody else uses them yet, so advice about
  // waiting, scanning or breaking running code would be noise.
  if (locks.length && locks.every((l) => l.createdByPlan)) {
    f.warnings.length = 0;
    f.advice.length = 0;
  }
  const exposed = locks.filter((l) => blocksReads(l.mode) && !l.createdByPlan).map((l) => l.relation);
  if (exposed.length) {
    f.advise(`Run with a short lock_timeout (e.g. SET lock_timeout = '5s') and retry: waiting for its lock, the statement makes every query on ${exposed.join(', ')} queue behind it.`);
  }
  return { line: stmt.line, text: stmt.text, locks, rewrite: f.rewrite, scan: f.scan, warnings: f.warnings, advice: f.advice };
}

/** Relation and function names a statement mentions: what to ask the environment about before analysing it. */
export function namesIn(stmt: Pick<SqlStatement, 'node'>): { relations: string[]; functions: string[] } {
  const relations = new Set<string>();
  for (const rv of tableRangeVars(stmt.node)) {
    const name = rangeVarName(rv);
    if (name) relations.add(name);
  }
  // RangeVars the JSON does not wrap: ALTER TABLE's target, a foreign key's table, a partition, a view…
  for (const key of ['relation', 'pktable', 'name', 'view', 'table', 'rel']) {
    for (const rv of findAll(stmt.node, key)) {
      const name = rangeVarName(rv);
      if (name) relations.add(name);
    }
  }
  const [kind, body] = kindOf(stmt.node);
  if (kind === 'DropStmt' || kind === 'CommentStmt') {
    for (const obj of kind === 'DropStmt' ? list(body.objects) : [body.object]) {
      const names = strings(obj);
      if (names.length) relations.add(names.slice(-2).join('.'));
      if (names.length > 1) relations.add(names.slice(-3, -1).join('.'));
    }
  }
  const functions = new Set(findAll(stmt.node, 'FuncCall').map((c) => strings(c.funcname).at(-1)?.toLowerCase() ?? '').filter(Boolean));
  return { relations: [...relations], functions: [...functions] };
}
