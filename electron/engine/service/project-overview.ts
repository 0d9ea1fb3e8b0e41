import type { EnvironmentStatusDto } from '../../shared/dto.ts';
import { loadProject, type Project } from '../project/load-project.ts';
import { readMigrationsFolder } from '../migrations/read-folder.ts';
import type { OpenProject } from '../project/open-project.ts';
import type { OpenProjectReading } from '../status/environment-status.ts';

/**
 * The project read again from disk (as openProject reads it: down.sql presence only) with every environment's status
 * against that folder. The histories are asked for while the folder is read: at 10,000 migrations reading it is
 * ~130 ms of the answer, and the three databases answer meanwhile instead of after it.
 */
export async function rereadWithStatuses(
  dir: string,
  adjust: (project: Project) => Project,
  statusesOf: (open: OpenProjectReading) => Promise<EnvironmentStatusDto[]>,
): Promise<{ open: OpenProject; statuses: EnvironmentStatusDto[] }> {
  const project = adjust(await loadProject(dir));
  const reading = readMigrationsFolder(project.migrationsDir, project.dir, { lazyDown: true });
  // Each status awaits the folder too and reports its failure as that environment's error; the overview fails with it.
  reading.catch(() => undefined);
  const statuses = statusesOf({ project, folder: reading });
  const open: OpenProject = { project, folder: await reading };
  return { open, statuses: await statuses };
}
