import pg from 'pg';
import { ColumnTypeEnum, type SqlDriverAdapter, type SqlQueryable } from '@prisma/driver-adapter-utils';

/** PostgreSQL's internal one-byte "char" type (pg_class.relkind, pg_constraint.contype). */
const CHAR_OID = 18;
const TEXT_OID = 25;

type FieldsResult = { fields?: { dataTypeID: number }[]; rows?: unknown[] } | undefined;

/** The row arrays of results whose "char" fields were relabelled, with those fields' positions. */
const charColumns = new WeakMap<object, number[]>();

function relabelCharFields<T>(result: T): T {
  const r = result as FieldsResult;
  const positions: number[] = [];
  r?.fields?.forEach((field, i) => {
    if (field.dataTypeID !== CHAR_OID) return;
    field.dataTypeID = TEXT_OID;
    positions.push(i);
  });
  if (positions.length && r?.rows) charColumns.set(r.rows, positions);
  return result;
}

/**
 * Cure for adapter defect 1, part one: `@prisma/adapter-pg` has no mapping for OID 18 and fails every schema
 * description ("Column type 'char' could not be deserialized"). The value arrives as text already; we relabel the
 * field so the adapter accepts it, and remember where it was (part two, below).
 */
export class CharAsTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    const run = super.query as unknown as (...a: unknown[]) => unknown;
    if (typeof last === 'function') {
      const cb = last as (err: unknown, res: unknown) => void;
      return run.apply(this, [...args.slice(0, -1), (err: unknown, res: unknown) => cb(err, relabelCharFields(res))]) as never;
    }
    const ret = run.apply(this, args) as { then?: unknown } | undefined;
    if (ret && typeof ret.then === 'function') return (ret as Promise<unknown>).then(relabelCharFields) as never;
    return ret as never;
  }
}

/**
 * Part two: the engine's describer reads `pg_constraint.contype` with `as_char()` and panics on a CHECK constraint
 * when it arrives as Text, so the fields that were "char" are handed over as `Character`, as PGlite's adapter does.
 */
function charAsCharacter<Q extends SqlQueryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

export function withCharacterColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => charAsCharacter(await startTransaction(isolationLevel));
  return charAsCharacter(adapter);
}
