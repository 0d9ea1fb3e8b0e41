import type { StateCreator } from 'zustand';
import type { EnvironmentStatusDto, ProjectDto, ProjectOverviewDto } from '../../../electron/shared/dto.ts';
import { unpackStatuses } from '../../../electron/shared/status-packing.ts';
import { call } from '../api/transport.ts';
import type { AppState } from './index.ts';

export interface StatusSlice {
  statuses: Record<string, EnvironmentStatusDto>;
  statusLoading: boolean;
  statusError: string | null;
  /** When the statuses on screen were read (ms since epoch), for the "as of" label. */
  statusAsOf: number | null;
  /** When each environment's drift result was checked: it is kept across refreshes until checked again. */
  driftAt: Record<string, number>;
  selectedEnv: string | null;
  driftChecking: string | null;
  /** Re-reads the statuses, and the project with them unless it was just read (`projectFresh`: opening it). */
  refreshStatus(opts?: { projectFresh?: boolean }): Promise<void>;
  checkDrift(env: string): Promise<void>;
  selectEnv(name: string): void;
}

export const createStatusSlice: StateCreator<AppState, [], [], StatusSlice> = (set, get) => ({
  statuses: {},
  statusLoading: false,
  statusError: null,
  statusAsOf: null,
  driftAt: {},
  selectedEnv: null,
  driftChecking: null,
  async checkDrift(env) {
    set({ driftChecking: env, statusError: null });
    try {
      const [status] = await call('environments/status', { env, drift: true });
      if (status) set((s) => ({ statuses: { ...s.statuses, [env]: status }, driftAt: { ...s.driftAt, [env]: Date.now() } }));
    } catch (err) {
      set({ statusError: (err as Error).message });
    } finally {
      set({ driftChecking: null });
    }
  },
  async refreshStatus(opts = {}) {
    set({ statusLoading: true, statusError: null });
    try {
      // The project read again from disk (migrations and godwit.json may have changed there) and the statuses read
      // against that folder, in one answer. Not re-read when it was read a moment ago (opening it); nor sent again
      // then, when the back end still has the very reading this page holds.
      const held = get().project;
      const overview = await call('project/overview', opts.projectFresh ? { reread: false, ...(held ? { have: held.reading } : {}) } : { reread: true });
      const shown = get().project;
      const project = overview?.project ?? (shown && overview && shown.reading === overview.reading ? shown : null);
      // Another project was opened (or closed) meanwhile: this answer is about the one before.
      if (!overview || !shown || !project || project.dir !== shown.dir) set({ statusLoading: false });
      else set(withOverview(get(), project, overview));
    } catch (err) {
      set({ statusLoading: false, statusError: (err as Error).message });
    }
  },
  selectEnv: (name) => set({ selectedEnv: name }),
});

/** The store once an overview has landed: its project and statuses, in one update (one render of the graph). */
export function withOverview(state: Pick<StatusSlice, 'statuses'>, project: ProjectDto, overview: ProjectOverviewDto): Pick<AppState, 'project' | 'statuses' | 'statusLoading' | 'statusAsOf'> {
  const before = state.statuses;
  const list = unpackStatuses(project, overview.statuses);
  // A plain status carries no drift: keep the last drift result (with its time) rather than dropping it.
  const statuses = Object.fromEntries(list.map((s) => [s.environment, s.drift === null && before[s.environment]?.drift ? { ...s, drift: before[s.environment]!.drift } : s]));
  return { project, statuses, statusLoading: false, statusAsOf: Date.now() };
}
