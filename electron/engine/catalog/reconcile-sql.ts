import { sqlLiteral } from './read-catalog.ts';
import type { CatalogObject, CatalogSnapshot } from './types.ts';

/** One statement Godwit writes to turn one snapshot into another, with what it is for. */
export interface ReconcileStep {
  kind: CatalogObject['kind'];
  name: string;
  action: 'create' | 'drop' | 'alter' | 'note';
  sql: string;
}

interface Ordered extends ReconcileStep {
  phase: number;
  ord: number;
}

/** Drops run first, dependants before what they depend on; then creates, containers first. */
const DROP_PHASE: Record<CatalogObject['kind'], number> = {
  comment: 0, grant: 0, publication: 0.5, policy: 1, 'row security': 2, trigger: 3, rule: 3, 'event trigger': 3,
  'materialized view': 4, view: 4, index: 5, constraint: 7, column: 8, table: 9, 'foreign table': 9, function: 10, procedure: 10,
  sequence: 11, domain: 12, 'composite type': 12, enum: 12, 'range type': 12, 'foreign server': 12.5, 'foreign data wrapper': 12.6,
  extension: 13, schema: 14,
};
const CREATE_PHASE: Record<CatalogObject['kind'], number> = {
  schema: 0, extension: 1, 'foreign data wrapper': 1.5, 'foreign server': 1.6, enum: 2, domain: 2, 'composite type': 2, 'range type': 2,
  sequence: 3, function: 4, procedure: 4, table: 5, 'foreign table': 5.5, column: 6, constraint: 7, index: 9, view: 10,
  'materialized view': 10, trigger: 11, rule: 11, 'event trigger': 11.5, 'row security': 12, policy: 13, publication: 13.5, comment: 14, grant: 15,
};

const noSemicolon = (sql: string) => sql.replace(/;\s*$/, '');
const colName = (o: CatalogObject) => String(o.detail.column ?? o.name.slice((o.table ?? '').length + 1));
const lastPart = (o: CatalogObject) => o.name.slice((o.table ?? '').length + 1);

export function createSql(o: CatalogObject, to: CatalogSnapshot): string[] {
  const d = o.detail;
  switch (o.kind) {
    case 'schema': return [`CREATE SCHEMA ${o.name};`];
    case 'extension': return [`CREATE EXTENSION IF NOT EXISTS ${o.name} WITH SCHEMA ${String(d.schema)};`];
    case 'enum': return [`CREATE TYPE ${o.name} AS ${o.definition};`];
    case 'domain': return [`CREATE DOMAIN ${o.name} ${o.definition};`];
    case 'composite type':
    case 'range type': return [`CREATE TYPE ${o.name} ${o.definition};`];
    case 'foreign data wrapper': return [`CREATE FOREIGN DATA WRAPPER ${o.name} ${o.definition};`];
    case 'foreign server': return [`CREATE SERVER ${o.name} ${o.definition};`];
    case 'foreign table': return [`CREATE FOREIGN TABLE ${o.name} ${o.definition};`];
    case 'rule': return [`${noSemicolon(o.definition)};`];
    case 'event trigger': {
      const out = [`CREATE EVENT TRIGGER ${o.name} ${String(d.create)};`];
      const mode = { D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[String(d.enabled)];
      if (mode) out.push(`ALTER EVENT TRIGGER ${o.name} ${mode};`);
      return out;
    }
    case 'publication': return [`CREATE PUBLICATION ${o.name} ${o.definition};`];
    case 'sequence': return [`CREATE SEQUENCE ${o.name} ${String(d.options)};`];
    case 'table': {
      if (d.parent) return [`CREATE TABLE ${o.name} PARTITION OF ${String(d.parent)} ${String(d.bound)};`];
      const cols = [...to.objects.values()].filter((c) => c.kind === 'column' && c.table === o.name).sort((p, q) => p.ord - q.ord);
      const body = cols.map((c) => `  ${colName(c)} ${String(c.detail.full)}`).join(',\n');
      return [`CREATE ${d.unlogged ? 'UNLOGGED ' : ''}TABLE ${o.name} (${body ? `\n${body}\n` : ''})${d.partkey ? ` PARTITION BY ${String(d.partkey)}` : ''};`];
    }
    case 'column': return [`ALTER TABLE ${o.table} ADD COLUMN ${colName(o)} ${String(d.full)};`];
    case 'constraint': return [`ALTER TABLE ${o.table} ADD CONSTRAINT ${lastPart(o)} ${o.definition};`];
    case 'index': return [`${o.definition};`];
    case 'view': return [`CREATE VIEW ${o.name}${d.options ? ` WITH (${String(d.options)})` : ''} AS\n${noSemicolon(String(d.sql ?? o.definition))};`];
    case 'materialized view': return [`CREATE MATERIALIZED VIEW ${o.name}${d.options ? ` WITH (${String(d.options)})` : ''} AS\n${noSemicolon(String(d.sql ?? o.definition))};`];
    case 'function':
    case 'procedure': return [`${noSemicolon(o.definition)};`];
    case 'trigger': {
      const out = [`${String(d.create)};`];
      const mode = { D: 'DISABLE', R: 'ENABLE REPLICA', A: 'ENABLE ALWAYS' }[String(d.enabled)];
      if (mode) out.push(`ALTER TABLE ${o.table} ${mode} TRIGGER ${String(d.trigger)};`);
      return out;
    }
    case 'policy': return [`CREATE POLICY ${String(d.policy)} ON ${o.table} ${o.definition};`];
    case 'row security': return [`ALTER TABLE ${o.name} ENABLE ROW LEVEL SECURITY;`, ...(d.forced ? [`ALTER TABLE ${o.name} FORCE ROW LEVEL SECURITY;`] : [])];
    case 'comment': return [`COMMENT ${o.name} IS ${sqlLiteral(o.definition)};`];
    case 'grant': return [`-- privileges ${o.name} should be: ${o.definition} (Godwit does not write GRANT/REVOKE)`];
  }
}

export function dropSql(o: CatalogObject): string[] {
  switch (o.kind) {
    case 'schema': return [`DROP SCHEMA ${o.name};`];
    case 'extension': return [`DROP EXTENSION ${o.name};`];
    case 'enum':
    case 'composite type':
    case 'range type': return [`DROP TYPE IF EXISTS ${o.name};`];
    case 'foreign data wrapper': return [`DROP FOREIGN DATA WRAPPER ${o.name};`];
    case 'foreign server': return [`DROP SERVER ${o.name};`];
    case 'foreign table': return [`DROP FOREIGN TABLE ${o.name};`];
    case 'rule': return [`DROP RULE ${lastPart(o)} ON ${o.table};`];
    case 'event trigger': return [`DROP EVENT TRIGGER ${o.name};`];
    case 'publication': return [`DROP PUBLICATION ${o.name};`];
    case 'domain': return [`DROP DOMAIN IF EXISTS ${o.name};`];
    case 'sequence': return [`DROP SEQUENCE IF EXISTS ${o.name};`];
    case 'table': return [`DROP TABLE ${o.name};`];
    case 'column': return [`ALTER TABLE ${o.table} DROP COLUMN ${colName(o)};`];
    case 'constraint': return [`ALTER TABLE ${o.table} DROP CONSTRAINT ${lastPart(o)};`];
    case 'index': return [`DROP INDEX IF EXISTS ${o.name};`];
    case 'view': return [`DROP VIEW ${o.name};`];
    case 'materialized view': return [`DROP MATERIALIZED VIEW ${o.name};`];
    case 'function': return [`DROP FUNCTION ${o.name};`];
    case 'procedure': return [`DROP PROCEDURE ${o.name};`];
    case 'trigger': return [`DROP TRIGGER ${lastPart(o)} ON ${o.table};`];
    case 'policy': return [`DROP POLICY ${lastPart(o)} ON ${o.table};`];
    case 'row security': return [`ALTER TABLE ${o.name} NO FORCE ROW LEVEL SECURITY;`, `ALTER TABLE ${o.name} DISABLE ROW LEVEL SECURITY;`];
    case 'comment': return [`COMMENT ${o.name} IS NULL;`];
    case 'grant': return [`-- privileges ${o.name} should be: none granted explicitly (Godwit does not write GRANT/REVOKE)`];
  }
}

/** An in-place change from `a` to `b`, or null when the object must be dropped and created again. */
function alterSql(a: CatalogObject, b: CatalogObject): string[] | null {
  const [x, y] = [a.detail, b.detail];
  switch (b.kind) {
    case 'column': {
      if (x.identity !== y.identity || x.generated !== y.generated || x.collation !== y.collation) return null;
      const t = `ALTER TABLE ${b.table} ALTER COLUMN ${colName(b)}`;
      const out: string[] = [];
      if (x.type !== y.type) out.push(`${t} TYPE ${String(y.type)} USING ${colName(b)}::${String(y.type)};`);
      if (x.default !== y.default) out.push(y.default === null ? `${t} DROP DEFAULT;` : `${t} SET DEFAULT ${String(y.default)};`);
      if (x.notnull !== y.notnull) out.push(`${t} ${y.notnull ? 'SET' : 'DROP'} NOT NULL;`);
      return out;
    }
    case 'sequence':
      return [`ALTER SEQUENCE ${b.name} ${String(y.options)} OWNED BY ${y.ownedBy === null ? 'NONE' : String(y.ownedBy)};`];
    case 'enum': {
      const [had, wants] = [JSON.parse(String(x.labels)) as string[], JSON.parse(String(y.labels)) as string[]];
      if (had.some((l, i) => wants.filter((w) => had.includes(w))[i] !== l)) {
        return [`-- enum ${b.name} loses or reorders values (${a.definition} → ${b.definition}): PostgreSQL cannot drop an enum value; recreate the type by hand.`];
      }
      return wants.flatMap((label, i) => had.includes(label) ? [] : [
        `ALTER TYPE ${b.name} ADD VALUE ${sqlLiteral(label)} ${i === 0 ? `BEFORE ${sqlLiteral(wants[1]!)}` : `AFTER ${sqlLiteral(wants[i - 1]!)}`};`,
      ]);
    }
    case 'function':
    case 'procedure':
      return a.kind === b.kind ? createSql(b, { objects: new Map() }) : null;
    case 'row security':
      return [`ALTER TABLE ${b.name} ${y.forced ? 'FORCE' : 'NO FORCE'} ROW LEVEL SECURITY;`];
    case 'comment':
    case 'grant':
      return createSql(b, { objects: new Map() });
    case 'table':
      if (x.kind === y.kind && x.partkey === y.partkey && x.parent === y.parent && x.bound === y.bound) return [`ALTER TABLE ${b.name} SET ${y.unlogged ? 'UNLOGGED' : 'LOGGED'};`];
      return [`-- table ${b.name} is ${a.definition} but should be ${b.definition}: Godwit does not rebuild tables; change it by hand.`];
    default:
      return null;
  }
}

/** True when a comment's target (`TABLE t`, `COLUMN t.c`, `TRIGGER x ON t` …) is table `t` or part of it. */
export function commentIsOn(target: string, table: string): boolean {
  return target === `TABLE ${table}` || target.startsWith(`COLUMN ${table}.`) || target.endsWith(` ON ${table}`);
}

/**
 * The statements that turn snapshot `from` into snapshot `to`, for the objects `include` accepts. Children of a table
 * that is dropped or created go with it; an object that cannot change in place is dropped and created again.
 */
export function reconcileSteps(from: CatalogSnapshot, to: CatalogSnapshot, include: (o: CatalogObject) => boolean = () => true): ReconcileStep[] {
  const steps: Ordered[] = [];
  const tablesOnlyIn = (x: CatalogSnapshot, y: CatalogSnapshot) =>
    new Set([...x.objects.values()].filter((o) => o.kind === 'table' && !y.objects.has(`table:${o.name}`)).map((o) => o.name));
  // Whoever writes a table's DROP (Prisma or Godwit), its columns, constraints, owned sequences and comments go with it.
  const droppedTables = tablesOnlyIn(from, to);
  const createdTables = tablesOnlyIn(to, from);
  // A sequence OWNED BY a column is dropped with that column (DROP SEQUENCE first would fail on its DEFAULT).
  const droppedColumns = new Set([...from.objects.values()].filter((o) => o.kind === 'column' && !to.objects.has(`column:${o.name}`)).map((o) => o.name));
  const goesWithDroppedTable = (o: CatalogObject) =>
    (o.table !== undefined && o.kind !== 'row security' && droppedTables.has(o.table)) ||
    (o.kind === 'sequence' && droppedColumns.has(String(o.detail.ownedBy))) ||
    (o.kind === 'comment' && [...droppedTables].some((t) => commentIsOn(String(o.detail.target), t)));
  const drops: CatalogObject[] = [];
  const creates: CatalogObject[] = [];
  for (const key of new Set([...from.objects.keys(), ...to.objects.keys()])) {
    const a = from.objects.get(key);
    const b = to.objects.get(key);
    if (a && b && a.definition === b.definition) continue;
    // An inherited column or constraint follows its parent's; writing SQL for it would fail or double it.
    if (!include((b ?? a)!) || (b ?? a)!.detail.inherited === true) continue;
    if (a && b) {
      const alter = alterSql(a, b);
      if (alter) {
        for (const sql of alter) steps.push({ kind: b.kind, name: b.name, action: sql.startsWith('--') ? 'note' : 'alter', sql, phase: CREATE_PHASE[b.kind], ord: b.ord });
        continue;
      }
    }
    if (a && !goesWithDroppedTable(a)) drops.push(a);
    if (b) creates.push(b);
  }
  for (const a of drops) {
    for (const sql of dropSql(a)) steps.push({ kind: a.kind, name: a.name, action: sql.startsWith('--') ? 'note' : 'drop', sql, phase: DROP_PHASE[a.kind] - 100, ord: -a.ord });
  }
  for (const b of creates) {
    if (b.kind === 'column' && createdTables.has(b.table!) && include(to.objects.get(`table:${b.table!}`)!)) continue;
    const foreignKey = b.kind === 'constraint' && b.detail.type === 'f';
    for (const sql of createSql(b, to)) steps.push({ kind: b.kind, name: b.name, action: sql.startsWith('--') ? 'note' : 'create', sql, phase: CREATE_PHASE[b.kind] + (foreignKey ? 1 : 0), ord: b.ord });
    if (b.kind === 'sequence' && b.detail.ownedBy) steps.push({ kind: b.kind, name: b.name, action: 'alter', sql: `ALTER SEQUENCE ${b.name} OWNED BY ${String(b.detail.ownedBy)};`, phase: 8, ord: b.ord });
  }
  steps.sort((p, q) => p.phase - q.phase || p.ord - q.ord);
  return steps.map(({ kind, name, action, sql }) => ({ kind, name, action, sql }));
}

/** Both sides of a difference, shown above its statements: `-- live: …` / `-- expected: …`. */
export interface StepContext {
  labels: [string, string];
  sides: Map<string, { a: string | null; b: string | null }>;
  /** Objects whose sides were shown already: a changed object is dropped in one section and created in another. */
  shown?: Set<string>;
}

function sideLines(ctx: StepContext | undefined, s: ReconcileStep): string[] {
  const key = `${s.kind}:${s.name}`;
  const sides = ctx?.sides.get(key);
  if (!ctx || !sides) return [];
  ctx.shown ??= new Set();
  if (ctx.shown.has(key)) return [];
  ctx.shown.add(key);
  const width = Math.max(ctx.labels[0].length, ctx.labels[1].length) + 1;
  // A long definition (a function body) is shown at its first line that differs from the other side's.
  const [la, lb] = [sides.a?.split('\n') ?? [], sides.b?.split('\n') ?? []];
  let at = 0;
  while (at < la.length && at < lb.length && la[at] === lb[at]) at++;
  const show = (label: string, v: string | null, lines: string[]) => {
    let text = v ?? '(absent)';
    const oneSided = sides.a === null || sides.b === null;
    if (v !== null && lines.length > 1) {
      if (oneSided) text = v.replace(/\s+/g, ' ');
      else text = at < lines.length ? `line ${at + 1} of ${lines.length}: ${lines[at]!.trim()}` : `${lines.length} lines`;
    }
    if (text.length > 160) text = `${text.slice(0, 157)}...`;
    return `--   ${`${label}:`.padEnd(width)} ${text}`;
  };
  return [show(ctx.labels[0], sides.a, la), show(ctx.labels[1], sides.b, lb)];
}

/** The steps as a script, each marked as Godwit's (with both sides when given), so a reviewer tells them from Prisma's. */
export function renderSteps(steps: ReconcileStep[], heading: string, ctx?: StepContext): string {
  if (!steps.length) return '';
  const lines = [`-- ${heading}`];
  if (steps.some((s) => s.action !== 'drop' && (s.kind === 'function' || s.kind === 'procedure'))) {
    // Bodies may name tables created further down, as in pg_dump's output.
    lines.push('SET check_function_bodies = false;');
  }
  let last = '';
  for (const s of steps) {
    const note = `-- godwit: ${s.action} ${s.kind} ${s.name}`;
    if (note !== last) lines.push(note, ...sideLines(ctx, s));
    lines.push(s.sql);
    last = note;
  }
  return lines.join('\n') + '\n';
}
