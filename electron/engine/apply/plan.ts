import { GodwitError } from '../util/errors.ts';
import { migrationIndex, type LocalMigration, type MigrationsFolder } from '../migrations/read-folder.ts';
import { prepareScript, type PreparedScript } from '../sql/prepare-script.ts';
import { APPLICABLE, IN_DATABASE } from '../status/migration-state.ts';
import type { EnvironmentStatus } from '../status/environment-status.ts';
import type { StepBackup } from '../backup/plan-backups.ts';

export type Direction = 'up' | 'down';

/** One migration a run will apply or roll back, with the exact script it will send. */
export interface PlannedStep {
  name: string;
  /** The folder's migration this step runs (its migration.sql or its down.sql). */
  migration: LocalMigration;
  file: 'migration.sql' | 'down.sql';
  sql: string;
  script: PreparedScript;
  /** What it copies before destroying (up) or restores after down.sql (down): engine/backup attachBackups. */
  backup?: StepBackup | undefined;
}

export interface Plan {
  environment: string;
  direction: Direction;
  steps: PlannedStep[];
  /** `_prisma_migrations` does not exist yet and will be created as Prisma creates it. */
  createsHistoryTable: boolean;
  /** What the environment's head will be afterwards. */
  headAfter: string | null;
  /** The history table, schema-qualified, when the plan was made on a session (unqualified otherwise). */
  historyTable?: string | undefined;
}

export interface RollbackTarget {
  steps?: number | undefined;
  to?: string | undefined;
  base?: boolean | undefined;
}

/** Refuses to move an environment whose history has failed or edited migrations, saying how to fix it. */
export function assertHistoryClean(status: EnvironmentStatus, action: string): void {
  const failed = status.migrations.find((m) => m.state === 'failed');
  if (failed) {
    throw new GodwitError(
      'history-failed',
      `Cannot ${action} ${status.environment}: migration ${failed.name} failed there and blocks every migration.`,
      `Repair the database by hand, then mark it with \`godwit resolve --applied ${failed.name}\` (finished) or \`--rolled-back ${failed.name}\` (undone).`,
    );
  }
  const edited = status.migrations.find((m) => m.state === 'edited');
  if (edited) {
    throw new GodwitError(
      'history-edited',
      `Cannot ${action} ${status.environment}: ${edited.name}/migration.sql was edited after it was applied there (checksum differs).`,
      'Restore the file from version control, or put the change in a new migration.',
    );
  }
}

function localByName(folder: MigrationsFolder): Map<string, LocalMigration> {
  return new Map(folder.migrations.map((m) => [m.name, m]));
}

/** Pending migrations oldest first, up to and including `to` when given. */
export function planUpgrade(status: EnvironmentStatus, folder: MigrationsFolder, to?: string): Plan {
  if (to !== undefined) migrationIndex(folder, to);
  const local = localByName(folder);
  const steps = status.migrations
    .filter((m) => APPLICABLE.has(m.state) && (to === undefined || m.name <= to))
    .map((m): PlannedStep => {
      const migration = local.get(m.name)!;
      return { name: m.name, migration, file: 'migration.sql', sql: migration.upSql, script: prepareScript(migration.upSql) };
    });
  // A set, not steps.some(): at a thousand pending migrations the scan was a million comparisons (~150 ms).
  const planned = new Set(steps.map((s) => s.name));
  const applied = status.migrations.filter((m) => IN_DATABASE.has(m.state) || planned.has(m.name));
  return {
    environment: status.environment,
    direction: 'up',
    steps,
    createsHistoryTable: !status.hasHistoryTable,
    headAfter: applied[applied.length - 1]?.name ?? null,
  };
}

/** Applied migrations newest first: the last `steps` (default 1), everything after `to`, or everything (`base`). */
export function planRollback(status: EnvironmentStatus, folder: MigrationsFolder, target: RollbackTarget): Plan {
  const applied = status.migrations.filter((m) => IN_DATABASE.has(m.state));
  let keep: number;
  if (target.base) keep = 0;
  else if (target.to !== undefined) {
    keep = applied.findIndex((m) => m.name === target.to) + 1;
    if (keep === 0) {
      throw new GodwitError('unknown-migration', `Migration "${target.to}" is not applied in ${status.environment}, so it cannot be the target.`);
    }
  } else {
    const steps = target.steps ?? 1;
    if (!Number.isInteger(steps) || steps < 1) throw new GodwitError('bad-steps', `--steps must be a positive whole number, not ${steps}.`);
    if (steps > applied.length) {
      throw new GodwitError(
        'bad-steps',
        `Cannot roll back ${steps} migration(s) in ${status.environment}: only ${applied.length} ${applied.length === 1 ? 'is' : 'are'} applied.`,
        applied.length ? `Use --steps ${applied.length} or --base to roll back all of them.` : undefined,
      );
    }
    keep = applied.length - steps;
  }
  const local = localByName(folder);
  const steps = applied
    .slice(keep)
    .reverse()
    .map((m): PlannedStep => {
      const migration = local.get(m.name);
      if (!migration) {
        throw new GodwitError('missing-locally', `Cannot roll back ${m.name}: it is applied in ${status.environment} but not in the migrations folder.`);
      }
      if (migration.downSql === null) {
        throw new GodwitError(
          'missing-down-sql',
          `Cannot roll back ${m.name}: it has no down.sql.`,
          `Generate one for review with \`godwit down-sql ${m.name}\`, then save it with --write.`,
        );
      }
      return { name: m.name, migration, file: 'down.sql', sql: migration.downSql, script: prepareScript(migration.downSql) };
    });
  return {
    environment: status.environment,
    direction: 'down',
    steps,
    createsHistoryTable: false,
    headAfter: applied[keep - 1]?.name ?? null,
  };
}
