import { describe, expect, it } from 'vitest';
import type { EnvironmentStatusDto, MigrationStatusDto, ProjectDto } from './dto.ts';
import { packStatuses, unpackStatuses } from './status-packing.ts';

const project: Pick<ProjectDto, 'migrations'> = {
  migrations: [{ name: '1_a', hasDownSql: true }, { name: '2_b', hasDownSql: false }, { name: '4_d', hasDownSql: true }, { name: '5_e', hasDownSql: true }],
};
const m = (name: string, state: MigrationStatusDto['state'], extra: Partial<MigrationStatusDto> = {}): MigrationStatusDto => {
  const local = project.migrations.find((x) => x.name === name);
  return { name, local: !!local, hasDownSql: local?.hasDownSql ?? false, state, appliedAt: null, durationMs: null, checksumOk: null, ...extra };
};
const summary = { applied: 0, pending: 0, failed: 0, edited: 0, missingLocally: 0, rolledBack: 0, diverged: false };
const status = (environment: string, migrations: MigrationStatusDto[], more: Partial<EnvironmentStatusDto> = {}): EnvironmentStatusDto => ({
  environment, protected: false, location: `db/${environment}`, head: null, migrations, summary, drift: null, ...more,
});

const statuses: EnvironmentStatusDto[] = [
  status('dev', [
    m('1_a', 'applied', { appliedAt: '2025-03-01T09:00:00.123Z', durationMs: 12, checksumOk: true }),
    m('2_b', 'edited', { appliedAt: '2025-03-01T09:00:00.100Z', durationMs: 0, checksumOk: false }),
    m('3_hotfix', 'missing-locally', { appliedAt: '1969-12-31T23:59:59.999Z', durationMs: 5 }),
    m('4_d', 'failed', { logs: 'ERROR: boom (password redacted)' }),
    m('5_e', 'pending'),
  ], { head: '3_hotfix', drift: { drifted: true, reconcileSql: 'DROP TABLE x;' } }),
  // Listed out of the folder's order, with a name only this history has, and rolled back.
  status('test', [m('9_later', 'missing-locally', { appliedAt: '2026-01-01T00:00:00.000Z', durationMs: 1 }), m('1_a', 'rolled-back'), m('2_b', 'pending')]),
  status('prod', [], { error: 'cannot reach db/prod', location: 'db/prod' }),
  status('stage', [m('1_a', 'applied', { appliedAt: '2025-03-01T09:00:00.000Z', durationMs: 3, checksumOk: true }), m('5_e', 'pending')]),
];

/** What the page receives: the statuses as JSON carries them (an undefined field is no field). */
const overJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('packed statuses', () => {
  it('unpack to exactly the statuses packed, every field of every migration, in each status\'s order', () => {
    const packed = overJson(packStatuses(project, statuses));
    expect(unpackStatuses(project, packed)).toEqual(overJson(statuses));
  });

  it('send each name once: the folder\'s through the project, the others as extra names', () => {
    const packed = packStatuses(project, statuses);
    expect(packed.extraNames).toEqual(['3_hotfix', '9_later']);
    expect(JSON.stringify(packed)).not.toContain('"1_a"');
    expect(packed.environments[0]!.migrations.states).toBe('aefpm-');
    // A status in the list's order needs no order; one out of it (names only a history has) carries its places.
    expect(packed.environments[3]!.migrations.order).toBeUndefined();
    expect(packed.environments[0]!.migrations.order).toEqual([0, 1, 4, 2, 3]);
    expect(packed.environments[1]!.migrations.order).toEqual([5, 0, 1]);
    expect(packed.environments[2]!.migrations.states).toBe('');
  });

  it('keep the statuses a large project reads small', () => {
    const names = Array.from({ length: 2_000 }, (_, i) => `2025${String(i).padStart(10, '0')}_add_column_to_table_${i}`);
    const big = { migrations: names.map((name) => ({ name, hasDownSql: true })) };
    const start = Date.parse('2025-06-01T00:00:00.000Z');
    const all = ['dev', 'test', 'prod'].map((env, e) => status(env, names.map((name, i) => (i < 2_000 - e * 10 ? m(name, 'applied', { appliedAt: new Date(start + i * 1500).toISOString(), durationMs: i % 7, checksumOk: true }) : m(name, 'pending')))));
    for (const s of all) for (const x of s.migrations) Object.assign(x, { local: true, hasDownSql: true });
    const packed = overJson(packStatuses(big, all));
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(all).length / 15);
    expect(unpackStatuses(big, packed)).toEqual(overJson(all));
  });
});
