import { randomUUID } from 'node:crypto';
import { GodwitError, describeError } from '../util/errors.ts';
import { ensureHistoryTable, resolveHistoryTable, sqlLiteral } from '../history/history-table.ts';
import { sessionLimits, sessionLimitsSql } from '../lock/session-limits.ts';
import { DEFAULT_LOCK_TIMEOUT_MS, withMigrationLock } from '../lock/advisory-lock.ts';
import { recordAudit } from '../audit/audit-log.ts';
import { readEnvironmentStatus } from '../status/environment-status.ts';
import { findMigration } from '../migrations/read-folder.ts';
import { requireConfirmation, type RunContext } from './run-plan.ts';

export type ResolveAs = 'applied' | 'rolled-back';

/**
 * `godwit resolve`: records the outcome of a migration Prisma (or a non-transactional script) left failed, exactly
 * as `prisma migrate resolve` does. `applied` may also mark a pending migration applied without running it
 * (a baseline).
 */
export async function resolveMigration(
  ctx: RunContext,
  name: string,
  as: ResolveAs,
  opts: { confirm?: string | undefined; lockTimeoutMs?: number | undefined },
): Promise<void> {
  requireConfirmation(ctx.env, opts.confirm, 'resolve a migration in');
  const started = performance.now();
  let error: unknown;
  try {
    await ctx.db.exec(sessionLimitsSql(sessionLimits(ctx.env.limits)));
    await withMigrationLock(ctx.db, opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, async () => {
      const table = await resolveHistoryTable(ctx.db);
      const status = await readEnvironmentStatus(ctx.db, ctx.env, ctx.folder);
      const m = status.migrations.find((x) => x.name === name);
      if (!m) throw new GodwitError('unknown-migration', `No migration named ${name} in the migrations folder or in ${ctx.env.name}'s history.`, 'See godwit status for the names.');
      if (as === 'rolled-back') {
        if (m?.state !== 'failed') {
          throw new GodwitError('not-failed', `Migration ${name} is not failed in ${ctx.env.name} (${m ? m.state : 'unknown'}); only a failed migration can be marked rolled back.`);
        }
        await ctx.db.exec(`UPDATE ${table} SET "rolled_back_at" = now() WHERE "migration_name" = ${sqlLiteral(name)} AND "finished_at" IS NULL AND "rolled_back_at" IS NULL`);
        return;
      }
      const local = findMigration(ctx.folder, name);
      if (m && m.state !== 'failed' && m.state !== 'pending' && m.state !== 'rolled-back') {
        const why: Record<string, string> = {
          applied: 'it is already applied there',
          edited: 'it is already applied there, and its migration.sql was edited since: --applied would not record the edit',
          'missing-locally': 'it is applied there, and the folder does not have it',
        };
        const hint = m.state === 'edited' ? 'Restore the file as it was applied (git), or add the change as a new migration.' : undefined;
        throw new GodwitError('already-applied', `Cannot mark ${name} applied in ${ctx.env.name}: ${why[m.state] ?? `it is ${m.state} there`}.`, hint);
      }
      await ensureHistoryTable(ctx.db, table);
      await ctx.db.exec(`BEGIN;
        UPDATE ${table} SET "rolled_back_at" = now() WHERE "migration_name" = ${sqlLiteral(name)} AND "finished_at" IS NULL AND "rolled_back_at" IS NULL;
        INSERT INTO ${table} ("id", "checksum", "migration_name", "finished_at", "applied_steps_count")
          VALUES (${sqlLiteral(randomUUID())}, ${sqlLiteral(local.checksum)}, ${sqlLiteral(name)}, now(), 0);
        COMMIT;`);
    });
  } catch (err) {
    error = err;
  }
  await recordAudit(ctx.db, {
    environment: ctx.env.name,
    action: as === 'applied' ? 'resolve-applied' : 'resolve-rolled-back',
    migrations: [name],
    result: error ? 'failed' : 'ok',
    error: error ? describeError(error) : null,
    durationMs: performance.now() - started,
  }).catch(() => undefined);
  if (error) throw error;
}
