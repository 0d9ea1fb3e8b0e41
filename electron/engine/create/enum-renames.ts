import type { CatalogObject, CatalogSnapshot } from '../catalog/types.ts';
import { nameParts } from '../catalog/qualified-name.ts';
import { splitStatements, type SqlStatement } from '../sql/split-statements.ts';
import { sqlIdentifier } from '../history/history-table.ts';

type Names = { String?: { sval?: string } }[];
const namesOf = (list: Names | undefined) => (list ?? []).map((n) => n.String?.sval ?? '');
const sameName = (written: string[], catalog: string[]) => written.join('.') === catalog.join('.') || (written.length === 1 && written[0] === catalog.at(-1));

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
  if (!pairs.length || !prismaSql) return prismaSql;
  const { statements, parseError } = splitStatements(prismaSql);
  if (parseError) return prismaSql;
  let sql = prismaSql;
  const edits: { at: number; len: number; text: string }[] = [];
  for (const pair of pairs) {
    const body = (s: SqlStatement) => (s.node ? Object.entries(s.node)[0]! : ['', {}]) as [string, Record<string, unknown>];
    const create = statements.find((s) => body(s)[0] === 'CreateEnumStmt' && sameName(namesOf(body(s)[1].typeName as Names), pair.to));
    const drop = statements.find((s) => {
      const [kind, b] = body(s);
      const objects = (b.objects as { TypeName?: { names?: Names } }[] | undefined) ?? [];
      return kind === 'DropStmt' && b.removeType === 'OBJECT_TYPE' && objects.length === 1 && sameName(namesOf(objects[0]!.TypeName?.names), pair.from);
    });
    if (!create || !drop) continue;
    const columnPairs: SqlStatement[] = [];
    let mixed = false;
    for (const s of statements) {
      const [kind, b] = body(s);
      if (kind !== 'AlterTableStmt') continue;
      const cmds = ((b.cmds as { AlterTableCmd?: { subtype?: string; name?: string; def?: { ColumnDef?: { colname?: string; typeName?: { names?: Names } } } } }[] | undefined) ?? []).map((c) => c.AlterTableCmd ?? {});
      const added = cmds.filter((c) => c.subtype === 'AT_AddColumn' && sameName(namesOf(c.def?.ColumnDef?.typeName?.names), pair.to));
      if (!added.length) continue;
      const dropped = new Set(cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => c.name));
      const onlyPairs = cmds.length === added.length * 2 && added.every((c) => dropped.has(c.def?.ColumnDef?.colname));
      if (onlyPairs) columnPairs.push(s);
      else mixed = true;
    }
    if (mixed) continue;
    const rename = `ALTER TYPE ${pair.from.map(sqlIdentifier).join('.')} RENAME TO ${sqlIdentifier(pair.to.at(-1)!)}`;
    // The columns are named (quoted, as Prisma names them) so the catalog's check sees them covered (catalog-changes.ts).
    const columns = columnPairs.flatMap((s) => {
      const b = Object.values(s.node!)[0] as { relation?: { relname?: string }; cmds?: { AlterTableCmd?: { subtype?: string; name?: string } }[] };
      return (b.cmds ?? []).filter((c) => c.AlterTableCmd?.subtype === 'AT_DropColumn').map((c) => `"${b.relation?.relname ?? ''}"."${c.AlterTableCmd?.name ?? ''}"`);
    });
    edits.push({ at: create.offset, len: create.text.length, text: `-- godwit: Prisma's differ re-creates the type and drops and re-adds its columns (${columns.join(', ') || 'none'}); a rename keeps their values.\n${rename}` });
    for (const s of [...columnPairs, drop]) {
      // With its `-- AlterTable` / `-- DropEnum` heading and the blank line after it.
      const heading = /-- \w+\n$/.exec(sql.slice(0, s.offset))?.[0].length ?? 0;
      const end = s.offset + s.text.length;
      const tail = /^;?\n*/.exec(sql.slice(end))![0].length;
      edits.push({ at: s.offset - heading, len: heading + s.text.length + tail, text: '' });
    }
  }
  for (const e of edits.sort((a, b) => b.at - a.at)) sql = sql.slice(0, e.at) + e.text + sql.slice(e.at + e.len);
  return sql;
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
export function withEnumValueOrder(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
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
 * uses E_old when the DROP TYPE runs: "other objects depend on it" (rallly). Such ALTER TABLEs move before the block.
 * Its BEGIN and COMMIT go: Godwit runs down.sql in its own transaction, and a transaction in the middle of the script
 * made the whole file run statement by statement, without its backups restored.
 */
export function withEnumBlocksInOrder(prismaSql: string, from: CatalogSnapshot): string {
  if (!prismaSql) return prismaSql;
  const { statements, parseError } = splitStatements(prismaSql);
  if (parseError) return prismaSql;
  const kindOf = (s: SqlStatement) => (s.node ? Object.entries(s.node)[0]! : ['', {}]) as [string, Record<string, unknown>];
  const removals: { at: number; len: number }[] = [];
  const inserts: { at: number; text: string }[] = [];
  const span = (s: SqlStatement) => {
    const heading = /-- \w+\n$/.exec(prismaSql.slice(0, s.offset))?.[0].length ?? 0;
    const tail = /^;?\n*/.exec(prismaSql.slice(s.offset + s.text.length))![0].length;
    return { at: s.offset - heading, len: heading + s.text.length + tail };
  };
  const moved = new Set<SqlStatement>();
  statements.forEach((create, i) => {
    const [kind, body] = kindOf(create);
    if (kind !== 'CreateEnumStmt') return;
    const name = namesOf(body.typeName as Names).at(-1) ?? '';
    if (!name.endsWith('_new')) return;
    const base = name.slice(0, -4);
    const dropAt = statements.findIndex((s, j) => j > i && kindOf(s)[0] === 'DropStmt' && namesOf(((kindOf(s)[1].objects as { TypeName?: { names?: Names } }[] | undefined) ?? [])[0]?.TypeName?.names).at(-1) === `${base}_old`);
    if (dropAt === -1) return;
    const ofBase = (table: string, column: string) => [...from.objects.values()].some((o) => o.kind === 'column' && o.table !== undefined && nameParts(o.table).at(-1) === table
      && o.detail.column === column && nameParts(String(o.detail.type ?? '').replace(/\[\]$/, '')).at(-1) === base);
    const start = i > 0 && kindOf(statements[i - 1]!)[0] === 'TransactionStmt' ? statements[i - 1]! : create;
    for (const s of statements.slice(dropAt + 1)) {
      const [k, b] = kindOf(s);
      if (k !== 'AlterTableStmt' || moved.has(s)) continue;
      const table = (b.relation as { relname?: string } | undefined)?.relname ?? '';
      const drops = ((b.cmds as { AlterTableCmd?: { subtype?: string; name?: string } }[] | undefined) ?? []).filter((c) => c.AlterTableCmd?.subtype === 'AT_DropColumn');
      if (!drops.some((c) => ofBase(table, c.AlterTableCmd?.name ?? ''))) continue;
      moved.add(s);
      const r = span(s);
      removals.push(r);
      inserts.push({ at: span(start).at, text: `${prismaSql.slice(r.at, r.at + r.len).replace(/\n*$/, '\n\n')}` });
    }
  });
  // The plain BEGIN and COMMIT around Prisma's blocks.
  for (const s of statements) {
    const [k, b] = kindOf(s);
    if (k === 'TransactionStmt' && (b.kind === 'TRANS_STMT_BEGIN' || b.kind === 'TRANS_STMT_COMMIT') && !(b.options as unknown[] | undefined)?.length && !b.chain) {
      const tail = /^;\n?/.exec(prismaSql.slice(s.offset + s.text.length))?.[0].length ?? 0;
      removals.push({ at: s.offset, len: s.text.length + tail });
    }
  }
  if (!removals.length) return prismaSql;
  const edits = [...removals.map((r) => ({ at: r.at, len: r.len, text: '' })), ...inserts.map((i) => ({ at: i.at, len: 0, text: i.text }))];
  let sql = prismaSql;
  for (const e of edits.sort((a, b) => b.at - a.at || a.len - b.len)) sql = sql.slice(0, e.at) + e.text + sql.slice(e.at + e.len);
  return sql;
}

const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Prisma's differ changes a column's type it cannot cast by dropping the column and adding it again (`DROP COLUMN
 * "c", ADD COLUMN "c" "Currency"`): every value is lost, and a rollback of a migration that turned an enum into text
 * nulls them (ghostfolio). An ALTER TABLE made only of such pairs, on columns both schemas have, becomes a type change
 * with USING, its default and NOT NULL set as `to` has them; a value the new type refuses then stops the rollback,
 * rolled back, instead of vanishing.
 */
export function withTypeChangesKept(prismaSql: string, from: CatalogSnapshot, to: CatalogSnapshot): string {
  if (!prismaSql) return prismaSql;
  const { statements, parseError } = splitStatements(prismaSql);
  if (parseError) return prismaSql;
  const column = (snap: CatalogSnapshot, table: string, name: string) => [...snap.objects.values()].find((o) => o.kind === 'column' && o.table !== undefined && nameParts(o.table).at(-1) === table && o.detail.column === name);
  const edits: { at: number; len: number; text: string }[] = [];
  for (const s of statements) {
    const [kind, body] = s.node ? (Object.entries(s.node)[0] as [string, Record<string, unknown>]) : ['', {}];
    if (kind !== 'AlterTableStmt') continue;
    const relation = body.relation as { schemaname?: string; relname?: string } | undefined;
    const table = relation?.relname;
    if (!table) continue;
    const cmds = ((body.cmds as { AlterTableCmd?: { subtype?: string; name?: string; def?: { ColumnDef?: { colname?: string } } } }[] | undefined) ?? []).map((c) => c.AlterTableCmd ?? {});
    const dropped = cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => c.name ?? '');
    const added = cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => c.def?.ColumnDef?.colname ?? '');
    if (!dropped.length || dropped.length * 2 !== cmds.length || dropped.some((c) => !added.includes(c))) continue;
    const pairs = dropped.map((c) => ({ c, was: column(from, table, c), will: column(to, table, c) }));
    if (pairs.some((p) => !p.was || !p.will || typeof p.will.detail.type !== 'string' || p.will.detail.generated || p.will.detail.identity)) continue;
    const clauses = pairs.flatMap(({ c, was, will }) => {
      const col = `ALTER COLUMN ${quoted(c)}`;
      // format_type leaves out a schema on the search path; the catalog's own name of a user type has it.
      const written = String(will!.detail.type);
      const own = [...to.objects.values()].find((o) => ['enum', 'domain', 'composite type'].includes(o.kind) && !written.includes('.') && nameParts(o.name).at(-1) === nameParts(written.replace(/\[\]$/, '')).at(-1));
      const type = own ? `${own.name}${written.endsWith('[]') ? '[]' : ''}` : written;
      return [
        ...(was!.detail.default ? [`${col} DROP DEFAULT`] : []),
        `${col} TYPE ${type} USING (${quoted(c)}::text::${type})`,
        ...(will!.detail.default ? [`${col} SET DEFAULT ${String(will!.detail.default)}`] : []),
        ...(will!.detail.notnull !== was!.detail.notnull ? [`${col} ${will!.detail.notnull ? 'SET' : 'DROP'} NOT NULL`] : []),
      ];
    });
    const target = `${relation?.schemaname ? `${quoted(relation.schemaname)}.` : ''}${quoted(table)}`;
    const note = `-- godwit: Prisma's differ drops and re-adds ${dropped.map((c) => `${quoted(table)}.${quoted(c)}`).join(', ')} (their values lost); a type change with USING keeps them.`;
    edits.push({ at: s.offset, len: s.text.length, text: `${note}\nALTER TABLE ${target} ${clauses.join(',\n')}` });
  }
  let sql = prismaSql;
  for (const e of edits.sort((a, b) => b.at - a.at)) sql = sql.slice(0, e.at) + e.text + sql.slice(e.at + e.len);
  return sql;
}
