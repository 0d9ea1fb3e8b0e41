import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PROJECT_DIR } from '../demo/open-demo.ts';

/** A throwaway copy of the demo project (schema, config, migrations), so a test may edit files freely. */
export interface TempProject {
  dir: string;
  remove(): Promise<void>;
}

export async function copyDemoProject(): Promise<TempProject> {
  const dir = await mkdtemp(join(tmpdir(), 'godwit-project-'));
  for (const item of ['prisma', 'migrations', 'prisma.config.ts', 'godwit.json']) {
    await cp(join(DEMO_PROJECT_DIR, item), join(dir, item), { recursive: true });
  }
  // The config imports @prisma/config; let it resolve from the repository's node_modules.
  await symlink(join(DEMO_PROJECT_DIR, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
