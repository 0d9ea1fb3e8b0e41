import { describe, expect, it } from 'vitest';
import type { EnvironmentStatusDto, MigrationStatusDto, ProjectDto } from '../../../../electron/shared/dto.ts';
import { buildGraph, filterGraph, folderDate, jumpTargets, laneWidth, rowLabel } from './graph-model.ts';

const m = (name: string, state: MigrationStatusDto['state']): MigrationStatusDto => ({ name, state, appliedAt: null, durationMs: null, checksumOk: null, local: state !== 'missing-locally', hasDownSql: true });
const status = (environment: string, head: string | null, migrations: MigrationStatusDto[]): EnvironmentStatusDto => ({
  environment, protected: false, location: '', head, migrations, drift: null,
  summary: { applied: 0, pending: 0, failed: 0, edited: 0, missingLocally: 0, rolledBack: 0, diverged: false },
});

describe('buildGraph', () => {
  const project: ProjectDto = { dir: '/p', name: 'p', isDemo: false, reading: 1, secretStorage: 'memory', environments: [], migrations: [{ name: '1_a', hasDownSql: true }, { name: '3_c', hasDownSql: true }] };
  const rows = buildGraph(project, {
    dev: status('dev', '3_c', [m('1_a', 'applied'), m('3_c', 'applied')]),
    prod: status('prod', '2_hotfix', [m('1_a', 'applied'), m('2_hotfix', 'missing-locally'), m('3_c', 'pending')]),
  }, ['dev', 'prod']);

  it('merges the folder and every history in order, with a branch for what is only in a database', () => {
    expect(rows.map((r) => [r.name, r.local, r.branch, r.states.dev, r.states.prod])).toEqual([
      ['1_a', true, false, 'applied', 'applied'],
      ['2_hotfix', false, true, null, 'missing-locally'],
      ['3_c', true, false, 'applied', 'pending'],
    ]);
    expect(rows.find((r) => r.name === '3_c')!.heads).toEqual(['dev']);
    expect(rows.find((r) => r.name === '2_hotfix')!.heads).toEqual(['prod']);
  });

  it('filters by name and by state', () => {
    expect(filterGraph(rows, 'HOT', 'all').map((r) => r.name)).toEqual(['2_hotfix']);
    expect(filterGraph(rows, '', 'pending').map((r) => r.name)).toEqual(['3_c']);
    expect(filterGraph(rows, '', 'problems').map((r) => r.name)).toEqual(['2_hotfix']);
  });
});

describe('graph navigation and words', () => {
  const project: ProjectDto = { dir: '/p', name: 'p', isDemo: false, reading: 1, secretStorage: 'memory', environments: [], migrations: [{ name: '20250301090000_a', hasDownSql: true }, { name: '20250302090000_b', hasDownSql: true }] };
  const rows = buildGraph(project, {
    dev: status('dev', '20250302090000_b', [m('20250301090000_a', 'applied'), m('20250302090000_b', 'applied')]),
    prod: status('prod', '20250301090000_a', [m('20250301090000_a', 'applied'), m('20250302090000_b', 'pending')]),
  }, ['dev', 'prod']);

  it('reads the date from the folder name, and only from a real timestamp', () => {
    expect(folderDate('20250419090000_rename')).toBe('2025-04-19 09:00');
    expect(folderDate('20251399000000_x')).toBeNull();
    // A counter in the time part is not a time.
    expect(folderDate('20200101997800_x')).toBeNull();
    expect(folderDate('20200101240000_x')).toBeNull();
    expect(folderDate('20200101235900_x')).toBe('2020-01-01 23:59');
    expect(folderDate('0001_init')).toBeNull();
  });

  it('offers each environment\'s head and first pending migration', () => {
    expect(jumpTargets(rows, ['dev', 'prod'])).toEqual([
      { label: 'dev: head', name: '20250302090000_b' },
      { label: 'prod: head', name: '20250301090000_a' },
      { label: 'prod: first pending', name: '20250302090000_b' },
    ]);
  });

  it('says a row in words for screen readers', () => {
    expect(rowLabel(rows[1]!, ['dev', 'prod'])).toBe('20250302090000_b — dev: applied, prod: pending; head of dev');
  });

  it('makes lanes wide enough for long environment names', () => {
    expect(laneWidth('dev')).toBe(72);
    expect(laneWidth('staging-eu-west-1')).toBeGreaterThan(150);
  });
});
