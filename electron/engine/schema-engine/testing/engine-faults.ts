import { vi } from 'vitest';
import { ColumnTypeEnum, type SqlDriverAdapter } from '@prisma/driver-adapter-utils';
import { PgSchemaEngineAdapterFactory } from '../pg-adapter-factory.ts';
import { PgliteSchemaEngineAdapterFactory } from '../pglite-adapter-factory.ts';

/**
 * A fault at the adapter boundary: `pg_constraint.contype` handed over as Text (what @prisma/adapter-pg did), on
 * which the real engine panics as soon as it describes a schema with a CHECK constraint.
 */
function contypeAsText(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    result.columnNames.forEach((name, i) => {
      if (name === 'constraint_type') result.columnTypes[i] = ColumnTypeEnum.Text;
    });
    return result;
  };
  return adapter;
}

/**
 * Makes every shadow database the engine opens (PostgreSQL and PGlite) return that malformed result; returns undo.
 * The shadow cache is switched off meanwhile: a cached shadow is read without the engine describing a fresh one.
 */
export function panicOnShadowDescribe(): () => void {
  const saved = process.env.GODWIT_SHADOW_CACHE;
  process.env.GODWIT_SHADOW_CACHE = 'off';
  const restoreCache = () => {
    if (saved === undefined) delete process.env.GODWIT_SHADOW_CACHE;
    else process.env.GODWIT_SHADOW_CACHE = saved;
  };
  const spies = [PgSchemaEngineAdapterFactory.prototype, PgliteSchemaEngineAdapterFactory.prototype].map((proto) => {
    const original = proto.connectToShadowDb;
    return vi.spyOn(proto, 'connectToShadowDb').mockImplementation(async function (this: typeof proto) {
      return contypeAsText(await original.call(this));
    });
  });
  return () => {
    spies.forEach((s) => s.mockRestore());
    restoreCache();
  };
}
