import type { AnalysisContext, Findings } from './findings.ts';
import type { ConstraintFacts } from './schema-model.ts';
import { rangeVarName, str, strings, unwrap, type Json } from './parse-tree.ts';

/** `CHECK (col IS NOT NULL)`: the column it proves non-null (PostgreSQL 12+ then lets SET NOT NULL skip its scan). */
function notNullColumn(con: Json): string | undefined {
  const test = unwrap(con.raw_expr, 'NullTest');
  if (!test || test.nulltesttype !== 'IS_NOT_NULL') return undefined;
  return strings(unwrap(test.arg, 'ColumnRef')?.fields).at(-1);
}

const CONTYPE: Record<string, string> = { CONSTR_FOREIGN: 'f', CONSTR_CHECK: 'c', CONSTR_UNIQUE: 'u', CONSTR_PRIMARY: 'p', CONSTR_EXCLUSION: 'x', CONSTR_NOTNULL: 'n' };

/**
 * Records a constraint in the model (its columns: `column` for one declared on a column) and returns a foreign key's
 * referenced table.
 */
export function recordConstraint(table: string, con: Json, ctx: AnalysisContext, column?: string): string | undefined {
  const contype = str(con.contype) ?? '';
  const name = str(con.conname);
  const references = contype === 'CONSTR_FOREIGN' ? rangeVarName(con.pktable) : undefined;
  const own = strings(contype === 'CONSTR_FOREIGN' ? con.fk_attrs : con.keys);
  const columns = own.length ? own : column !== undefined ? [column] : undefined;
  const facts: ConstraintFacts = {
    type: CONTYPE[contype] ?? '?', references, columns, refColumns: references ? strings(con.pk_attrs) : undefined,
    notNullColumn: contype === 'CONSTR_CHECK' ? notNullColumn(con) : undefined, validated: con.skip_validation !== true,
  };
  const key = name ?? (references ? `(unnamed foreign key to ${references} on ${columns?.join(', ') ?? '?'})` : undefined);
  if (key) ctx.model.touch(table).constraints.set(key, facts);
  return references;
}

/**
 * A table constraint, added by ALTER TABLE (`newTable` false) or declared in CREATE TABLE (`newTable` true: the
 * table is new and empty, only a foreign key's referenced table is affected).
 */
export function addConstraint(table: string, con: Json, f: Findings, ctx: AnalysisContext, newTable = false, column?: string): void {
  const contype = str(con.contype) ?? '';
  const notValid = con.skip_validation === true;
  const references = recordConstraint(table, con, ctx, column);
  const facts = ctx.model.touch(table);

  if (contype === 'CONSTR_FOREIGN') {
    // Both sides get ShareRowExclusive: the new RI triggers go on both tables.
    f.lock(references, 'ShareRowExclusiveLock');
    if (newTable) return;
    f.lock(table, 'ShareRowExclusiveLock');
    // A table created earlier in the run is empty: checking its rows costs nothing (Prisma's CREATE TABLE + ADD FK).
    if (!notValid && !facts.createdByPlan) {
      f.scan = true;
      f.warn(`Checks every row of ${table} against ${references ?? 'the referenced table'} while both are locked against writes.`);
      f.advise('ADD CONSTRAINT … FOREIGN KEY … NOT VALID (instant), then VALIDATE CONSTRAINT in a separate transaction: validation then lets reads and writes go on.');
    }
    return;
  }
  if (newTable) return;
  f.lock(table, 'AccessExclusiveLock');
  const usingIndex = str(con.indexname) !== undefined;
  if (contype === 'CONSTR_CHECK' || contype === 'CONSTR_NOTNULL') {
    if (notValid) return;
    f.scan = true;
    f.warn(`Reads all of ${table} under an ACCESS EXCLUSIVE lock to check the constraint.`);
    f.advise('ADD CONSTRAINT … NOT VALID (instant), then VALIDATE CONSTRAINT in a separate transaction (SHARE UPDATE EXCLUSIVE: reads and writes go on).');
  } else if ((contype === 'CONSTR_UNIQUE' || contype === 'CONSTR_PRIMARY') && !usingIndex) {
    f.scan = true;
    f.warn(`Builds a unique index on ${table} under an ACCESS EXCLUSIVE lock, and fails on duplicates.`);
    f.advise(`CREATE UNIQUE INDEX CONCURRENTLY first (its own migration), then ADD CONSTRAINT … ${contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX (instant).`);
  } else if (contype === 'CONSTR_EXCLUSION') {
    f.scan = true;
    f.warn(`Builds an exclusion index on ${table} under an ACCESS EXCLUSIVE lock.`);
  }
}
