import type { Db } from '../db/db.ts';
import type { BackupListDto } from '../../shared/dto.ts';
import type { Environment } from '../project/environments.ts';
import { resolveHistoryTable } from '../history/history-table.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, withMigrationLock } from '../lock/advisory-lock.ts';
import { requireConfirmation } from '../apply/run-plan.ts';
import { GodwitError } from '../util/errors.ts';
import { dropBackups, listBackups } from './catalog.ts';

/** 'backups/list': the environment's backups, newest first. */
export async function backupsListOp(db: Db, env: Environment): Promise<BackupListDto> {
  return { environment: env.name, backups: await listBackups(db, await resolveHistoryTable(db)) };
}

/** 'backups/drop': by id or all, under the migration lock (never while a rollback restores from them). */
export async function backupsDropOp(db: Db, env: Environment, req: { ids?: string[] | undefined; all?: boolean | undefined; confirm?: string | undefined }): Promise<{ environment: string; dropped: string[] }> {
  if (!!req.all === Boolean(req.ids?.length)) throw new GodwitError('bad-options', 'Give backup ids or all (not both).');
  requireConfirmation(env, req.confirm, 'drop backups in');
  const dropped = await withMigrationLock(db, DEFAULT_LOCK_TIMEOUT_MS, () => dropBackups(db, req.all ? { all: true } : { ids: req.ids! }));
  return { environment: env.name, dropped };
}
