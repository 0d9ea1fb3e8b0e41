/** PostgreSQL's table-level lock modes, named as `pg_locks.mode` names them, weakest first. */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

export const lockStrength = (mode: LockMode): number => LOCK_MODES.indexOf(mode);

export const strongerLock = (a: LockMode, b: LockMode): LockMode => (lockStrength(a) >= lockStrength(b) ? a : b);

/** Blocks plain SELECTs (they take AccessShare): only AccessExclusive. */
export const blocksReads = (mode: LockMode): boolean => mode === 'AccessExclusiveLock';

/** Blocks INSERT/UPDATE/DELETE (they take RowExclusive): Share and stronger. */
export const blocksWrites = (mode: LockMode): boolean => lockStrength(mode) >= lockStrength('ShareLock');

/** What the application feels while the lock is held, in words. */
export function lockEffect(mode: LockMode): string {
  if (blocksReads(mode)) return 'blocks reads and writes';
  if (blocksWrites(mode)) return 'blocks writes';
  if (mode === 'ShareUpdateExclusiveLock') return 'blocks other DDL, VACUUM and ANALYZE; reads and writes go on';
  return 'blocks only DDL that locks the whole table';
}

/** `LOCK TABLE … IN <mode> MODE` as the parse tree numbers it (lockdefs.h: 1 = AccessShare … 8 = AccessExclusive). */
export const lockModeFromNumber = (n: number): LockMode | undefined => LOCK_MODES[n - 1];
