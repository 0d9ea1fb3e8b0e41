import type { TypeRef } from './parse-tree.ts';

/** pg_cast entries with castmethod 'b' between built-in types (the ones a migration may change a column between). */
const BINARY_COERCIBLE = new Set([
  'varchar>text', 'text>varchar', 'text>bpchar', 'varchar>bpchar', 'cidr>inet', 'bit>varbit', 'varbit>bit',
  'xml>text', 'xml>varchar', 'xml>bpchar', 'int4>oid', 'oid>int4',
]);

/**
 * Types whose length/precision coercion has a planner support function (varchar_support, numeric_support…): a
 * widening typmod simplifies to nothing and the table is not rewritten. bpchar and bit have none.
 */
function typmodChangeIsFree(type: string, oldMod: number, newMod: number): boolean {
  if (oldMod === newMod) return true;
  switch (type) {
    case 'varchar':
    case 'varbit':
      return newMod < 0 || (oldMod >= 0 && newMod >= oldMod);
    case 'numeric':
      // Same scale, precision not reduced; or no limit at all.
      return newMod < 0 || (oldMod >= 0 && ((newMod - 4) & 0xffff) === ((oldMod - 4) & 0xffff) && newMod - 4 >= oldMod - 4);
    case 'timestamp':
    case 'timestamptz':
    case 'time':
    case 'timetz':
      // Precision 6 is the maximum, so -1 and 6 mean the same.
      return newMod < 0 || newMod >= 6 || (oldMod >= 0 && newMod >= oldMod);
    default:
      return false;
  }
}

export interface TypeChangeVerdict {
  rewrite: boolean;
  /** Why the verdict is uncertain, when it is. */
  note?: string | undefined;
}

/**
 * Whether `ALTER COLUMN TYPE` rewrites the table, as ATColumnChangeRequiresRewrite decides: not when the old value
 * converts to the new without a function (binary-coercible cast, or a widening length/precision); yes otherwise.
 * `usingIsPlainColumn` is false when a USING expression computes something other than the column itself.
 */
export function typeChangeRewrites(from: TypeRef | undefined, to: TypeRef | undefined, usingIsPlainColumn: boolean): TypeChangeVerdict {
  if (!usingIsPlainColumn) return { rewrite: true, note: 'the USING expression computes a new value for every row' };
  if (!from || !to) return { rewrite: true, note: 'the column’s current type is unknown here; a rewrite is assumed' };
  if (from.typmod === -2 || to.typmod === -2) return { rewrite: true, note: 'interval modifiers are not modelled; a rewrite is assumed' };
  if ((from.name === 'timestamp' && to.name === 'timestamptz') || (from.name === 'timestamptz' && to.name === 'timestamp')) {
    return { rewrite: true, note: 'PostgreSQL 12+ skips this rewrite when the session TimeZone is UTC' };
  }
  if (from.name === to.name) return { rewrite: !typmodChangeIsFree(to.name, from.typmod, to.typmod) };
  if (!BINARY_COERCIBLE.has(`${from.name}>${to.name}`)) return { rewrite: true };
  // The cast is free; what remains is the new type's own length coercion, from "no limit".
  return { rewrite: !typmodChangeIsFree(to.name, -1, to.typmod) };
}
