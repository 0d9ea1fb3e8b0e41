import type { Db } from '../db/db.ts';
import type { OpenProject } from '../project/open-project.ts';
import { migrationList, projectFilter, withSchemaEngine } from '../schema-engine/engine-session.ts';
import { GodwitError } from '../util/errors.ts';
import { snapshottingShadows } from './shadow-snapshots.ts';
import type { CatalogSnapshot } from './types.ts';

/**
 * What the migrations folder produces: every local migration replayed by Prisma's schema engine on a shadow database
 * made through `db` (as drift does), snapshotted before the engine drops it. `db` itself is only read.
 */
export async function expectedSnapshot(db: Db, open: OpenProject): Promise<CatalogSnapshot> {
  const watched = snapshottingShadows(db);
  await withSchemaEngine(watched.db, open.project, (engine) =>
    engine.diff({
      from: { tag: 'empty' },
      to: { tag: 'migrations', ...migrationList(open.project, open.folder) },
      script: true,
      exitCode: null,
      filters: projectFilter(open.project),
    }),
  );
  watched.settle();
  const [shadow] = watched.snapshots;
  if (!shadow) throw new GodwitError('expected-shadow-unread', 'Prisma\'s schema engine replayed the migrations but Godwit could not read the replayed schema.');
  return shadow;
}
