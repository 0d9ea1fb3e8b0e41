import type { StateCreator } from 'zustand';
import type { MigrationStateDto } from '../../../electron/shared/dto.ts';
import type { AppState } from './index.ts';

export type StateFilter = MigrationStateDto | 'all' | 'problems';

export interface GraphSlice {
  selectedMigration: string | null;
  search: string;
  stateFilter: StateFilter;
  selectMigration(name: string | null): void;
  setSearch(text: string): void;
  setStateFilter(filter: StateFilter): void;
}

export const createGraphSlice: StateCreator<AppState, [], [], GraphSlice> = (set) => ({
  selectedMigration: null,
  search: '',
  stateFilter: 'all',
  selectMigration: (name) => set({ selectedMigration: name }),
  setSearch: (search) => set({ search }),
  setStateFilter: (stateFilter) => set({ stateFilter }),
});
