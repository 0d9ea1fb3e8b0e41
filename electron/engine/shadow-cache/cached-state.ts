import type { SqlDriverAdapter } from '@prisma/driver-adapter-utils';

/** Set on a shadow adapter that reads a cached state: its schema is final from the start (nothing will be replayed). */
const FINAL_STATE = Symbol('godwit.shadowCache.finalState');

export function markFinalState(adapter: SqlDriverAdapter): SqlDriverAdapter {
  (adapter as unknown as Record<symbol, boolean>)[FINAL_STATE] = true;
  return adapter;
}

/** True when the shadow already holds the replayed schema, so it may be read before the engine replays "into" it. */
export function holdsFinalState(adapter: SqlDriverAdapter): boolean {
  return (adapter as unknown as Record<symbol, boolean>)[FINAL_STATE] === true;
}
