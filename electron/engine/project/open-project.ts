/**
 * Opening a project and an environment's database: what nearly every command does first. Kept apart from the engine's
 * index so that a command importing these does not also load the code of every other command (start-up time).
 */
import { readMigrationsFolder, type MigrationsFolder } from '../migrations/read-folder.ts';
import { loadProject, type Project, type ProjectOptions } from './load-project.ts';

/** A project with its migrations folder read, ready for commands. */
export interface OpenProject {
  project: Project;
  folder: MigrationsFolder;
}

export async function openProject(dir: string, options: ProjectOptions = {}): Promise<OpenProject> {
  const project = await loadProject(dir, options);
  // down.sql is read when a command first needs it (a rollback, a detail, a check): presence is all most use, and at
  // 10,000 migrations reading every down.sql was a third of opening the project.
  const folder = await readMigrationsFolder(project.migrationsDir, project.dir, { lazyDown: true });
  return { project, folder };
}

// Apart, so that a command reading only the database (tables, describe) does not load the folder reader.
export { withEnvironment } from './with-environment.ts';
