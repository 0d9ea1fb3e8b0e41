import { rm } from 'node:fs/promises';
import { openProject, selectEnvironments, upgrade, withEnvironment, type OpenProject } from '../index.ts';
import { historyTableExists } from '../history/history-table.ts';
import { packageRoot } from '../util/package-root.ts';

/** The repository's demo project (prisma/, migrations/, godwit.json at the repo root). */
export const DEMO_PROJECT_DIR = packageRoot();

/** How far behind head each demo environment starts, so a newcomer sees every state at once. */
export const DEMO_POSITIONS: Record<string, number> = { dev: 0, test: 1, prod: 3 };

/**
 * Opens the demo on its embedded PGlite environments. An environment that has never been migrated is first brought
 * to its demo position: dev at head, test one behind, prod three behind. `reset` wipes them and starts again.
 */
export async function openDemo(opts: { reset?: boolean; onSeed?: (env: string, head: string | null) => void } = {}): Promise<OpenProject> {
  const open = await openProject(DEMO_PROJECT_DIR);
  const names = open.folder.migrations.map((m) => m.name);
  for (const env of selectEnvironments(open.project, { all: true })) {
    if (env.target.kind !== 'embedded') continue;
    if (opts.reset) await rm(env.target.dataDir, { recursive: true, force: true });
    const behind = DEMO_POSITIONS[env.name] ?? 0;
    await withEnvironment(env, async (db) => {
      if (await historyTableExists(db)) return;
      const target = names[names.length - 1 - behind];
      if (target) await upgrade({ db, env, folder: open.folder }, { to: target, confirm: env.name });
      opts.onSeed?.(env.name, target ?? null);
    });
  }
  return open;
}
