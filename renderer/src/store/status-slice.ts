import type { StateCreator } from 'zustand';
import type { EnvironmentStatusDto } from '../../../electron/shared/dto.ts';
import { call } from '../api/transport.ts';
import type { AppState } from './index.ts';

export interface StatusSlice {
  statuses: Record<string, EnvironmentStatusDto>;
  statusLoading: boolean;
  statusError: string | null;
  selectedEnv: string | null;
  driftChecking: string | null;
  refreshStatus(): Promise<void>;
  checkDrift(env: string): Promise<void>;
  selectEnv(name: string): void;
}

export const createStatusSlice: StateCreator<AppState, [], [], StatusSlice> = (set) => ({
  statuses: {},
  statusLoading: false,
  statusError: null,
  selectedEnv: null,
  driftChecking: null,
  async checkDrift(env) {
    set({ driftChecking: env, statusError: null });
    try {
      const [status] = await call('environments/status', { env, drift: true });
      if (status) set((s) => ({ statuses: { ...s.statuses, [env]: status } }));
    } catch (err) {
      set({ statusError: (err as Error).message });
    } finally {
      set({ driftChecking: null });
    }
  },
  async refreshStatus() {
    set({ statusLoading: true, statusError: null });
    try {
      // Re-read the project first: migrations and godwit.json may have changed on disk.
      const project = await call('project/current', {});
      const list = await call('environments/status', {});
      set({ ...(project ? { project } : {}), statuses: Object.fromEntries(list.map((s) => [s.environment, s])), statusLoading: false });
    } catch (err) {
      set({ statusLoading: false, statusError: (err as Error).message });
    }
  },
  selectEnv: (name) => set({ selectedEnv: name }),
});
