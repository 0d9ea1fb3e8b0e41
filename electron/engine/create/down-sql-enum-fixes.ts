import type { CatalogObject, CatalogSnapshot } from '../catalog/types.ts';
import { nameParts, ownPart } from '../catalog/qualified-name.ts';
import type { SqlStatement } from '../sql/split-statements.ts';
import { sqlIdentifier, sqlLiteral } from '../history/history-table.ts';
import { kindOf, list, str, strings, unwrap, type Json } from '../analysis/parse-tree.ts';
import { addedColumn, alterCommands, applyEdits, columnOf, columnsOfTable, droppedName, droppedType, indexesOfKeptColumns, parsed, sameName, statementSpan, type Edit } from './down-sql-edits.ts';

// The down-sql mends of enums: renames, value order, Prisma's re-creation blocks, an order only a re-creation restores.

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
export function withEnumRenames(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
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

/** An enum definition's values in order, from the catalog's `ENUM ('a', 'b''s')`. */
function enumValues(definition: string | undefined): string[] | null {
  const m = /^ENUM \((.*)\)$/s.exec(definition ?? '');
  if (!m) return null;
  return [...m[1]!.matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1]!.replace(/''/g, "'"));
}


/** The enum of `snap` a script names `type` (`"public"."E"` or `"E"`). */
const enumNamed = (snap: CatalogSnapshot, type: string) => [...snap.objects.values()].find((o) => o.kind === 'enum' && sameName(nameParts(type), nameParts(o.name)));

/** Prisma's `ALTER TYPE "E" ADD VALUE 'x';` lines (type, value as written), with a `BEFORE 'y'` when `placed`. */
const addValueLines = (placed: boolean) =>
  new RegExp(`^ALTER TYPE ((?:"(?:[^"]|"")+"\\.)?"(?:[^"]|"")+") ADD VALUE '((?:[^']|'')*)'${placed ? "(?: BEFORE '(?:[^']|'')*')?" : ''};$`, 'gm');

/**
 * Prisma's differ adds an enum value back at the end (`ALTER TYPE "E" ADD VALUE 'X';`); PostgreSQL orders enum values
 * by where they were added, and ORDER BY, < and > follow that order. Each such statement gets the place the value had
 * in `to`: BEFORE the value that followed it there (one `to` already has, or one added back before it).
 */
export function withEnumValueOrder(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  const enumOf = (snap: CatalogSnapshot, type: string) => enumValues(enumNamed(snap, type)?.definition);
  const present = new Map<string, Set<string>>();
  return prismaSql.replace(addValueLines(false), (line, type: string, raw: string) => {
    const value = raw.replace(/''/g, "'");
    const target = enumOf(to, type);
    if (!target) return line;
    let have = present.get(type);
    if (!have) present.set(type, (have = new Set(enumOf(from, type) ?? [])));
    const at = target.indexOf(value);
    const next = at === -1 ? undefined : target.slice(at + 1).find((v) => have.has(v));
    have.add(value);
    return next === undefined ? line : `ALTER TYPE ${type} ADD VALUE ${sqlLiteral(value)} BEFORE ${sqlLiteral(next)};`;
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
export function withEnumBlocksInOrder(prismaSql: string, from: CatalogSnapshot): string {
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
    const ofBase = (table: string, column: string) => ownPart(String(columnOf(from, table, column)?.detail.type ?? '').replace(/\[\]$/, '')) === base;
    const start = i > 0 && kindOf(statements[i - 1]!.node)[0] === 'TransactionStmt' ? statements[i - 1]! : create;
    const tableOfBase = (table: string) => columnsOfTable(from, table).some((o) => ofBase(table, ownPart(String(o.detail.column))));
    for (const s of statements.slice(dropAt + 1)) {
      const [k, b] = kindOf(s.node);
      if (moved.has(s)) continue;
      if (k === 'DropStmt' && b.removeType === 'OBJECT_TABLE') {
        // A table the migration created with a column of the type (documenso's SweepNote): dropped before the block,
        // and what the block and the rest of the script would still do to it (the default Prisma drops first) goes.
        const tables = list(b.objects).map((o) => droppedName(o) ?? '');
        if (!tables.some(tableOfBase)) continue;
        for (const t of statements.slice(i)) {
          if (t === s || moved.has(t) || kindOf(t.node)[0] !== 'AlterTableStmt' || !tables.includes(str((kindOf(t.node)[1].relation as Json | undefined)?.relname) ?? '')) continue;
          moved.add(t);
          edits.push({ ...statementSpan(prismaSql, t), text: '' });
        }
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
export function withEnumOrderRestored(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
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
    `-- godwit: PostgreSQL cannot reorder an enum's values: ${name} is re-created in the order it had (${had.map(sqlLiteral).join(', ')} → ${values.map(sqlLiteral).join(', ')}), its columns re-typed.`,
    `CREATE TYPE ${temp} AS ENUM (${values.map(sqlLiteral).join(', ')});`,
    ...retype,
    `ALTER TYPE ${name} RENAME TO ${sqlIdentifier(`${own}_godwit_old`)};`,
    `ALTER TYPE ${temp} RENAME TO ${sqlIdentifier(own)};`,
    `DROP TYPE ${qualified(`${own}_godwit_old`)};`,
    ...defaults,
  ].join('\n');
}


/**
 * A value added back with ALTER TYPE … ADD VALUE cannot be used in the same transaction (`unsafe use of new value`),
 * and down.sql is one transaction: formbricks' rollback added 'web' back and then set a default to it. When the rest of
 * the script names a value it adds back, the enum is re-created with `to`'s values in place of its ADD VALUE lines
 * (a type created in the transaction can be used at once), its columns in `from` re-typed. So too when the migration
 * names the value (`upSql`): the rows it moved off it come back with it from the upgrade's copy.
 */
export function withAddedValuesUsable(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot, upSql = ''): string {
  const byType = new Map<string, { at: number; len: number; value: string }[]>();
  for (const m of prismaSql.matchAll(addValueLines(true))) {
    const list = byType.get(m[1]!) ?? [];
    list.push({ at: m.index!, len: m[0].length, value: m[2]!.replace(/''/g, "'") });
    byType.set(m[1]!, list);
  }
  const edits: Edit[] = [];
  for (const [type, adds] of byType) {
    const after = prismaSql.slice(adds.at(-1)!.at + adds.at(-1)!.len);
    // Or the migration names the value itself: it moved rows off it (an UPDATE before removing it), and the rollback's
    // restore of those rows writes it back in the same transaction (ghostfolio-shaped history: 55P04 on every try).
    if (!adds.some((a) => after.includes(sqlLiteral(a.value)) || upSql.includes(sqlLiteral(a.value)))) continue;
    const want = enumValues(enumNamed(to, type)?.definition);
    const have = enumValues(enumNamed(from, type)?.definition);
    if (!want || !have || have.some((v) => !want.includes(v))) continue;
    const why = `-- godwit: the script uses ${adds.map((a) => sqlLiteral(a.value)).join(', ')} after adding ${adds.length > 1 ? 'them' : 'it'} back, which PostgreSQL refuses in one transaction: ${type} is re-created instead.`;
    edits.push({ at: adds[0]!.at, len: adds[0]!.len, text: `${why}\n${enumRecreation(type, want, have, from)}` });
    for (const a of adds.slice(1)) edits.push({ at: a.at, len: a.len, text: '' });
  }
  return applyEdits(prismaSql, edits);
}
