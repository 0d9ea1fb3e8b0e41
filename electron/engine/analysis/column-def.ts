import type { AnalysisContext, Findings } from './findings.ts';
import { isSerial, kindOf, list, rangeVarName, str, typeRef, type Json } from './parse-tree.ts';
import { expressionVolatility } from './volatility.ts';
import { addConstraint, recordConstraint } from './add-constraint.ts';

/**
 * One column, declared by CREATE TABLE (`create`: only its foreign key reaches another table) or added by
 * ALTER TABLE ADD COLUMN (`add`: its default, identity or constraints may rewrite or scan the table).
 */
export function analyzeColumnDef(table: string, def: Json, f: Findings, ctx: AnalysisContext, how: 'add' | 'create'): void {
  const column = str(def.colname) ?? '';
  const type = typeRef(def.typeName);
  if (type) ctx.model.touch(table).columns.set(column, type);
  let defaultExpr: unknown;
  let perRowValue = isSerial(def.typeName) ? 'a serial column (nextval() per row)' : '';
  let notNull = false;
  for (const item of list(def.constraints)) {
    const [, con] = kindOf(item);
    switch (str(con.contype)) {
      case 'CONSTR_DEFAULT':
        defaultExpr = con.raw_expr;
        break;
      case 'CONSTR_IDENTITY':
        perRowValue = 'an identity column (a sequence value per row)';
        break;
      case 'CONSTR_GENERATED':
        perRowValue = 'a stored generated column (computed per row)';
        break;
      case 'CONSTR_NOTNULL':
        notNull = true;
        break;
      case 'CONSTR_FOREIGN':
      case 'CONSTR_CHECK':
      case 'CONSTR_UNIQUE':
      case 'CONSTR_PRIMARY':
        if (how === 'create') {
          recordConstraint(table, con, ctx, column);
          if (str(con.contype) === 'CONSTR_FOREIGN') f.lock(rangeVarName(con.pktable), 'ShareRowExclusiveLock');
        } else addConstraint(table, con, f, ctx, false, column);
        break;
    }
  }
  if (how === 'create') return;

  if (defaultExpr !== undefined && !perRowValue) {
    const v = expressionVolatility(defaultExpr, ctx.model.volatility);
    if (v.volatile) perRowValue = `a volatile default${v.unknown.length ? ` (assumed volatile: ${v.unknown.join(', ')}())` : ''}`;
    else if (ctx.version < 11) perRowValue = 'a default (PostgreSQL before 11 writes it into every row)';
  }
  if (perRowValue) {
    f.rewrite = true;
    f.warn(`Rewrites ${table} under an ACCESS EXCLUSIVE lock: ${perRowValue}.`);
    f.advise('Add the column without a default (or with a constant one), backfill it in batches, then SET DEFAULT for new rows.');
  } else if (notNull && defaultExpr === undefined) {
    f.scan = true;
    f.warn(`ADD COLUMN … NOT NULL without a default fails as soon as ${table} has a row.`);
  }
}
