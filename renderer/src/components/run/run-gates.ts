import type { EnvironmentStatusDto, MigrationStateDto, MigrationStatusDto } from '../../../../electron/shared/dto.ts';

/** Whether an action can work now, and if not, why — shown on the disabled control instead of a dialog that refuses. */
export type Gate = { ok: true } | { ok: false; reason: string };

const OK: Gate = { ok: true };
const no = (reason: string): Gate => ({ ok: false, reason });

/** As the engine counts them: in the database, and what `up` would apply. */
const IN_DATABASE = new Set<MigrationStateDto>(['applied', 'edited', 'missing-locally']);
const APPLICABLE = new Set<MigrationStateDto>(['pending', 'rolled-back']);

/** Rolling back more than this many migrations (or to base) asks for the environment's name, protected or not. */
export const LARGE_ROLLBACK = 10;

/** What blocks every run on the environment: still loading, unreachable, a failed or edited migration. */
export function environmentGate(env: string, s: EnvironmentStatusDto | undefined, configError?: string): Gate {
  if (configError) return no(`${env} cannot be reached: ${configError}`);
  if (!s) return no(`${env}'s status is still loading.`);
  if (s.error) return no(`${env} cannot be reached: ${s.error}`);
  const failed = s.migrations.find((m) => m.state === 'failed');
  if (failed) return no(`${failed.name} failed in ${env}: settle it first (mark it rolled back or applied in its detail).`);
  const edited = s.migrations.find((m) => m.state === 'edited');
  if (edited) return no(`${edited.name} was edited after it was applied to ${env}: restore the file, or put the change in a new migration.`);
  return OK;
}

/** `up` to head, or to `to` inclusive. */
export function upgradeGate(env: string, s: EnvironmentStatusDto | undefined, to?: string, configError?: string): Gate {
  const base = environmentGate(env, s, configError);
  if (!base.ok || !s) return base;
  if (to !== undefined) {
    const target = s.migrations.find((m) => m.name === to);
    if (!target || !target.local) return no(`${to} is not in the migrations folder.`);
    if (IN_DATABASE.has(target.state)) return no(`${to} is already applied in ${env}.`);
  }
  if (!s.migrations.some((m) => APPLICABLE.has(m.state) && (to === undefined || m.name <= to))) return no(`${env} is already at head: nothing is pending.`);
  return OK;
}

/** The migrations a rollback would undo, newest first, as the engine plans it. */
export function rollbackSteps(s: EnvironmentStatusDto, target: { steps?: number | undefined; to?: string | undefined; base?: boolean | undefined }): string[] | Gate {
  const undone = rollbackPlan(s, target);
  return Array.isArray(undone) ? undone.map((m) => m.name) : undone;
}

function rollbackPlan(s: EnvironmentStatusDto, target: { steps?: number | undefined; to?: string | undefined; base?: boolean | undefined }): MigrationStatusDto[] | Gate {
  const applied = s.migrations.filter((m) => IN_DATABASE.has(m.state));
  let keep: number;
  if (target.base) keep = 0;
  else if (target.to !== undefined) {
    keep = applied.findIndex((m) => m.name === target.to) + 1;
    if (keep === 0) return no(`${target.to} is not applied in ${s.environment}, so it cannot be the target of a rollback.`);
  } else keep = Math.max(0, applied.length - (target.steps ?? 1));
  return applied.slice(keep).reverse();
}

export function rollbackGate(env: string, s: EnvironmentStatusDto | undefined, target: { steps?: number; to?: string; base?: boolean }, configError?: string): Gate {
  const base = environmentGate(env, s, configError);
  if (!base.ok || !s) return base;
  const undone = rollbackPlan(s, target);
  if (!Array.isArray(undone)) return undone;
  if (!undone.length) return no(target.to ? `${env} is at ${target.to} already.` : `${env} is at base: nothing is applied.`);
  // The plan's own migrations (a status lists a name once), not a look-up per step: no map of every migration on
  // each render of the toolbar.
  for (const m of undone) {
    if (m.state === 'missing-locally') return no(`${m.name} is applied in ${env} but not in the migrations folder: its down.sql is unknown.`);
    if (!m.hasDownSql) return no(`${m.name} has no down.sql: generate one in its detail first.`);
  }
  return OK;
}

/** Reading the environment (preview, drift, tables): it must be resolvable, loaded and reachable. */
export function readGate(env: string, s: EnvironmentStatusDto | undefined, configError?: string): Gate {
  if (configError) return no(`${env} cannot be reached: ${configError}`);
  if (!s) return no(`${env}'s status is still loading.`);
  if (s.error) return no(`${env} cannot be reached: ${s.error}`);
  return OK;
}
