import type { StateCreator } from 'zustand';
import type { ProjectDto } from '../../../electron/shared/dto.ts';
import { call } from '../api/transport.ts';
import type { AppState } from './index.ts';

export interface ProjectSlice {
  project: ProjectDto | null;
  recent: string[];
  projectError: string | null;
  projectLoading: boolean;
  loadInitial(): Promise<void>;
  openProject(dir: string): Promise<void>;
  openDemo(): Promise<void>;
  setProject(project: ProjectDto): void;
  closeProject(): void;
}

export const createProjectSlice: StateCreator<AppState, [], [], ProjectSlice> = (set, get) => {
  const opened = async (load: () => Promise<ProjectDto>) => {
    set({ projectLoading: true, projectError: null });
    try {
      const project = await load();
      set({ project, projectLoading: false, selectedMigration: null, selectedEnv: project.environments[0]?.name ?? null, statuses: {} });
      const settings = await call('settings/get', {});
      set({ recent: settings.recentProjects });
      await get().refreshStatus({ projectFresh: true });
    } catch (err) {
      set({ projectLoading: false, projectError: (err as Error).message });
    }
  };
  return {
    project: null,
    recent: [],
    projectError: null,
    projectLoading: false,
    async loadInitial() {
      const [current, settings] = await Promise.all([call('project/current', {}), call('settings/get', {})]);
      set({ recent: settings.recentProjects, theme: settings.theme });
      if (current) await opened(async () => current);
    },
    openProject: (dir) => opened(() => call('project/open', { dir })),
    openDemo: () => opened(() => call('project/openDemo', {})),
    setProject: (project) => set({ project }),
    closeProject: () => set({ project: null, statuses: {}, selectedMigration: null }),
  };
};
