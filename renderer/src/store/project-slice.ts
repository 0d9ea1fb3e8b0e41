import type { StateCreator } from 'zustand';
import type { ProjectDto, ProjectOverviewDto, SettingsDto } from '../../../electron/shared/dto.ts';
import { call } from '../api/transport.ts';
import type { AppState } from './index.ts';
import { withOverview } from './status-slice.ts';

export interface ProjectSlice {
  project: ProjectDto | null;
  recent: string[];
  projectError: string | null;
  projectLoading: boolean;
  /** Until the first answer (the open project, if any): the app shows neither the project screen nor a project. */
  booting: boolean;
  /** Shows the project the back end has open, from `project/overview` and `settings/get` (asked for already, or now). */
  loadInitial(requests?: Promise<[ProjectOverviewDto | null, SettingsDto]>): Promise<void>;
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
      // No statuses yet, and no "as of" time for them: the last one was another project's.
      set({ project, projectLoading: false, selectedMigration: null, selectedEnv: project.environments[0]?.name ?? null, statuses: {}, statusAsOf: null });
      const [settings] = await Promise.all([call('settings/get', {}), get().refreshStatus({ projectFresh: true })]);
      set({ recent: settings.recentProjects });
    } catch (err) {
      set({ projectLoading: false, projectError: (err as Error).message });
    }
  };
  return {
    project: null,
    recent: [],
    projectError: null,
    projectLoading: false,
    booting: true,
    async loadInitial(requests = Promise.all([call('project/overview', {}), call('settings/get', {})])) {
      try {
        // The project the back end has open comes with every environment's status: the first screen is one answer.
        const [overview, settings] = await requests;
        // Asked without `have`: the project always comes along.
        const project = overview?.project;
        const opening = overview && project ? { ...withOverview(get(), project, overview), selectedMigration: null, selectedEnv: project.environments[0]?.name ?? null } : {};
        set({ recent: settings.recentProjects, theme: settings.theme, booting: false, ...opening });
      } catch (err) {
        set({ booting: false, projectError: (err as Error).message });
      }
    },
    openProject: (dir) => opened(() => call('project/open', { dir })),
    openDemo: () => opened(() => call('project/openDemo', {})),
    setProject: (project) => set({ project }),
    closeProject: () => set({ project: null, statuses: {}, statusAsOf: null, selectedMigration: null }),
  };
};
