import { LOCK_MODES, type LockMode } from '../analysis/lock-modes.ts';

/**
 * PostgreSQL's table-level lock conflict table (documentation, "Conflicting Lock Modes"; lock.c's LockConflicts):
 * for each mode, the modes it cannot be held together with by another session.
 */
const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  AccessShareLock: ['AccessExclusiveLock'],
  RowShareLock: ['ExclusiveLock', 'AccessExclusiveLock'],
  RowExclusiveLock: ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareUpdateExclusiveLock: ['ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareLock: ['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ShareRowExclusiveLock: ['RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  ExclusiveLock: ['RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'],
  AccessExclusiveLock: LOCK_MODES,
};

export const isLockMode = (mode: string): mode is LockMode => (LOCK_MODES as readonly string[]).includes(mode);

/** Whether two sessions can hold (or one hold and the other wait for) `a` and `b` on the same relation at once. */
export function locksConflict(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].includes(b);
}
