import type { Db } from '../db/db.ts';
import type { SqlStatement } from '../sql/split-statements.ts';
import { splitStatements } from '../sql/split-statements.ts';
import { isObject, kindOf, list, notNullWithoutValue, rangeVarName, str, strings, unwrap, type Json } from '../analysis/parse-tree.ts';
import { findKeyword, parenthesized, quoteIdent, splitTopLevel, truncate } from './sql-text.ts';
import type { DataCheck, DataCheckKind } from './types.ts';
import { ownPart } from '../catalog/qualified-name.ts';
import { sqlLiteral } from '../history/history-table.ts';

/** What a check needs to run: the shape of the query, and what it is about. */
export type CheckQuery =
  | { shape: 'count'; table: string; where: string; /** For a type-cast checked by a count: the type. */ type?: string | undefined }
  | { shape: 'unique'; table: string; keys: string[]; predicate?: string | undefined; nullsDistinct: boolean }
  | { shape: 'orphans'; table: string; columns: string[]; parent: string; parentColumns: string[] | null; parentIsNew: boolean }
  | { shape: 'cast'; table: string; column: string; type: string; using?: string | undefined };

export interface CheckSpec {
  base: Pick<DataCheck, 'kind' | 'migration' | 'line' | 'statement' | 'table' | 'columns' | 'constraint'>;
  /** Why it is not run (the table or column is created by the same batch, …). */
  skip?: string | undefined;
  query?: CheckQuery | undefined;
}

export interface ScriptToCheck {
  name: string;
  statements: SqlStatement[];
}

/** Unqualified and `public.` names meet, as in the analysis' schema model. */
const keyOf = (name: string) => (name.startsWith('public.') ? name.slice(7) : name);

/** A type's own name, unquoted, from its SQL text (`"public"."Type_new"[]` → `Type_new`): modifiers and array marks off. */
const typeKey = (type: string) => ownPart(type.replace(/(\(\d+(?:,\d+)*\))?(\[\])*$/, ''));

/** Whether `using` is Prisma's `("column"::text::"Type")`: each value converted through its label. */
function isTextCast(using: string, column: string, type: string): boolean {
  const bare = (t: string) => t.replace(/[\s"()]/g, '').toLowerCase();
  const got = bare(using);
  return got === bare(`${column}::text::${type}`) || got === bare(`${column}::text::public.${ownPart(type)}`) || got === bare(`${column}::text::${ownPart(type)}`);
}

/** A type name as the parse tree gives it → SQL text (`pg_catalog.varchar(10)[]`). */
function typeText(typeName: unknown): string | undefined {
  const t = unwrap(typeName, 'TypeName') ?? (isObject(typeName) ? typeName : undefined);
  const names = strings(t?.names);
  if (!t || !names.length) return undefined;
  const mods = list(t.typmods).map((m) => {
    const c = unwrap(m, 'A_Const');
    const ival = c?.ival;
    const n = isObject(ival) ? (ival.ival ?? 0) : ival;
    return typeof n === 'number' ? String(n) : undefined;
  });
  if (mods.some((m) => m === undefined)) return undefined; // interval fields and the like: not reconstructed
  const qualified = names.map((n) => (n === 'pg_catalog' || /^[a-z_][a-z0-9_]*$/.test(n) ? n : quoteIdent(n))).join('.');
  return `${qualified}${mods.length ? `(${mods.join(',')})` : ''}${'[]'.repeat(list(t.arrayBounds).length)}`;
}

/** Tracks what the batch creates, so checks on it are skipped: it is empty, or not there yet. */
class BatchState {
  readonly tables = new Set<string>();
  readonly columns = new Set<string>();
  /** New names a RENAME gives: the database does not know them until the batch runs. */
  readonly renamed = new Set<string>();
  /** Tables whose rows the batch changes (INSERT, UPDATE, DELETE, TRUNCATE), with where: a later check reads rows the run will not see. */
  readonly rowsChanged = new Map<string, string>();
  /** Types the batch creates or renames to: the database does not know them yet. */
  readonly types = new Set<string>();
  /** The labels of the enums the batch creates, by own name. */
  readonly enumLabels = new Map<string, string[]>();
  /** Constraints the batch adds NOT VALID, by table and name, for a later VALIDATE. */
  readonly constraints = new Map<string, { con: Json; text: string; offset: number }>();

  newTable(t: string) {
    return this.tables.has(keyOf(t));
  }
  newColumn(t: string, c: string) {
    return this.columns.has(`${keyOf(t)}.${c}`);
  }
}

class Deriver {
  readonly specs: CheckSpec[] = [];
  private readonly state = new BatchState();
  constructor(private readonly db: Db | undefined) {}

  private add(kind: DataCheckKind, m: string, stmt: SqlStatement, table: string, columns: string[], query: CheckQuery, constraint?: string) {
    const base = { kind, migration: m, line: stmt.line, statement: truncate(stmt.text, 200), table, columns, constraint };
    let skip: string | undefined;
    if (this.state.newTable(table)) skip = `${table} is created by this batch: it has no rows yet`;
    else if (this.state.renamed.has(keyOf(table))) skip = `${table} is the new name a RENAME earlier in this batch gives; the database does not know it yet`;
    else if (columns.some((c) => this.state.renamed.has(`${keyOf(table)}.${c}`))) skip = `column ${columns.find((c) => this.state.renamed.has(`${keyOf(table)}.${c}`))} is the new name a RENAME earlier in this batch gives`;
    else if (columns.some((c) => this.state.newColumn(table, c))) skip = `column ${columns.find((c) => this.state.newColumn(table, c))} is added by this batch`;
    else if (this.state.rowsChanged.has(keyOf(table))) skip = `${this.state.rowsChanged.get(keyOf(table))} changes the rows of ${table} first: today's rows are not the ones this statement will meet`;
    else if (query.shape === 'cast' && this.state.types.has(typeKey(query.type))) {
      // An enum the batch creates (Prisma re-creates one to remove values): the values must be among its labels.
      const labels = this.state.enumLabels.get(typeKey(query.type));
      const col = quoteIdent(query.column);
      if (labels && (!query.using || isTextCast(query.using, query.column, query.type))) {
        query = { shape: 'count', table, type: query.type, where: `${col} IS NOT NULL AND ${col}::text <> ALL (ARRAY[${labels.map(sqlLiteral).join(', ')}]::text[])` };
      } else skip = `type ${query.type} is created by this batch; the database does not know it yet`;
    }
    this.specs.push(skip ? { base, skip } : { base, query });
  }

  /** A table constraint added to `table` (ALTER TABLE … ADD [CONSTRAINT …]), its text located in `text`. */
  private constraint(m: string, stmt: SqlStatement, table: string, con: Json, text: string, offset: number) {
    const contype = str(con.contype);
    const name = str(con.conname);
    if (con.skip_validation === true) {
      if (name) this.state.constraints.set(`${keyOf(table)}.${name}`, { con, text, offset });
      return;
    }
    if (contype === 'CONSTR_CHECK') {
      const at = typeof con.location === 'number' ? con.location - offset : 0;
      const expr = parenthesized(text, Math.max(0, findKeyword(text, 'CHECK', at)));
      if (expr) this.add('check', m, stmt, table, [], { shape: 'count', table, where: `NOT (${expr.inner})` }, name);
    } else if (contype === 'CONSTR_UNIQUE' || contype === 'CONSTR_PRIMARY') {
      const keys = strings(con.keys);
      if (!keys.length) return; // USING INDEX: the index already holds the rows unique
      if (contype === 'CONSTR_PRIMARY') this.add('not-null', m, stmt, table, keys, { shape: 'count', table, where: keys.map((k) => `${quoteIdent(k)} IS NULL`).join(' OR ') }, name);
      this.add('unique', m, stmt, table, keys, { shape: 'unique', table, keys: keys.map(quoteIdent), nullsDistinct: con.nulls_not_distinct !== true }, name);
    } else if (contype === 'CONSTR_FOREIGN') {
      const parent = rangeVarName(con.pktable);
      const columns = strings(con.fk_attrs);
      if (!parent || !columns.length) return;
      const parentColumns = strings(con.pk_attrs);
      const parentIsNew = this.state.newTable(parent);
      this.add('foreign-key', m, stmt, table, columns, { shape: 'orphans', table, columns, parent, parentColumns: parentColumns.length ? parentColumns : null, parentIsNew }, name);
    }
  }

  private async validate(m: string, stmt: SqlStatement, table: string, name: string) {
    const known = this.state.constraints.get(`${keyOf(table)}.${name}`);
    if (known) return this.constraint(m, stmt, table, { ...known.con, skip_validation: false }, known.text, known.offset);
    if (!this.db || this.state.newTable(table) || this.state.renamed.has(keyOf(table))) return;
    // An existing NOT VALID constraint: its definition from the catalog, parsed as the statement that would add it.
    const [row] = await this.db.query<{ def: string }>(
      'SELECT pg_catalog.pg_get_constraintdef(c.oid) AS def FROM pg_catalog.pg_constraint c WHERE c.conrelid = pg_catalog.to_regclass($1) AND c.conname = $2',
      [table.split('.').map(quoteIdent).join('.'), name],
    ).catch(() => []);
    if (!row) return;
    const sql = `ALTER TABLE x ADD CONSTRAINT ${quoteIdent(name)} ${row.def.replace(/\s+NOT VALID$/, '')}`;
    const [parsed] = splitStatements(sql).statements;
    const cmd = parsed?.node ? list(kindOf(parsed.node)[1].cmds).map((c) => kindOf(c)[1])[0] : undefined;
    const con = unwrap(cmd?.def, 'Constraint');
    if (con) this.constraint(m, stmt, table, con, sql, 0);
  }

  private alterColumnType(m: string, stmt: SqlStatement, table: string, cmd: Json) {
    const column = str(cmd.name) ?? '';
    const def = unwrap(cmd.def, 'ColumnDef') ?? {};
    const type = typeText(def.typeName);
    if (!type) return;
    let using: string | undefined;
    if (def.raw_default !== undefined) {
      // The USING expression runs from the USING after the new type to the end of this subcommand.
      const typeNode = unwrap(def.typeName, 'TypeName') ?? (isObject(def.typeName) ? def.typeName : {});
      const typeAt = typeof typeNode.location === 'number' ? typeNode.location - stmt.offset : 0;
      const at = findKeyword(stmt.text, 'USING', typeAt);
      if (at === -1) return;
      using = splitTopLevel(stmt.text.slice(at + 5))[0];
    }
    this.add('type-cast', m, stmt, table, [column], { shape: 'cast', table, column, type, using });
  }

  private addColumn(m: string, stmt: SqlStatement, table: string, def: Json) {
    const column = str(def.colname) ?? '';
    if (notNullWithoutValue(def)) {
      // A NOT NULL column without a default: every existing row violates it.
      this.add('not-null', m, stmt, table, [column], { shape: 'count', table, where: 'true' });
    }
    this.state.columns.add(`${keyOf(table)}.${column}`);
  }

  async statement(m: string, stmt: SqlStatement) {
    if (!stmt.node) return;
    const [kind, body] = kindOf(stmt.node);
    if (kind === 'CreateStmt' || kind === 'CreateTableAsStmt') {
      const into = unwrap(body.into, 'IntoClause') ?? (body.into as Json | undefined);
      const t = rangeVarName(kind === 'CreateStmt' ? body.relation : into?.rel);
      if (t) this.state.tables.add(keyOf(t));
      return;
    }
    if (kind === 'RenameStmt') {
      // The new name is unknown to the database until the batch runs: later checks on it are skipped.
      const newName = str(body.newname);
      const t = rangeVarName(body.relation);
      if (newName && t && body.renameType === 'OBJECT_TABLE') this.state.renamed.add(keyOf(t.includes('.') ? `${t.slice(0, t.lastIndexOf('.'))}.${newName}` : newName));
      else if (newName && t && body.renameType === 'OBJECT_COLUMN') this.state.renamed.add(`${keyOf(t)}.${newName}`);
      return;
    }
    if (kind === 'InsertStmt' || kind === 'UpdateStmt' || kind === 'DeleteStmt') {
      const t = rangeVarName(body.relation);
      if (t && !this.state.rowsChanged.has(keyOf(t))) this.state.rowsChanged.set(keyOf(t), `${kind.replace('Stmt', '').toUpperCase()} at line ${stmt.line} of ${m}`);
      return;
    }
    if (kind === 'TruncateStmt') {
      for (const rel of list(body.relations)) {
        const t = rangeVarName(rel);
        if (t && !this.state.rowsChanged.has(keyOf(t))) this.state.rowsChanged.set(keyOf(t), `TRUNCATE at line ${stmt.line} of ${m}`);
      }
      return;
    }
    if (kind === 'CreateEnumStmt' || kind === 'CompositeTypeStmt' || kind === 'CreateDomainStmt') {
      const names = strings(kind === 'CompositeTypeStmt' ? [(body.typevar as Json | undefined)?.relname] : kind === 'CreateDomainStmt' ? body.domainname : body.typeName);
      if (names.length) this.state.types.add(names.at(-1)!);
      if (names.length && kind === 'CreateEnumStmt') this.state.enumLabels.set(names.at(-1)!, strings(body.vals));
      return;
    }
    if (kind === 'RenameStmt' && body.renameType === 'OBJECT_TYPE' && str(body.newname)) {
      this.state.types.add(str(body.newname)!);
      return;
    }
    if (kind === 'IndexStmt' && body.unique === true) return this.uniqueIndex(m, stmt, body);
    if (kind !== 'AlterTableStmt' || body.objtype !== 'OBJECT_TABLE') return;
    const table = rangeVarName(body.relation);
    if (!table) return;
    for (const item of list(body.cmds)) {
      const [, cmd] = kindOf(item);
      switch (str(cmd.subtype)) {
        case 'AT_SetNotNull': {
          const column = str(cmd.name) ?? '';
          this.add('not-null', m, stmt, table, [column], { shape: 'count', table, where: `${quoteIdent(column)} IS NULL` });
          break;
        }
        case 'AT_AddColumn':
          this.addColumn(m, stmt, table, unwrap(cmd.def, 'ColumnDef') ?? {});
          break;
        case 'AT_AddConstraint':
          this.constraint(m, stmt, table, unwrap(cmd.def, 'Constraint') ?? {}, stmt.text, stmt.offset);
          break;
        case 'AT_ValidateConstraint':
          await this.validate(m, stmt, table, str(cmd.name) ?? '');
          break;
        case 'AT_AlterColumnType':
          this.alterColumnType(m, stmt, table, cmd);
          break;
      }
    }
  }

  private uniqueIndex(m: string, stmt: SqlStatement, body: Json) {
    const table = rangeVarName(body.relation);
    if (!table) return;
    const relAt = typeof (body.relation as Json | undefined)?.location === 'number' ? ((body.relation as Json).location as number) - stmt.offset : 0;
    const params = parenthesized(stmt.text, relAt);
    if (!params) return;
    const texts = splitTopLevel(params.inner);
    const elems = list(body.indexParams).map((p) => unwrap(p, 'IndexElem') ?? {});
    if (texts.length !== elems.length) return;
    const keys = elems.map((e, i) => {
      const name = str(e.name);
      if (name) return quoteIdent(name);
      const t = texts[i]!;
      if (t.startsWith('(')) return `(${parenthesized(t, 0)?.inner ?? t})`;
      const call = parenthesized(t, 0);
      return call ? `(${t.slice(0, call.end)})` : `(${t})`;
    });
    const where = body.whereClause === undefined ? -1 : findKeyword(stmt.text, 'WHERE', params.end);
    const predicate = where === -1 ? undefined : stmt.text.slice(where + 5).trim();
    const columns = elems.map((e, i) => str(e.name) ?? texts[i]!);
    this.add('unique', m, stmt, table, columns, { shape: 'unique', table, keys, predicate, nullsDistinct: body.nulls_not_distinct !== true }, str(body.idxname));
  }
}

/**
 * The data checks a batch of pending scripts calls for, in run order: SET NOT NULL and NOT NULL columns without a
 * default, UNIQUE/PRIMARY KEY constraints and unique indexes, FOREIGN KEYs, CHECKs (validated now or by a later
 * VALIDATE), and ALTER COLUMN TYPE. `db` is read only to find the definition of an existing NOT VALID constraint.
 */
export async function deriveChecks(scripts: ScriptToCheck[], db?: Db): Promise<CheckSpec[]> {
  const d = new Deriver(db);
  for (const s of scripts) for (const stmt of s.statements) await d.statement(s.name, stmt);
  return d.specs;
}
