import { findAll, strings, type Json } from './parse-tree.ts';

/** Volatile functions a column default commonly calls (pg_proc.provolatile = 'v'), in core and common extensions. */
const VOLATILE = new Set([
  'random', 'random_normal', 'gen_random_uuid', 'uuidv4', 'uuidv7', 'uuid_generate_v1', 'uuid_generate_v1mc', 'uuid_generate_v4',
  'clock_timestamp', 'timeofday', 'nextval', 'setval', 'currval', 'gen_random_bytes', 'gen_salt', 'crypt', 'txid_current_if_assigned',
]);

/** Stable or immutable functions a default commonly calls: evaluated once, so ADD COLUMN stores one "missing" value. */
const NOT_VOLATILE = new Set([
  'now', 'transaction_timestamp', 'statement_timestamp', 'current_setting', 'txid_current', 'pg_current_xact_id', 'lower',
  'upper', 'concat', 'concat_ws', 'btrim', 'trim', 'replace', 'substring', 'length', 'coalesce', 'nullif', 'greatest', 'least',
  'date_trunc', 'make_interval', 'make_date', 'make_timestamp', 'make_timestamptz', 'to_timestamp', 'to_date', 'to_char',
  'jsonb_build_object', 'json_build_object', 'jsonb_build_array', 'json_build_array', 'array_fill', 'md5', 'timezone',
  'to_jsonb', 'to_json', 'abs', 'round', 'floor', 'ceil', 'ceiling', 'power', 'pow', 'sqrt', 'left', 'right', 'format',
]);

export interface VolatilityVerdict {
  volatile: boolean;
  /** Functions whose volatility was not known and was assumed volatile. */
  unknown: string[];
}

/**
 * Whether an expression (a column default) is volatile: then ADD COLUMN must compute it per row and rewrites the
 * table. `known` is pg_proc.provolatile by name, as read from the environment; it wins over the built-in lists.
 */
export function expressionVolatility(expr: unknown, known: ReadonlyMap<string, string> = new Map()): VolatilityVerdict {
  const unknown: string[] = [];
  let volatile = false;
  for (const call of findAll(expr, 'FuncCall')) {
    const name = strings(call.funcname).at(-1)?.toLowerCase() ?? '';
    const fromEnv = known.get(name);
    if (fromEnv !== undefined) volatile ||= fromEnv === 'v';
    else if (VOLATILE.has(name)) volatile = true;
    else if (!NOT_VOLATILE.has(name)) {
      unknown.push(name);
      volatile = true;
    }
  }
  // Subqueries are not allowed in defaults; NextValueExpr only appears in rewritten trees, but be safe.
  if (findAll(expr, 'NextValueExpr').length) volatile = true;
  return { volatile, unknown };
}

/** Function names an expression calls (asked of the environment's pg_proc with the statistics). */
export const functionNames = (expr: unknown): string[] => findAll(expr, 'FuncCall').map((c: Json) => strings(c.funcname).at(-1)?.toLowerCase() ?? '').filter(Boolean);

