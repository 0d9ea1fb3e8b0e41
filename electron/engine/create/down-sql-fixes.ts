import type { CatalogObject, CatalogSnapshot } from '../catalog/types.ts';
import { nameParts, ownPart } from '../catalog/qualified-name.ts';
import { splitStatements, type SqlStatement } from '../sql/split-statements.ts';
import { sqlIdentifier } from '../history/history-table.ts';
import { kindOf, list, str, strings, unwrap, type Json } from '../analysis/parse-tree.ts';

/**
 * What Prisma's differ writes for a down.sql (`from` the schema after the migration, `to` the one before), mended
 * where it loses data or cannot run: table and column renames (read from the migration's own `upSql`), enum renames, enum value
 * order, enum re-creation blocks, type changes by DROP/ADD COLUMN. Each mend rewrites only statements in exactly the shape it knows; anything else stays as written.
 */
export function mendDownSql(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql = ''): string {
  const renamed = withColumnRenamesReversed(withTableRenamesReversed(prismaSql, from, to, upSql), from, to, upSql);
  const mended = withTypeChangesKept(withEnumBlocksInOrder(withEnumValueOrder(withEnumRenames(renamed, from, to), from, to), from), from, to);
  return withEnumOrderRestored(mended, from, to);
}

/** A written name (`"E"`, `"public"."E"`) is the catalog's when equal, or when it is the catalog name's own part. */
const sameName = (written: string[], catalog: string[]) => written.join('.') === catalog.join('.') || (written.length === 1 && written[0] === catalog.at(-1));

/** An ALTER TABLE's subcommands (`AlterTableCmd` bodies). */
const alterCommands = (body: Json): Json[] => list(body.cmds).map((c) => unwrap(c, 'AlterTableCmd') ?? {});
/** The column an ADD COLUMN subcommand adds. */
const addedColumn = (cmd: Json): Json => unwrap(cmd.def, 'ColumnDef') ?? {};
/** The type a DROP TYPE drops (its only object), as written. */
const droppedType = (body: Json): string[] => (body.removeType === 'OBJECT_TYPE' && list(body.objects).length === 1 ? strings(unwrap(list(body.objects)[0], 'TypeName')?.names) : []);

/** A column of `snap` by its table's own name and its name. */
const columnOf = (snap: CatalogSnapshot, table: string, column: string): CatalogObject | undefined =>
  [...snap.objects.values()].find((o) => o.kind === 'column' && o.table !== undefined && nameParts(o.table).at(-1) === table && ownPart(String(o.detail.column)) === column);

/** Where a statement stands in the script, with Prisma's `-- AlterTable`-style heading above it and the blank lines after it. */
function statementSpan(sql: string, s: SqlStatement): { at: number; len: number } {
  const heading = /-- \w+\n$/.exec(sql.slice(0, s.offset))?.[0].length ?? 0;
  const tail = /^;?\n*/.exec(sql.slice(s.offset + s.text.length))![0].length;
  return { at: s.offset - heading, len: heading + s.text.length + tail };
}

type Edit = { at: number; len: number; text: string };

/** The edits applied from the end backwards, so each offset still holds (at one place, a removal before an insert). */
function applyEdits(sql: string, edits: Edit[]): string {
  let out = sql;
  for (const e of [...edits].sort((a, b) => b.at - a.at || a.len - b.len)) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.len);
  return out;
}

/** The script's statements, or null when it is empty or the parser refused it (then it is left alone). */
function parsed(sql: string): SqlStatement[] | null {
  if (!sql) return null;
  const { statements, parseError } = splitStatements(sql);
  return parseError ? null : statements;
}

/**
 * Enums renamed between `from` and `to` (gone from one, present in the other, same schema, same values in the same
 * order, one candidate each way): Prisma's differ cannot see a rename.
 */
function renamedEnums(from: CatalogSnapshot, to: CatalogSnapshot): { from: string[]; to: string[] }[] {
  const enums = (snap: CatalogSnapshot) => [...snap.objects.values()].filter((o) => o.kind === 'enum');
  const gone = enums(from).filter((o) => !to.objects.has(`enum:${o.name}`));
  const added = enums(to).filter((o) => !from.objects.has(`enum:${o.name}`));
  const schemaOf = (o: CatalogObject) => nameParts(o.name)[0];
  const pairs: { from: string[]; to: string[] }[] = [];
  for (const g of gone) {
    const candidates = added.filter((a) => a.definition === g.definition && schemaOf(a) === schemaOf(g));
    const rivals = gone.filter((o) => o.definition === g.definition && schemaOf(o) === schemaOf(g));
    if (candidates.length === 1 && rivals.length === 1) pairs.push({ from: nameParts(g.name), to: nameParts(candidates[0]!.name) });
  }
  return pairs;
}

/**
 * Prisma's differ reverses an enum rename (`ALTER TYPE "A" RENAME TO "B"`) by creating B, dropping and re-adding every
 * column of type A as B — their data gone, or the rollback failing on a NOT NULL column with rows — and dropping A.
 * When its script does exactly that (CREATE TYPE B, ALTER TABLEs made only of such DROP/ADD pairs, DROP TYPE A), those
 * statements become one ALTER TYPE … RENAME, which keeps every value. Anything else is left as Prisma wrote it.
 */
function withEnumRenames(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  const pairs = renamedEnums(from, to);
  const statements = pairs.length ? parsed(prismaSql) : null;
  if (!statements) return prismaSql;
  const edits: Edit[] = [];
  for (const pair of pairs) {
    const create = statements.find((s) => kindOf(s.node)[0] === 'CreateEnumStmt' && sameName(strings(kindOf(s.node)[1].typeName), pair.to));
    const drop = statements.find((s) => kindOf(s.node)[0] === 'DropStmt' && sameName(droppedType(kindOf(s.node)[1]), pair.from));
    if (!create || !drop) continue;
    const columnPairs: SqlStatement[] = [];
    let mixed = false;
    for (const s of statements) {
      const [kind, body] = kindOf(s.node);
      if (kind !== 'AlterTableStmt') continue;
      const cmds = alterCommands(body);
      const added = cmds.filter((c) => c.subtype === 'AT_AddColumn' && sameName(strings(unwrap(addedColumn(c).typeName, 'TypeName')?.names ?? (addedColumn(c).typeName as Json | undefined)?.names), pair.to));
      if (!added.length) continue;
      const dropped = new Set(cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => str(c.name)));
      const onlyPairs = cmds.length === added.length * 2 && added.every((c) => dropped.has(str(addedColumn(c).colname)));
      if (onlyPairs) columnPairs.push(s);
      else mixed = true;
    }
    if (mixed) continue;
    const rename = `ALTER TYPE ${pair.from.map(sqlIdentifier).join('.')} RENAME TO ${sqlIdentifier(pair.to.at(-1)!)}`;
    // The columns are named (quoted, as Prisma names them) so the catalog's check sees them covered (catalog-changes.ts).
    const columns = columnPairs.flatMap((s) => {
      const body = kindOf(s.node)[1];
      const table = str((body.relation as Json | undefined)?.relname) ?? '';
      return alterCommands(body).filter((c) => c.subtype === 'AT_DropColumn').map((c) => `${sqlIdentifier(table)}.${sqlIdentifier(str(c.name) ?? '')}`);
    });
    edits.push({ at: create.offset, len: create.text.length, text: `-- godwit: Prisma's differ re-creates the type and drops and re-adds its columns (${columns.join(', ') || 'none'}); a rename keeps their values.\n${rename}` });
    for (const s of [...columnPairs, drop, ...indexesOfKeptColumns(statements, columnPairs, from)]) edits.push({ ...statementSpan(prismaSql, s), text: '' });
  }
  return applyEdits(prismaSql, edits);
}

/**
 * Prisma's CREATE INDEX statements that re-create, after its DROP/ADD of `pairs`' columns, an index the schema
 * already has (in `from`) on one of them: with the columns kept, the index was never dropped ("already exists",
 * langfuse's score_configs_data_type_idx).
 */
function indexesOfKeptColumns(statements: SqlStatement[], pairs: SqlStatement[], from: CatalogSnapshot): SqlStatement[] {
  const kept = new Set(pairs.flatMap((s) => {
    const body = kindOf(s.node)[1];
    const table = str((body.relation as Json | undefined)?.relname) ?? '';
    return alterCommands(body).filter((c) => c.subtype === 'AT_DropColumn').map((c) => `${table}\0${str(c.name) ?? ''}`);
  }));
  const existing = new Set([...from.objects.values()].filter((o) => o.kind === 'index').map((o) => nameParts(o.name).at(-1)));
  return statements.filter((s) => {
    const [kind, body] = kindOf(s.node);
    if (kind !== 'IndexStmt' || !existing.has(str(body.idxname) ?? '')) return false;
    const table = str((body.relation as Json | undefined)?.relname) ?? '';
    return list(body.indexParams).some((p) => kept.has(`${table}\0${str(unwrap(p, 'IndexElem')?.name) ?? ''}`));
  });
}

/** An enum definition's values in order, from the catalog's `ENUM ('a', 'b''s')`. */
function enumValues(definition: string | undefined): string[] | null {
  const m = /^ENUM \((.*)\)$/s.exec(definition ?? '');
  if (!m) return null;
  return [...m[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1]!.replace(/''/g, "'"));
}

const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;

/**
 * Prisma's differ adds an enum value back at the end (`ALTER TYPE "E" ADD VALUE 'X';`); PostgreSQL orders enum values
 * by where they were added, and ORDER BY, < and > follow that order. Each such statement gets the place the value had
 * in `to`: BEFORE the value that followed it there (one `to` already has, or one added back before it).
 */
function withEnumValueOrder(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  const enumOf = (snap: CatalogSnapshot, type: string) => enumValues([...snap.objects.values()].find((o) => o.kind === 'enum' && sameName(nameParts(type), nameParts(o.name)))?.definition);
  const present = new Map<string, Set<string>>();
  return prismaSql.replace(/^ALTER TYPE ((?:"(?:[^"]|"")+"\.)?"(?:[^"]|"")+") ADD VALUE '((?:[^']|'')*)';$/gm, (line, type: string, raw: string) => {
    const value = raw.replace(/''/g, "'");
    const target = enumOf(to, type);
    if (!target) return line;
    let have = present.get(type);
    if (!have) present.set(type, (have = new Set(enumOf(from, type) ?? [])));
    const at = target.indexOf(value);
    const next = at === -1 ? undefined : target.slice(at + 1).find((v) => have.has(v));
    have.add(value);
    return next === undefined ? line : `ALTER TYPE ${type} ADD VALUE ${literal(value)} BEFORE ${literal(next)};`;
  });
}

/**
 * Prisma's enum re-creation (`CREATE TYPE "E_new" … ALTER … TYPE "E_new" … RENAME … DROP TYPE "E_old"`) re-types the
 * columns it knows about; a column of E that its script drops and re-adds later (a type change of that column) still
 * uses E_old when the DROP TYPE runs: "other objects depend on it" (rallly), as does a table of the migration's with a
 * column of E, which Prisma drops after the block (documenso). Such ALTER TABLEs and DROP TABLEs move before the block.
 * Its BEGIN and COMMIT go: Godwit runs down.sql in its own transaction, and a transaction in the middle of the script
 * made the whole file run statement by statement, without its backups restored.
 */
function withEnumBlocksInOrder(prismaSql: string, from: CatalogSnapshot): string {
  const statements = parsed(prismaSql);
  if (!statements) return prismaSql;
  const edits: Edit[] = [];
  const moved = new Set<SqlStatement>();
  statements.forEach((create, i) => {
    const [kind, body] = kindOf(create.node);
    if (kind !== 'CreateEnumStmt') return;
    const name = strings(body.typeName).at(-1) ?? '';
    if (!name.endsWith('_new')) return;
    const base = name.slice(0, -4);
    const dropAt = statements.findIndex((s, j) => j > i && kindOf(s.node)[0] === 'DropStmt' && droppedType(kindOf(s.node)[1]).at(-1) === `${base}_old`);
    if (dropAt === -1) return;
    const ofBase = (table: string, column: string) => nameParts(String(columnOf(from, table, column)?.detail.type ?? '').replace(/\[\]$/, '')).at(-1) === base;
    const start = i > 0 && kindOf(statements[i - 1]!.node)[0] === 'TransactionStmt' ? statements[i - 1]! : create;
    const tableOfBase = (table: string) => [...from.objects.values()].some((o) => o.kind === 'column' && o.table !== undefined && nameParts(o.table).at(-1) === table && ofBase(table, ownPart(String(o.detail.column))));
    for (const s of statements.slice(dropAt + 1)) {
      const [k, b] = kindOf(s.node);
      if (moved.has(s)) continue;
      if (k === 'DropStmt' && b.removeType === 'OBJECT_TABLE') {
        // A table the migration created with a column of the type (documenso's SweepNote): dropped before the block.
        if (!list(b.objects).some((o) => tableOfBase(strings(unwrap(o, 'List')?.items ?? o).at(-1) ?? ''))) continue;
      } else {
        if (k !== 'AlterTableStmt') continue;
        const table = str((b.relation as Json | undefined)?.relname) ?? '';
        if (!alterCommands(b).some((c) => c.subtype === 'AT_DropColumn' && ofBase(table, str(c.name) ?? ''))) continue;
      }
      moved.add(s);
      const r = statementSpan(prismaSql, s);
      edits.push({ ...r, text: '' }, { at: statementSpan(prismaSql, start).at, len: 0, text: prismaSql.slice(r.at, r.at + r.len).replace(/\n*$/, '\n\n') });
    }
  });
  // The plain BEGIN and COMMIT around Prisma's blocks.
  for (const s of statements) {
    const [k, b] = kindOf(s.node);
    if (k === 'TransactionStmt' && (b.kind === 'TRANS_STMT_BEGIN' || b.kind === 'TRANS_STMT_COMMIT') && !list(b.options).length && !b.chain) {
      const tail = /^;\n?/.exec(prismaSql.slice(s.offset + s.text.length))?.[0].length ?? 0;
      edits.push({ at: s.offset, len: s.text.length + tail, text: '' });
    }
  }
  return edits.length ? applyEdits(prismaSql, edits) : prismaSql;
}

/**
 * Prisma's differ changes a column's type it cannot cast by dropping the column and adding it again (`DROP COLUMN
 * "c", ADD COLUMN "c" "Currency"`): every value is lost, and a rollback of a migration that turned an enum into text
 * nulls them (ghostfolio). An ALTER TABLE made only of such pairs, on columns both schemas have, becomes a type change
 * with USING, its default and NOT NULL set as `to` has them; a value the new type refuses then stops the rollback,
 * rolled back, instead of vanishing.
 */
function withTypeChangesKept(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  const statements = parsed(prismaSql);
  if (!statements) return prismaSql;
  const edits: Edit[] = [];
  for (const s of statements) {
    const [kind, body] = kindOf(s.node);
    if (kind !== 'AlterTableStmt') continue;
    const relation = body.relation as Json | undefined;
    const table = str(relation?.relname);
    if (!table) continue;
    const cmds = alterCommands(body);
    const dropped = cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => str(c.name) ?? '');
    const added = cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => str(addedColumn(c).colname) ?? '');
    if (!dropped.length || dropped.length * 2 !== cmds.length || dropped.some((c) => !added.includes(c))) continue;
    const pairs = dropped.map((c) => ({ c, was: columnOf(from, table, c), will: columnOf(to, table, c) }));
    if (pairs.some((p) => !p.was || !p.will || typeof p.will.detail.type !== 'string' || p.will.detail.generated || p.will.detail.identity)) continue;
    const clauses = pairs.flatMap(({ c, was, will }) => {
      const col = `ALTER COLUMN ${sqlIdentifier(c)}`;
      // format_type leaves out a schema on the search path; the catalog's own name of a user type has it.
      const written = String(will!.detail.type);
      const own = [...to.objects.values()].find((o) => ['enum', 'domain', 'composite type'].includes(o.kind) && !written.includes('.') && nameParts(o.name).at(-1) === nameParts(written.replace(/\[\]$/, '')).at(-1));
      const type = own ? `${own.name}${written.endsWith('[]') ? '[]' : ''}` : written;
      return [
        ...(was!.detail.default ? [`${col} DROP DEFAULT`] : []),
        `${col} TYPE ${type} USING (${sqlIdentifier(c)}::text::${type})`,
        ...(will!.detail.default ? [`${col} SET DEFAULT ${String(will!.detail.default)}`] : []),
        ...(will!.detail.notnull !== was!.detail.notnull ? [`${col} ${will!.detail.notnull ? 'SET' : 'DROP'} NOT NULL`] : []),
      ];
    });
    const schema = str(relation?.schemaname);
    const target = `${schema ? `${sqlIdentifier(schema)}.` : ''}${sqlIdentifier(table)}`;
    const note = `-- godwit: Prisma's differ drops and re-adds ${dropped.map((c) => `${sqlIdentifier(table)}.${sqlIdentifier(c)}`).join(', ')} (their values lost); a type change with USING keeps them.`;
    edits.push({ at: s.offset, len: s.text.length, text: `${note}\nALTER TABLE ${target} ${clauses.join(',\n')}` });
  }
  return applyEdits(prismaSql, edits);
}

/** The catalog's enums of `snap`, by name. */
const enumsOf = (snap: CatalogSnapshot) => new Map([...snap.objects.values()].filter((o) => o.kind === 'enum').map((o) => [o.name, o]));

/**
 * PostgreSQL cannot reorder an enum's values, and Prisma's differ compares only which values an enum has: a migration
 * that re-created an enum in another order (Prisma does so to drop a value, in schema.prisma's order) or only
 * reordered it is reversed with its values in the new order, or the one removed put back at the end, and ORDER BY, <
 * and > then sort rows otherwise than before. When `to` keeps every value `from` has (else Prisma's own re-creation
 * writes `to`'s order) but the values they share are in another order, the type is re-created at the end of the
 * script in `to`'s order: each of its columns in `to` re-typed through text (arrays too), its default dropped first and
 * set again after the rename, as Prisma's own block does.
 */
function withEnumOrderRestored(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  const before = enumsOf(from);
  const blocks: string[] = [];
  for (const [name, target] of enumsOf(to)) {
    const want = enumValues(target.definition);
    const have = enumValues(before.get(name)?.definition);
    if (!want || !have || have.some((v) => !want.includes(v))) continue;
    const shared = want.filter((v) => have.includes(v));
    if (shared.every((v, i) => v === have[i])) continue; // ADD VALUE … BEFORE puts the rest in place
    blocks.push(enumRecreation(name, want, have, to));
  }
  if (!blocks.length) return prismaSql;
  return [prismaSql.replace(/\n*$/, ''), ...blocks].filter(Boolean).join('\n\n');
}

/** The statements that re-create enum `name` with `values`, re-typing its columns in `snap` (see withEnumOrderRestored). */
function enumRecreation(name: string, values: string[], had: string[], snap: CatalogSnapshot): string {
  const parts = nameParts(name);
  const own = parts.at(-1)!;
  const qualified = (n: string) => [...parts.slice(0, -1), n].map(sqlIdentifier).join('.');
  const temp = qualified(`${own}_godwit_new`);
  const columns = [...snap.objects.values()].filter((o) => {
    if (o.kind !== 'column' || !o.table || typeof o.detail.type !== 'string') return false;
    const typeParts = nameParts(o.detail.type.replace(/\[\]$/, ''));
    // format_type leaves the schema out when the type is on the search path.
    return typeParts.at(-1) === own && (typeParts.length === 1 || typeParts[0] === parts[0]);
  });
  const alter = (o: CatalogObject, clauses: string[]) => `ALTER TABLE ${o.table} ${clauses.map((c) => `ALTER COLUMN ${sqlIdentifier(ownPart(String(o.detail.column)))} ${c}`).join(', ')};`;
  const retype = columns.map((o) => {
    const array = String(o.detail.type).endsWith('[]') ? '[]' : '';
    const col = sqlIdentifier(ownPart(String(o.detail.column)));
    return alter(o, [...(o.detail.default ? ['DROP DEFAULT'] : []), `TYPE ${temp}${array} USING (${col}::text${array}::${temp}${array})`]);
  });
  const defaults = columns.filter((o) => o.detail.default).map((o) => alter(o, [`SET DEFAULT ${String(o.detail.default)}`]));
  return [
    `-- godwit: PostgreSQL cannot reorder an enum's values: ${name} is re-created in the order it had (${had.map(literal).join(', ')} → ${values.map(literal).join(', ')}), its columns re-typed.`,
    `CREATE TYPE ${temp} AS ENUM (${values.map(literal).join(', ')});`,
    ...retype,
    `ALTER TYPE ${name} RENAME TO ${sqlIdentifier(`${own}_godwit_old`)};`,
    `ALTER TYPE ${temp} RENAME TO ${sqlIdentifier(own)};`,
    `DROP TYPE ${qualified(`${own}_godwit_old`)};`,
    ...defaults,
  ].join('\n');
}

/**
 * Prisma's differ cannot see a rename: a migration's `RENAME COLUMN a TO b` is reversed by dropping b and adding a
 * (every value gone, or the rollback failing on a NOT NULL column with rows; langfuse's monitors). An ALTER TABLE made
 * only of such pairs, each the reverse of a RENAME COLUMN of the migration with the column's type, NOT NULL and
 * default unchanged between the schemas, becomes the renames back, which keep the values.
 */
function withColumnRenamesReversed(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql: string): string {
  const renames = upSql && /\bRENAME\b/i.test(upSql) ? parsed(upSql) : null;
  const wanted = new Map<string, string>(); // `${table}\0${name after}` → name before
  for (const s of renames ?? []) {
    const [kind, body] = kindOf(s.node);
    if (kind !== 'RenameStmt' || body.renameType !== 'OBJECT_COLUMN') continue;
    const table = str((body.relation as Json | undefined)?.relname);
    const before = str(body.subname);
    const after = str(body.newname);
    if (table && before && after) wanted.set(`${table}\0${after}`, before);
  }
  const statements = wanted.size ? parsed(prismaSql) : null;
  if (!statements) return prismaSql;
  const same = (a: CatalogObject | undefined, b: CatalogObject | undefined) =>
    !!a && !!b && a.detail.type === b.detail.type && a.detail.notnull === b.detail.notnull && (a.detail.default ?? null) === (b.detail.default ?? null);
  const edits: Edit[] = [];
  for (const s of statements) {
    const [kind, body] = kindOf(s.node);
    if (kind !== 'AlterTableStmt') continue;
    const relation = body.relation as Json | undefined;
    const table = str(relation?.relname);
    if (!table) continue;
    const cmds = alterCommands(body);
    const dropped = cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => str(c.name) ?? '');
    const added = new Set(cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => str(addedColumn(c).colname) ?? ''));
    if (!dropped.length || dropped.length * 2 !== cmds.length) continue;
    const pairs = dropped.map((d) => ({ d, a: wanted.get(`${table}\0${d}`) }));
    if (pairs.some(({ d, a }) => !a || !added.has(a) || !same(columnOf(from, table, d), columnOf(to, table, a)))) continue;
    const schema = str(relation?.schemaname);
    const target = `${schema ? `${sqlIdentifier(schema)}.` : ''}${sqlIdentifier(table)}`;
    const note = `-- godwit: Prisma's differ drops ${pairs.map(({ d }) => `${sqlIdentifier(table)}.${sqlIdentifier(d)}`).join(', ')} and adds the column${pairs.length > 1 ? 's' : ''} the migration renamed (their values lost); renaming back keeps them.`;
    const text = [note, ...pairs.map(({ d, a }) => `ALTER TABLE ${target} RENAME COLUMN ${sqlIdentifier(d)} TO ${sqlIdentifier(a!)}`)].join(';\n').replace(/^(-- [^\n]*);\n/, '$1\n');
    edits.push({ at: s.offset, len: s.text.length, text });
  }
  return applyEdits(prismaSql, edits);
}

/** The columns of table `table` (own name) in `snap`, as comparable lines: name, type, NOT NULL, default. */
const columnsOf = (snap: CatalogSnapshot, table: string) => [...snap.objects.values()]
  .filter((o) => o.kind === 'column' && o.table !== undefined && nameParts(o.table).at(-1) === table)
  .map((o) => JSON.stringify([ownPart(String(o.detail.column)), o.detail.type, o.detail.notnull, o.detail.default ?? null])).sort();

/** A rename in migration.sql: of a table, of a table's constraint (on `table`), or of an index. */
type UpRename = { kind: 'table' | 'constraint' | 'index'; table: string; old: string; new: string };

/**
 * A migration's `ALTER TABLE a RENAME TO b` is reversed by Prisma's differ with `DROP TABLE b` and `CREATE TABLE a`:
 * every row gone, and rows of other tables referencing it refused by their foreign keys (papermark's Conversation).
 * When migration.sql renames a to b and the two tables have the same columns, the CREATE TABLE becomes the rename
 * back, followed by the reverse of the migration's renames of the table's indexes and constraints, and the DROP TABLE
 * goes, as do Prisma's CREATE INDEX and ADD CONSTRAINT of what the table then has (unless the script drops it
 * itself). Its columns, indexes and constraints are named in the note, so the catalog's check sees them covered.
 */
function withTableRenamesReversed(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql: string): string {
  const up = upSql && /\bRENAME\s+TO\b/i.test(upSql) ? parsed(upSql) : null;
  const upRenames = (up ?? []).flatMap((s): UpRename[] => {
    const [kind, body] = kindOf(s.node);
    const relation = str((body.relation as Json | undefined)?.relname);
    const newName = str(body.newname);
    if (kind !== 'RenameStmt' || !relation || !newName) return [];
    if (body.renameType === 'OBJECT_TABLE') return [{ kind: 'table', table: relation, old: relation, new: newName }];
    if (body.renameType === 'OBJECT_TABCONSTRAINT' && str(body.subname)) return [{ kind: 'constraint', table: relation, old: str(body.subname)!, new: newName }];
    if (body.renameType === 'OBJECT_INDEX') return [{ kind: 'index', table: '', old: relation, new: newName }];
    return [];
  });
  const statements = upRenames.some((r) => r.kind === 'table') ? parsed(prismaSql) : null;
  if (!statements) return prismaSql;
  const ownNameOf = (items: unknown) => strings(unwrap(items, 'List')?.items ?? items).at(-1);
  const edits: Edit[] = [];
  const gone = new Set<SqlStatement>();
  for (const { old: before, new: after } of upRenames.filter((r) => r.kind === 'table')) {
    const drop = statements.find((s) => {
      const [k, b] = kindOf(s.node);
      return k === 'DropStmt' && b.removeType === 'OBJECT_TABLE' && list(b.objects).length === 1 && ownNameOf(list(b.objects)[0]) === after;
    });
    const create = statements.find((s) => kindOf(s.node)[0] === 'CreateStmt' && str((kindOf(s.node)[1].relation as Json | undefined)?.relname) === before);
    if (!drop || !create || gone.has(drop) || gone.has(create)) continue;
    const columns = columnsOf(from, after);
    if (!columns.length || columns.join('\n') !== columnsOf(to, before).join('\n')) continue;
    const schema = str((kindOf(create.node)[1].relation as Json | undefined)?.schemaname);
    const qualified = (name: string) => `${schema ? `${sqlIdentifier(schema)}.` : ''}${sqlIdentifier(name)}`;
    // The table's indexes and constraints in `from`, and the names they take back (the migration's renames reversed).
    const onTable = (o: CatalogObject) => o.table !== undefined && nameParts(o.table).at(-1) === after;
    const has = [...from.objects.values()].filter((o) => (o.kind === 'index' || o.kind === 'constraint') && onTable(o))
      .map((o) => ({ kind: o.kind as 'index' | 'constraint', name: ownPart(o.kind === 'index' ? o.name : String(o.detail.constraint)) }));
    const back = upRenames.filter((r) => r.kind !== 'table' && has.some((h) => h.kind === r.kind && h.name === r.new) && (r.kind === 'index' || r.table === before || r.table === after));
    const willHave = new Set(has.map((h) => back.find((r) => r.kind === h.kind && r.new === h.name)?.old ?? h.name));
    const reverses = back.map((r) => (r.kind === 'constraint'
      ? `ALTER TABLE ${qualified(before)} RENAME CONSTRAINT ${sqlIdentifier(r.new)} TO ${sqlIdentifier(r.old)}`
      : `ALTER INDEX ${qualified(r.new)} RENAME TO ${sqlIdentifier(r.old)}`));
    const named = [...columns.map((c) => JSON.parse(c)[0] as string), ...willHave].map((n) => sqlIdentifier(n)).join(', ');
    const note = `-- godwit: Prisma's differ drops ${sqlIdentifier(after)} and creates ${sqlIdentifier(before)} empty (every row lost); the migration renamed it, and renaming back keeps its rows and ${named}.`;
    edits.push({ at: create.offset, len: create.text.length, text: [`${note}\nALTER TABLE ${qualified(after)} RENAME TO ${sqlIdentifier(before)}`, ...reverses].join(';\n') });
    edits.push({ ...statementSpan(prismaSql, drop), text: '' });
    gone.add(drop).add(create);
    const dropsItself = (name: string) => statements.some((s) => {
      const [k, b] = kindOf(s.node);
      if (k === 'DropStmt' && b.removeType === 'OBJECT_INDEX') return list(b.objects).some((o) => ownNameOf(o) === name);
      return k === 'AlterTableStmt' && alterCommands(b).some((c) => c.subtype === 'AT_DropConstraint' && str(c.name) === name);
    });
    const kept = (name: string | undefined) => name !== undefined && willHave.has(name) && !dropsItself(name);
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
