import type { StateCreator } from 'zustand';
import type { MigrationStateDto } from '../../../electron/shared/dto.ts';
import type { AppState } from './index.ts';

export type StateFilter = MigrationStateDto | 'all' | 'problems';

export interface GraphSlice {
  selectedMigration: string | null;
  search: string;
  stateFilter: StateFilter;
  /** A line a finding points at (check view): the detail opens that file and marks the line. */
  focusLine: { migration: string; file: 'migration.sql' | 'down.sql'; line: number } | null;
  selectMigration(name: string | null): void;
  showLine(migration: string, file: 'migration.sql' | 'down.sql', line: number | null): void;
  setSearch(text: string): void;
  setStateFilter(filter: StateFilter): void;
}

export const createGraphSlice: StateCreator<AppState, [], [], GraphSlice> = (set) => ({
  selectedMigration: null,
  search: '',
  stateFilter: 'all',
  focusLine: null,
  selectMigration: (name) => set({ selectedMigration: name, focusLine: null }),
  showLine: (migration, file, line) => set({ selectedMigration: migration, focusLine: line ? { migration, file, line } : null, view: 'migrations' }),
  setSearch: (search) => set({ search }),
  setStateFilter: (stateFilter) => set({ stateFilter }),
});
