import type { CatalogObject, CatalogSnapshot } from '../catalog/types.ts';
import { ownPart } from '../catalog/qualified-name.ts';
import { splitStatements, type SqlStatement } from '../sql/split-statements.ts';
import { kindOf, list, str, strings, unwrap, type Json } from '../analysis/parse-tree.ts';
import { sqlIdentifier } from '../history/history-table.ts';

// What the down-sql mends (down-sql-fixes.ts, down-sql-enum-fixes.ts, down-sql-rename-fixes.ts) share: reading
// Prisma's script as statements and rewriting some of them in place.

/** A written name (`"E"`, `"public"."E"`) is the catalog's when equal, or when it is the catalog name's own part. */
export const sameName = (written: string[], catalog: string[]) => written.join('.') === catalog.join('.') || (written.length === 1 && written[0] === catalog.at(-1));

/** An ALTER TABLE's subcommands (`AlterTableCmd` bodies). */
export const alterCommands = (body: Json): Json[] => list(body.cmds).map((c) => unwrap(c, 'AlterTableCmd') ?? {});
/** The column an ADD COLUMN subcommand adds. */
export const addedColumn = (cmd: Json): Json => unwrap(cmd.def, 'ColumnDef') ?? {};
/** The type a DROP TYPE drops (its only object), as written. */
export const droppedType = (body: Json): string[] => (body.removeType === 'OBJECT_TYPE' && list(body.objects).length === 1 ? strings(unwrap(list(body.objects)[0], 'TypeName')?.names) : []);

/** Whether a column, constraint, index … of the catalog belongs to the table of own name `table`. */
export const belongsTo = (o: CatalogObject, table: string): boolean => o.table !== undefined && ownPart(o.table) === table;

/** The columns of `snap`'s table of own name `table`. */
export const columnsOfTable = (snap: CatalogSnapshot, table: string): CatalogObject[] =>
  [...snap.objects.values()].filter((o) => o.kind === 'column' && belongsTo(o, table));

/** A column of `snap` by its table's own name and its name. */
export const columnOf = (snap: CatalogSnapshot, table: string, column: string): CatalogObject | undefined =>
  columnsOfTable(snap, table).find((o) => ownPart(String(o.detail.column)) === column);

/** Where a statement stands in the script, with Prisma's `-- AlterTable`-style heading above it and the blank lines after it. */
export function statementSpan(sql: string, s: SqlStatement): { at: number; len: number } {
  const heading = /-- \w+\n$/.exec(sql.slice(0, s.offset))?.[0].length ?? 0;
  const tail = /^;?\n*/.exec(sql.slice(s.offset + s.text.length))![0].length;
  return { at: s.offset - heading, len: heading + s.text.length + tail };
}

export type Edit = { at: number; len: number; text: string };

/** The edits applied from the end backwards, so each offset still holds (at one place, a removal before an insert). */
export function applyEdits(sql: string, edits: Edit[]): string {
  let out = sql;
  for (const e of [...edits].sort((a, b) => b.at - a.at || a.len - b.len)) out = out.slice(0, e.at) + e.text + out.slice(e.at + e.len);
  return out;
}

/** The script's statements, or null when it is empty or the parser refused it (then it is left alone). */
export function parsed(sql: string): SqlStatement[] | null {
  if (!sql) return null;
  const { statements, parseError } = splitStatements(sql);
  return parseError ? null : statements;
}

/** The own name of one object of a DROP statement (`"public"."T"` → T). */
export const droppedName = (item: unknown): string | undefined => strings(unwrap(item, 'List')?.items ?? item).at(-1);

/** An ALTER TABLE of Prisma's made only of DROP COLUMN and ADD COLUMN subcommands, as many of each. */
export interface DropAddAlter {
  statement: SqlStatement;
  /** The table's own name, and as written to address it (schema-qualified when Prisma qualified it). */
  table: string;
  target: string;
  dropped: string[];
  added: string[];
}

/** The ALTER TABLEs of `statements` that only drop and add columns, as many of each (how Prisma's differ writes a change it cannot express). */
export function dropAddAlters(statements: SqlStatement[]): DropAddAlter[] {
  return statements.flatMap((s) => {
    const [kind, body] = kindOf(s.node);
    const relation = body.relation as Json | undefined;
    const table = str(relation?.relname);
    if (kind !== 'AlterTableStmt' || !table) return [];
    const cmds = alterCommands(body);
    const dropped = cmds.filter((c) => c.subtype === 'AT_DropColumn').map((c) => str(c.name) ?? '');
    const added = cmds.filter((c) => c.subtype === 'AT_AddColumn').map((c) => str(addedColumn(c).colname) ?? '');
    if (!dropped.length || dropped.length * 2 !== cmds.length || added.length !== dropped.length) return [];
    return [{ statement: s, table, target: qualifiedIn(relation, table), dropped, added }];
  });
}

/**
 * Prisma's CREATE INDEX statements that re-create, after its DROP/ADD of `pairs`' columns, an index the schema
 * already has (in `from`) on one of them: a mend that keeps the columns (a rename of their enum, a type change with
 * USING) never drops the index ("already exists": langfuse's score_configs_data_type_idx, documenso's
 * Document_folderId_idx).
 */
export function indexesOfKeptColumns(statements: SqlStatement[], pairs: SqlStatement[], from: CatalogSnapshot): SqlStatement[] {
  const kept = new Set(pairs.flatMap((s) => {
    const body = kindOf(s.node)[1];
    const table = str((body.relation as Json | undefined)?.relname) ?? '';
    return alterCommands(body).filter((c) => c.subtype === 'AT_DropColumn').map((c) => `${table}\0${str(c.name) ?? ''}`);
  }));
  const existing = new Set([...from.objects.values()].filter((o) => o.kind === 'index').map((o) => ownPart(o.name)));
  return statements.filter((s) => {
    const [kind, body] = kindOf(s.node);
    if (kind !== 'IndexStmt' || !existing.has(str(body.idxname) ?? '')) return false;
    const table = str((body.relation as Json | undefined)?.relname) ?? '';
    return list(body.indexParams).some((p) => kept.has(`${table}\0${str(unwrap(p, 'IndexElem')?.name) ?? ''}`));
  });
}

/** `name` quoted, in the schema a statement's relation names, if it names one (`"public"."T"`, or `"T"`). */
export function qualifiedIn(relation: Json | undefined, name: string): string {
  const schema = str(relation?.schemaname);
  return `${schema ? `${sqlIdentifier(schema)}.` : ''}${sqlIdentifier(name)}`;
}

/**
 * The text of each subcommand of an ALTER TABLE as Prisma writes it (`ALTER TABLE "t" DROP COLUMN "a",\nADD COLUMN …`),
 * or null when the statement is not written one subcommand a line, or a line does not start as its subcommand does.
 */
export function subcommandTexts(text: string, cmds: Json[]): string[] | null {
  const head = /^ALTER\s+TABLE\s+(?:ONLY\s+)?(?:"(?:[^"]|"")+"|[\w$]+)(?:\.(?:"(?:[^"]|"")+"|[\w$]+))?\s+/i.exec(text);
  if (!head) return null;
  const pieces = text.slice(head[0].length).split(/,\n/).map((p) => p.trim());
  if (pieces.length !== cmds.length) return null;
  const starts: Record<string, RegExp> = { AT_DropColumn: /^DROP\s+COLUMN\b/i, AT_AddColumn: /^ADD\s+COLUMN\b/i };
  return pieces.every((p, i) => starts[String(cmds[i]!.subtype)]?.test(p) ?? true) ? pieces : null;
}

/** The ALTER TABLEs of `statements` that change column types: the statement, its table's own name, those columns. */
export function typeChanges(statements: SqlStatement[]): { statement: SqlStatement; table: string; columns: string[] }[] {
  return statements.flatMap((s) => {
    const [kind, body] = kindOf(s.node);
    const table = str((body.relation as Json | undefined)?.relname);
    if (kind !== 'AlterTableStmt' || !table) return [];
    const columns = alterCommands(body).filter((c) => c.subtype === 'AT_AlterColumnType').map((c) => str(c.name) ?? '');
    return columns.length ? [{ statement: s, table, columns }] : [];
  });
}
