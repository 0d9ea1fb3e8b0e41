/**
 * Defensive readers for libpg_query's JSON parse tree. The tree is read as plain JSON (not through @pgsql/types'
 * exact shapes) so the PG17 and PG18 grammars — whose JSON differs in a few optional fields — both work.
 */
import type { Node } from '@pgsql/types';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `{ Kind: body }` → ['Kind', body]. */
export function kindOf(node: Node | unknown): [string, Json] {
  if (!isObject(node)) return ['', {}];
  const [kind, body] = Object.entries(node)[0] ?? ['', {}];
  return [kind, isObject(body) ? body : {}];
}

/** The body of a wrapped node of the given kind (`{ Constraint: {...} }` → {...}), or the object itself when unwrapped. */
export function unwrap(v: unknown, kind: string): Json | undefined {
  if (!isObject(v)) return undefined;
  if (isObject(v[kind])) return v[kind] as Json;
  return undefined;
}

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : isObject(v) && Array.isArray((v.List as Json | undefined)?.items) ? ((v.List as Json).items as unknown[]) : []);

/** A `String` node's text (`sval` since PG15's JSON, `str` before). */
export function stringOf(v: unknown): string | undefined {
  const s = unwrap(v, 'String');
  const text = s?.sval ?? s?.str;
  return typeof text === 'string' ? text : undefined;
}

export const strings = (v: unknown): string[] => list(v).map(stringOf).filter((s): s is string => s !== undefined);

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A relation as written: `schema.name` when qualified, else the bare name (resolved later on the search path). */
export function rangeVarName(v: unknown): string | undefined {
  const rv = unwrap(v, 'RangeVar') ?? (isObject(v) ? v : undefined);
  const name = str(rv?.relname);
  if (!name) return undefined;
  const schema = str(rv?.schemaname);
  return schema ? `${schema}.${name}` : name;
}

/** `a.b.c` name lists (DROP objects, COMMENT ON COLUMN …) → the relation part, dropping `dropLast` trailing names. */
export function qualifiedName(names: string[], dropLast = 0): string | undefined {
  const parts = names.slice(0, names.length - dropLast);
  if (parts.length === 0) return undefined;
  return parts.slice(-2).join('.');
}

/** Every node of a given kind anywhere below `v` (for RangeVars inside a query, FuncCalls in an expression…). */
export function findAll(v: unknown, kind: string, out: Json[] = []): Json[] {
  if (Array.isArray(v)) for (const item of v) findAll(item, kind, out);
  else if (isObject(v)) {
    for (const [k, child] of Object.entries(v)) {
      if (k === kind && isObject(child)) out.push(child);
      findAll(child, kind, out);
    }
  }
  return out;
}

/** A `TypeName` as the catalog knows it: pg_type's name ('_int4' for int[]), and the type modifier atttypmod holds. */
export interface TypeRef {
  name: string;
  typmod: number;
}

const ALIASES: Record<string, string> = {
  int: 'int4', integer: 'int4', smallint: 'int2', bigint: 'int8', boolean: 'bool', decimal: 'numeric', real: 'float4',
  float: 'float8', 'double precision': 'float8', character: 'bpchar', char: 'bpchar', 'character varying': 'varchar',
  serial: 'int4', serial4: 'int4', bigserial: 'int8', serial8: 'int8', smallserial: 'int2', serial2: 'int2',
};

const intConst = (v: unknown): number | undefined => {
  const c = unwrap(v, 'A_Const');
  const ival = c?.ival;
  const n = isObject(ival) ? ival.ival ?? 0 : ival; // PG15+ JSON omits 0
  return typeof n === 'number' ? n : c ? 0 : undefined;
};

/** The typmod PostgreSQL stores for a type with these modifiers (varchar(n) → n+4, numeric(p,s) → (p<<16|s)+4…). */
function typmodOf(name: string, mods: number[]): number {
  if (mods.length === 0) return name === 'bpchar' ? 5 : -1; // bare char means char(1)
  const [a, b = 0] = mods as [number, number?];
  switch (name) {
    case 'varchar':
    case 'bpchar':
      return a + 4;
    case 'numeric':
      return ((a << 16) | b) + 4;
    default:
      return a; // bit, varbit, time, timetz, timestamp, timestamptz: the length or precision itself
  }
}

export function typeRef(typeName: unknown): TypeRef | undefined {
  const t = unwrap(typeName, 'TypeName') ?? (isObject(typeName) ? typeName : undefined);
  if (!t) return undefined;
  const names = strings(t.names);
  if (names.length === 0) return undefined;
  const last = names[names.length - 1]!;
  const base = ALIASES[last] ?? last;
  const mods = list(t.typmods).map(intConst).filter((n): n is number => n !== undefined);
  // interval(p) encodes fields too; its typmod is not modelled, so interval with modifiers compares as unknown.
  const typmod = base === 'interval' && mods.length ? -2 : typmodOf(base, mods);
  return { name: list(t.arrayBounds).length ? `_${base}` : base, typmod };
}

/** Whether a column type is one of the serial pseudo-types (a sequence and a volatile nextval() default). */
export const isSerial = (typeName: unknown): boolean => {
  const t = unwrap(typeName, 'TypeName') ?? (isObject(typeName) ? typeName : undefined);
  const last = strings(t?.names).at(-1) ?? '';
  return /^(small|big)?serial[248]?$/.test(last);
};

/** Whether a column definition is NOT NULL with nothing to fill existing rows: no default, identity, generation or serial. */
export function notNullWithoutValue(def: Json): boolean {
  const kinds = list(def.constraints).map((c) => str(kindOf(c)[1].contype));
  const valued = kinds.some((k) => k === 'CONSTR_DEFAULT' || k === 'CONSTR_IDENTITY' || k === 'CONSTR_GENERATED') || isSerial(def.typeName);
  return kinds.includes('CONSTR_NOTNULL') && !valued;
}

/**
 * The relations a statement reads or writes: its RangeVars, less the references to its own WITH queries (an
 * unqualified name a CommonTableExpr defines is no table, and takes no lock).
 */
export function tableRangeVars(v: unknown): Json[] {
  const ctes = new Set(findAll(v, 'CommonTableExpr').map((c) => str(c.ctename)).filter((n): n is string => !!n));
  return findAll(v, 'RangeVar').filter((rv) => str(rv.schemaname) || !ctes.has(str(rv.relname) ?? ''));
}
