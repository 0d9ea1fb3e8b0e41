import { describe, expect, it } from 'vitest';
import type { EnvironmentStatusDto, MigrationStatusDto } from '../../../../electron/shared/dto.ts';
import { rollbackGate, upgradeGate } from './run-gates.ts';

const m = (name: string, state: MigrationStatusDto['state'], hasDownSql = true): MigrationStatusDto => ({ name, state, appliedAt: null, durationMs: null, checksumOk: null, local: state !== 'missing-locally', hasDownSql });
const status = (migrations: MigrationStatusDto[], extra: Partial<EnvironmentStatusDto> = {}): EnvironmentStatusDto => ({
  environment: 'dev', protected: false, location: '', head: null, migrations, drift: null,
  summary: { applied: 0, pending: 0, failed: 0, edited: 0, missingLocally: 0, rolledBack: 0, diverged: false }, ...extra,
});
const reason = (g: { ok: boolean; reason?: string }) => (g.ok ? 'ok' : g.reason);

describe('run gates', () => {
  const s = status([m('1_a', 'applied'), m('2_b', 'applied'), m('3_c', 'pending'), m('4_d', 'pending')]);

  it('refuses with a reason while loading, unreachable, failed or edited', () => {
    expect(reason(upgradeGate('dev', undefined))).toBe("dev's status is still loading.");
    expect(reason(upgradeGate('dev', status([], { error: 'connection refused' })))).toBe('dev cannot be reached: connection refused');
    expect(reason(upgradeGate('dev', status([m('1_a', 'failed'), m('2_b', 'pending')])))).toMatch(/^1_a failed in dev: settle it first/);
    expect(reason(upgradeGate('dev', status([m('1_a', 'edited'), m('2_b', 'pending')])))).toMatch(/^1_a was edited after it was applied/);
    expect(reason(rollbackGate('dev', status([m('1_a', 'edited')]), { steps: 1 }))).toMatch(/^1_a was edited/);
  });

  it('upgrades to head or to a pending migration, never to an applied one', () => {
    expect(reason(upgradeGate('dev', s))).toBe('ok');
    expect(reason(upgradeGate('dev', s, '3_c'))).toBe('ok');
    expect(reason(upgradeGate('dev', s, '1_a'))).toBe('1_a is already applied in dev.');
    expect(reason(upgradeGate('dev', status([m('1_a', 'applied')])))).toBe('dev is already at head: nothing is pending.');
  });

  it('rolls back to an applied migration only, and only through migrations with down.sql', () => {
    expect(reason(rollbackGate('dev', s, { to: '1_a' }))).toBe('ok');
    expect(reason(rollbackGate('dev', s, { to: '3_c' }))).toBe('3_c is not applied in dev, so it cannot be the target of a rollback.');
    expect(reason(rollbackGate('dev', s, { to: '2_b' }))).toBe('dev is at 2_b already.');
    expect(reason(rollbackGate('dev', status([m('1_a', 'applied', false), m('2_b', 'applied')]), { base: true }))).toBe('1_a has no down.sql: generate one in its detail first.');
    expect(reason(rollbackGate('dev', status([m('1_a', 'pending')]), { steps: 1 }))).toBe('dev is at base: nothing is applied.');
  });
});
