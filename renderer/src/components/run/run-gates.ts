import type { EnvironmentStatusDto, MigrationStateDto } from '../../../../electron/shared/dto.ts';

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
  const pending = s.migrations.filter((m) => APPLICABLE.has(m.state) && (to === undefined || m.name <= to));
  if (!pending.length) return no(`${env} is already at head: nothing is pending.`);
  return OK;
}

/** The migrations a rollback would undo, newest first, as the engine plans it. */
export function rollbackSteps(s: EnvironmentStatusDto, target: { steps?: number | undefined; to?: string | undefined; base?: boolean | undefined }): string[] | Gate {
  const applied = s.migrations.filter((m) => IN_DATABASE.has(m.state));
  let keep: number;
  if (target.base) keep = 0;
  else if (target.to !== undefined) {
    keep = applied.findIndex((m) => m.name === target.to) + 1;
    if (keep === 0) return no(`${target.to} is not applied in ${s.environment}, so it cannot be the target of a rollback.`);
  } else keep = Math.max(0, applied.length - (target.steps ?? 1));
  return applied.slice(keep).reverse().map((m) => m.name);
}

export function rollbackGate(env: string, s: EnvironmentStatusDto | undefined, target: { steps?: number; to?: string; base?: boolean }, configError?: string): Gate {
  const base = environmentGate(env, s, configError);
  if (!base.ok || !s) return base;
  const steps = rollbackSteps(s, target);
  if (!Array.isArray(steps)) return steps;
  if (!steps.length) return no(target.to ? `${env} is at ${target.to} already.` : `${env} is at base: nothing is applied.`);
  // By name (the first of a name, as find gave), not a find per step: back to base at 10,000 migrations was
  // 5 × 10^7 comparisons on every render of the toolbar.
  const byName = new Map<string, (typeof s.migrations)[number]>();
  for (const m of s.migrations) if (!byName.has(m.name)) byName.set(m.name, m);
  for (const name of steps) {
    const m = byName.get(name)!;
    if (m.state === 'missing-locally') return no(`${name} is applied in ${env} but not in the migrations folder: its down.sql is unknown.`);
    if (!m.hasDownSql) return no(`${name} has no down.sql: generate one in its detail first.`);
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
