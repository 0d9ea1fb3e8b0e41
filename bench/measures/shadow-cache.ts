import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { BenchDatabases } from '../databases.ts';
import { dropDatabase, listCaches } from '../../electron/engine/shadow-cache/cache-store.ts';
import { openProject, selectEnvironments, withEnvironment } from '../../electron/engine/index.ts';
import { withSchemaEngine } from '../../electron/engine/schema-engine/engine-session.ts';
import { alternate, ratioResult, runProcess, stats, timeProcess, type BenchContext, type BenchResult } from '../harness.ts';
import { benchProject, GODWIT_BIN } from './status-and-upgrade.ts';

const on = { ...process.env, NO_COLOR: '1', PGOPTIONS: '' };
const off = { ...on, GODWIT_SHADOW_CACHE: 'off' };

/**
 * The project's schema.prisma at the head of its history (Prisma's introspection of `url`, migrated to the head), with
 * a small change a developer would make next: one model added, one optional column added to an existing model.
 */
async function editedHeadSchema(dir: string, url: string): Promise<void> {
  const open = await openProject(dir);
  const [env] = selectEnvironments(open.project, { url });
  const introspected = await withEnvironment(env!, (db) =>
    withSchemaEngine(db, open.project, (engine) => engine.introspect({ schema: { files: open.project.schemaFiles }, baseDirectoryPath: dir, force: true, compositeTypeDepth: -1, namespaces: null })),
  );
  const head = introspected.schema.files[0]!.content;
  // The first model's id line gains a neighbour: an added nullable column.
  const edited = head.replace(/^(model \w+ \{\n  id +Int[^\n]*\n)/m, '$1  reviewNote String? @db.VarChar(200)\n');
  if (edited === head) throw new Error('B10c: no model with an Int id to add a column to.');
  await writeFile(join(dir, 'prisma', 'schema.prisma'), `${edited}\nmodel ReviewNote {\n  id        Int      @id @default(autoincrement())\n  body      String\n  createdAt DateTime @default(now())\n\n  @@map("review_notes")\n}\n`);
}

/**
 * B10a/B10b: `godwit status --drift` and `godwit down-sql <last migration>` on the generated history, warm (the shadow
 * cache holds the replayed states: README, "Shadow cache") against the same command with the cache off (the engine
 * replays the whole history), whole processes, alternating. Target: warm ≤ 2 s.
 * B10c: `godwit new <name> --dry-run` (nothing written) on the same history, schema.prisma one small change past its
 * head (editedHeadSchema), warm against cache off, the same way. Target: warm ≤ 2 s.
 */
export async function benchShadowCache(ctx: BenchContext): Promise<BenchResult[]> {
  const dbs = new BenchDatabases(ctx.serverUrl);
  const admin = new pg.Client({ connectionString: ctx.serverUrl });
  await admin.connect();
  const before = new Set((await listCaches(admin)).map((e) => e.datname));
  try {
    const { dir, migrations } = await benchProject(ctx, 'shadow-cache');
    const url = await dbs.create('shadow_cache');
    const godwit = (env: NodeJS.ProcessEnv, ...args: string[]) => timeProcess(GODWIT_BIN, ['--project', dir, '--url', url, ...args], { env });
    await runProcess(GODWIT_BIN, ['--project', dir, '--url', url, 'up', '--yes'], { env: on });
    const last = migrations[migrations.length - 1]!.name;
    // Fill the cache (and the bundle, the file cache) before timing.
    await godwit(on, 'status', '--drift');
    await godwit(on, 'down-sql', last);
    const rounds = ctx.quick ? 3 : 7;
    const s = await alternate(rounds, {
      driftWarm: { run: () => godwit(on, 'status', '--drift') },
      driftOff: { run: () => godwit(off, 'status', '--drift') },
      downWarm: { run: () => godwit(on, 'down-sql', last) },
      downOff: { run: () => godwit(off, 'down-sql', last) },
    });
    const n = migrations.length;
    const note = 'Whole processes, alternating; the baseline is the same command with GODWIT_SHADOW_CACHE=off (full replay).';
    // B10c after the others: they do not read schema.prisma, but they are measured as they always were.
    await editedHeadSchema(dir, url);
    const newArgs = ['new', 'add_review_notes', '--dry-run', '--json'];
    const warmNew = await runProcess(GODWIT_BIN, ['--project', dir, '--url', url, ...newArgs], { env: on });
    if ((JSON.parse(warmNew) as { cache?: string } | null)?.cache === undefined) throw new Error('B10c: godwit new generated nothing: the edited schema.prisma matches the history.');
    const sNew = await alternate(rounds, {
      newWarm: { run: () => godwit(on, ...newArgs) },
      newOff: { run: () => godwit(off, ...newArgs) },
    });
    return [
      ratioResult({ id: 'B10a', what: `godwit status --drift, ${n} migrations, shadow cache warm`, unit: 'ms', godwit: stats(s.driftWarm), baseline: stats(s.driftOff), baselineName: 'the same, cache off', target: 'warm ≤ 2,000 ms', note }, (_r, median) => median <= 2000),
      ratioResult({ id: 'B10b', what: `godwit down-sql of the last of ${n} migrations, shadow cache warm`, unit: 'ms', godwit: stats(s.downWarm), baseline: stats(s.downOff), baselineName: 'the same, cache off', target: 'warm ≤ 2,000 ms', note }, (_r, median) => median <= 2000),
      ratioResult({ id: 'B10c', what: `godwit new --dry-run on ${n} migrations (one model and one column added), shadow cache warm`, unit: 'ms', godwit: stats(sNew.newWarm), baseline: stats(sNew.newOff), baselineName: 'the same, cache off', target: 'warm ≤ 2,000 ms', note }, (_r, median) => median <= 2000),
    ];
  } finally {
    await dbs.dropAll();
    // The caches this measure made go with it; others on the server are left alone.
    for (const e of await listCaches(admin)) if (!before.has(e.datname)) await dropDatabase(admin, e.datname);
    await admin.end();
  }
}
