import type { CatalogObject, CatalogSnapshot } from '../catalog/types.ts';
import { asWritten, ownPart } from '../catalog/qualified-name.ts';
import type { SqlStatement } from '../sql/split-statements.ts';
import { sqlIdentifier } from '../history/history-table.ts';
import { kindOf, list, str, unwrap, type Json } from '../analysis/parse-tree.ts';
import { renamesIn, type ScriptRename } from '../sql/script-renames.ts';
import { addedColumn, alterCommands, applyEdits, belongsTo, columnOf, columnsOfTable, droppedName, parsed, qualifiedIn, statementSpan, subcommandTexts, type Edit } from './down-sql-edits.ts';

// The down-sql mends of renames Prisma's differ cannot see, read from the migration's own migration.sql.

/**
 * Prisma's differ cannot see a rename: a migration's `RENAME COLUMN a TO b` is reversed by dropping b and adding a
 * (every value gone, or the rollback failing on a NOT NULL column with rows; langfuse's monitors). In an ALTER TABLE of
 * Prisma's, each such DROP/ADD pair that reverses a RENAME COLUMN of the migration, with the column's type, NOT NULL
 * and default unchanged between the schemas, becomes a rename back, which keeps the values; the statement's other
 * subcommands stay, after the renames (Prisma writes one subcommand a line; a statement written otherwise is left).
 */
export function withColumnRenamesReversed(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql: string): string {
  const wanted = new Map<string, string>(); // `${table}\0${name after}` → name before
  for (const r of renamesIn(upSql)) if (r.kind === 'column') wanted.set(`${r.table}\0${r.new}`, r.old);
  const statements = wanted.size ? parsed(prismaSql) : null;
  if (!statements) return prismaSql;
  const same = (a: CatalogObject | undefined, b: CatalogObject | undefined) =>
    !!a && !!b && a.detail.type === b.detail.type && a.detail.notnull === b.detail.notnull && (a.detail.default ?? null) === (b.detail.default ?? null);
  const edits: Edit[] = [];
  for (const s of statements) {
    const [kind, body] = kindOf(s.node);
    const relation = body.relation as Json | undefined;
    const table = str(relation?.relname);
    if (kind !== 'AlterTableStmt' || !table) continue;
    const cmds = alterCommands(body);
    const addedAt = new Map(cmds.flatMap((c, i) => (c.subtype === 'AT_AddColumn' ? [[str(addedColumn(c).colname) ?? '', i] as const] : [])));
    const pairs = cmds.flatMap((c, i) => {
      if (c.subtype !== 'AT_DropColumn') return [];
      const d = str(c.name) ?? '';
      const a = wanted.get(`${table}\0${d}`);
      const at = a === undefined ? undefined : addedAt.get(a);
      return a !== undefined && at !== undefined && same(columnOf(from, table, d), columnOf(to, table, a)) ? [{ d, a, drop: i, add: at }] : [];
    });
    if (!pairs.length) continue;
    const pieces = subcommandTexts(s.text, cmds);
    if (!pieces) continue;
    const gone = new Set(pairs.flatMap((p) => [p.drop, p.add]));
    const rest = pieces.filter((_, i) => !gone.has(i));
    const target = qualifiedIn(relation, table);
    const note = `-- godwit: Prisma's differ drops ${pairs.map(({ d }) => `${sqlIdentifier(table)}.${sqlIdentifier(d)}`).join(', ')} and adds the column${pairs.length > 1 ? 's' : ''} the migration renamed (their values lost); renaming back keeps them.`;
    const renames = pairs.map(({ d, a }) => `ALTER TABLE ${target} RENAME COLUMN ${sqlIdentifier(d)} TO ${sqlIdentifier(a)}`);
    edits.push({ at: s.offset, len: s.text.length, text: `${note}\n${[...renames, ...(rest.length ? [`ALTER TABLE ${target} ${rest.join(',\n')}`] : [])].join(';\n')}` });
  }
  return applyEdits(prismaSql, edits);
}

/**
 * The columns of table `table` (own name) in `snap`, as comparable lines: name, type, NOT NULL, default; each name
 * first passed through `name` (the migration's renames, reversed).
 */
const columnsOf = (snap: CatalogSnapshot, table: string, name: { column(n: string): string; type(t: string): string } = { column: (n) => n, type: (t) => t }) =>
  columnsOfTable(snap, table)
    .map((o) => JSON.stringify([name.column(ownPart(String(o.detail.column))), name.type(String(o.detail.type)), o.detail.notnull, o.detail.default === null || o.detail.default === undefined ? null : name.type(String(o.detail.default))]))
    .sort();

/** pg_get_indexdef's `CREATE [UNIQUE] INDEX name ON table`, for comparing definitions whatever the names. */
const INDEX_HEAD = /^(CREATE (?:UNIQUE )?INDEX) (?:"(?:[^"]|"")*"|[^\s"]+) ON (?:ONLY )?(?:(?:"(?:[^"]|"")*"|[^\s."]+)\.)?(?:"(?:[^"]|"")*"|[^\s."]+)/;

/** `text` (a type, a default, an index's definition) with each name `renames` gave named as it was before. */
function namesRenamedBack(text: string, renames: ScriptRename[]): string {
  let out = text;
  for (const r of renames) {
    const after = asWritten(r.new);
    out = out.replace(new RegExp(`(?<![\\w$"])${after.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$"])`, 'g'), () => asWritten(r.old));
  }
  return out;
}

/**
 * A migration's `ALTER TABLE a RENAME TO b` is reversed by Prisma's differ with `DROP TABLE b` and `CREATE TABLE a`:
 * every row gone, and rows of other tables referencing it refused by their foreign keys (papermark's Conversation).
 * When migration.sql renames a to b and the two tables have the same columns, the CREATE TABLE becomes the rename
 * back, followed by the reverse of the migration's renames of the table's indexes and constraints, and the DROP TABLE
 * goes, as do Prisma's CREATE INDEX and ADD CONSTRAINT of what the table then has (unless the script drops it
 * itself). Its columns, indexes and constraints are named in the note, so the catalog's check sees them covered.
 */
export function withTableRenamesReversed(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql: string): string {
  const upRenames = renamesIn(upSql);
  const statements = upRenames.some((r) => r.kind === 'table') ? parsed(prismaSql) : null;
  if (!statements) return prismaSql;
  const edits: Edit[] = [];
  const gone = new Set<SqlStatement>();
  for (const { old: before, new: after } of upRenames.filter((r) => r.kind === 'table')) {
    const drop = statements.find((s) => {
      const [k, b] = kindOf(s.node);
      return k === 'DropStmt' && b.removeType === 'OBJECT_TABLE' && list(b.objects).length === 1 && droppedName(list(b.objects)[0]) === after;
    });
    const create = statements.find((s) => kindOf(s.node)[0] === 'CreateStmt' && str((kindOf(s.node)[1].relation as Json | undefined)?.relname) === before);
    if (!drop || !create || gone.has(drop) || gone.has(create)) continue;
    // Compared as they were before the migration: the columns it renamed on the table, and the types it renamed
    // (formbricks renamed Connector, its columns connectorId and its enums at once).
    const columnRenames = upRenames.filter((r) => r.kind === 'column' && (r.table === before || r.table === after));
    const typeRenames = upRenames.filter((r) => r.kind === 'type');
    const asBefore = { column: (n: string) => columnRenames.find((r) => r.new === n)?.old ?? n, type: (t: string) => namesRenamedBack(t, typeRenames) };
    const columns = columnsOf(from, after, asBefore);
    if (!columns.length || columns.join('\n') !== columnsOf(to, before).join('\n')) continue;
    const qualified = (name: string) => qualifiedIn(kindOf(create.node)[1].relation as Json | undefined, name);
    const dropsItself = (name: string) => statements.some((s) => {
      const [k, b] = kindOf(s.node);
      if (k === 'DropStmt' && b.removeType === 'OBJECT_INDEX') return list(b.objects).some((o) => droppedName(o) === name);
      return k === 'AlterTableStmt' && alterCommands(b).some((c) => c.subtype === 'AT_DropConstraint' && str(c.name) === name);
    });
    // What the table has in `from` and Prisma's script leaves it (it drops the foreign keys of a table it drops, and
    // re-adds them by their old names), and the names those take back: the migration's renames reversed. ALTER INDEX
    // renames a key's or unique constraint's index and the constraint with it (papermark renamed its key so).
    const has = [...from.objects.values()].filter((o) => (o.kind === 'index' || o.kind === 'constraint') && belongsTo(o, after))
      .map((o) => ownPart(o.kind === 'index' ? o.name : String(o.detail.constraint)))
      .filter((name) => !dropsItself(name));
    // A name the migration changed more than once goes back to the first (inbox-zero renamed an index twice).
    const nameRenames = upRenames.filter((r) => r.kind === 'index' || (r.kind === 'constraint' && (r.table === before || r.table === after)));
    const back = has.flatMap((name): ScriptRename[] => {
      let old = name;
      let kind: ScriptRename['kind'] | undefined;
      for (const r of [...nameRenames].reverse()) {
        if (r.new !== old) continue;
        old = r.old;
        kind ??= r.kind;
      }
      return kind && old !== name ? [{ kind, table: before, old, new: name }] : [];
    });
    const willHave = new Set(has.map((name) => back.find((r) => r.new === name)?.old ?? name));
    // An index renamed where no RENAME shows it (a DO block's EXECUTE: formbricks) is left with its new name, and
    // Prisma would create a twin under the old one: an index of the table defined as Prisma's is renamed instead.
    const shapeOf = (snap: CatalogSnapshot, table: string, name: string) => {
      const index = [...snap.objects.values()].find((o) => o.kind === 'index' && belongsTo(o, table) && ownPart(o.name) === name);
      return index ? namesRenamedBack(index.definition.replace(INDEX_HEAD, '$1'), columnRenames) : undefined;
    };
    const twins = new Map<SqlStatement, string>(); // Prisma's CREATE INDEX → the kept index it would duplicate
    for (const st of statements) {
      const [k, b] = kindOf(st.node);
      const idx = str(b.idxname);
      if (k !== 'IndexStmt' || !idx || willHave.has(idx) || str((b.relation as Json | undefined)?.relname) !== before) continue;
      const wanted = shapeOf(to, before, idx);
      const twin = wanted && [...willHave].find((name) => !back.some((r) => r.old === name) && shapeOf(from, after, name) === wanted);
      if (!twin) continue;
      twins.set(st, twin);
      willHave.delete(twin);
      willHave.add(idx);
    }
    const reverses = [
      ...columnRenames.map((r) => `ALTER TABLE ${qualified(before)} RENAME COLUMN ${sqlIdentifier(r.new)} TO ${sqlIdentifier(r.old)}`),
      ...back.map((r) => (r.kind === 'constraint'
        ? `ALTER TABLE ${qualified(before)} RENAME CONSTRAINT ${sqlIdentifier(r.new)} TO ${sqlIdentifier(r.old)}`
        : `ALTER INDEX ${qualified(r.new)} RENAME TO ${sqlIdentifier(r.old)}`)),
    ];
    const named = [...columns.map((c) => JSON.parse(c)[0] as string), ...willHave].map((n) => sqlIdentifier(n)).join(', ');
    const note = `-- godwit: Prisma's differ drops ${sqlIdentifier(after)} and creates ${sqlIdentifier(before)} empty (every row lost); the migration renamed it, and renaming back keeps its rows and ${named}.`;
    edits.push({ at: create.offset, len: create.text.length, text: [`${note}\nALTER TABLE ${qualified(after)} RENAME TO ${sqlIdentifier(before)}`, ...reverses].join(';\n') });
    edits.push({ ...statementSpan(prismaSql, drop), text: '' });
    gone.add(drop).add(create);
    for (const [st, twin] of twins) {
      gone.add(st);
      edits.push({ at: st.offset, len: st.text.length, text: `ALTER INDEX ${qualified(twin)} RENAME TO ${sqlIdentifier(str(kindOf(st.node)[1].idxname)!)}` });
    }
    const kept = (name: string | undefined) => name !== undefined && willHave.has(name);
    for (const s of statements) {
      const [k, b] = kindOf(s.node);
      if (gone.has(s) || str((b.relation as Json | undefined)?.relname) !== before) continue;
      const constraints = k === 'AlterTableStmt' ? alterCommands(b).map((c) => (c.subtype === 'AT_AddConstraint' ? str(unwrap(c.def, 'Constraint')?.conname) : undefined)) : [];
      const redundant = k === 'IndexStmt' ? kept(str(b.idxname)) : constraints.length > 0 && constraints.every(kept);
      if (!redundant) continue;
      gone.add(s);
      edits.push({ ...statementSpan(prismaSql, s), text: '' });
    }
  }
  return applyEdits(prismaSql, edits);
}
